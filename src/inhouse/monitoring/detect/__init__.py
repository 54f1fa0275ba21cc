"""Detectors: pure classes fed one topic's items in event-time order; no database, no clock.

Each detector has ``feed(event) -> list[Alert]`` and fires at the event time of the item that
tipped it, so a replay of the same stream gives the same alerts (DESIGN.md).
"""

from inhouse.monitoring.detect.base import Alert, Event, chain_depth
from inhouse.monitoring.detect.burst import BurstDetector, BurstParams
from inhouse.monitoring.detect.emerging import EmergingParams, EmergingTermsDetector
from inhouse.monitoring.detect.viral import ViralDetector, ViralParams

__all__ = [
    "Alert", "BurstDetector", "BurstParams", "EmergingParams", "EmergingTermsDetector", "Event",
    "ViralDetector", "ViralParams", "chain_depth",
]
