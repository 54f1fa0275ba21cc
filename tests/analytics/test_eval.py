"""The fan-quality evaluation builds its labelled set from the demo generator's own bots."""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_labelled_set_and_its_harder_variant():
    sys.path.insert(0, str(ROOT / "eval"))
    import eval_fan_quality as ev

    start = dt.date(2026, 11, 2)
    profiles, activity, labels, now = ev.labelled_set(2026, start, 0.1)
    bots = [uid for uid, is_bot in labels.items() if is_bot]
    assert bots and all(profiles[uid].screen_name == f"用户{uid}" for uid in bots)
    plain = ev.evaluate(profiles, activity, labels, now)
    assert plain["tp"] + plain["fn"] == len(bots)
    assert plain["recall"] > 0.9
    aged = ev.disguise(profiles, labels, 1, aged=True)
    assert all(not aged[uid].screen_name.startswith("用户") for uid in bots)
    hard = ev.evaluate(aged, activity, labels, now, ("profile", "activity"))
    assert hard["recall"] < plain["recall"]
