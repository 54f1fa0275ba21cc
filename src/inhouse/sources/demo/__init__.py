"""The demo scenario: one week of the fictional 小鹿零食's official Weibo account.

``generate(seed, start, scale) -> Scenario`` is pure (no database): records in the format of
``inhouse.pipeline.records`` plus the ground truth. ``load_demo`` (in ``load``, needs Django)
stores them through the pipeline. See docs/demo.md.
"""

from __future__ import annotations

from inhouse.sources.demo.week import Scenario, default_start, generate

__all__ = ["Scenario", "default_start", "generate", "load_demo"]


def __getattr__(name: str):
    # Imported lazily so generate/export work without Django settings.
    if name == "load_demo":
        from inhouse.sources.demo.load import load_demo

        return load_demo
    raise AttributeError(name)
