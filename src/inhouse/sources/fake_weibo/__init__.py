"""A faithful local fake of the Weibo Open API v2 (see docs/connector.md)."""

from inhouse.sources.fake_weibo.app import FakeConfig, FakeWeibo
from inhouse.sources.fake_weibo.clock import ScenarioClock
from inhouse.sources.fake_weibo.faults import Faults
from inhouse.sources.fake_weibo.scenario import Scenario, from_records, load

__all__ = ["FakeConfig", "FakeWeibo", "Faults", "Scenario", "ScenarioClock", "from_records", "load"]
