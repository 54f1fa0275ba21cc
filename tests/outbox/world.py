"""A desk wired to the fake Weibo API in-process: the scenario's records ingested and
routed, an account whose token the fake knows, and a client whose sleeps move the fake's
clock. Shared by the outbox and inbox tests."""

from __future__ import annotations

import datetime as dt
import random

import httpx
from django.utils import timezone

from inhouse import nlp
from inhouse.core.models import Account, Item, Workspace
from inhouse.pipeline.ingest import ingest
from inhouse.pipeline.route import route_items
from inhouse.sources.fake_weibo import FakeWeibo, from_records
from inhouse.weibo.client import WeiboClient
from inhouse.weibo.retry import RetryPolicy
from tests.weibo import scenario_data as sd

BASE = "http://fake.weibo"


def stub_analysis(monkeypatch) -> None:
    """Analysis without the trained models (built by another issue): every text neutral,
    intent "other". Tests that need intents set them on the items."""
    def analyze_texts(texts, dictionary=()):
        return [nlp.TextAnalysis("neutral", 0.5, "neutral", "other", "stub") for _ in texts]

    monkeypatch.setattr(nlp, "analyze_texts", analyze_texts)


class World:
    def __init__(self, workspace: Workspace):
        self.records = sd.build(days=1)
        self.fake = FakeWeibo(from_records(self.records))
        self.fake.clock.set(sd.START + dt.timedelta(hours=20))
        self.fake.sleep = self._slow_answer
        token = self.fake.issue_token()
        self.account = Account(workspace=workspace, platform_uid=sd.OWNER_UID,
                               screen_name=sd.OWNER_NAME)
        self.account.token = token
        self.account.save()
        self.slept: list[float] = []
        policy = RetryPolicy(sleep=self._sleep, rng=random.Random(3))
        self.client = WeiboClient(token, base_url=BASE, retry=policy, rip="211.156.0.1",
                                  http=httpx.Client(transport=httpx.WSGITransport(app=self.fake)))
        visible = [r for r in self.records
                   if dt.datetime.fromisoformat(r["created_at"]) <= self.fake.clock.now()]
        report = ingest(workspace, visible)
        # The scenario's customers ask "when will it ship?": consultations.
        Item.objects.filter(pk__in=report.item_ids).update(analyzed_at=timezone.now(),
                                                           intent="other", sentiment="neutral")
        Item.objects.filter(pk__in=report.item_ids, kind="comment").update(intent="consultation")
        route_items(report.item_ids)
        self.item_ids = report.item_ids

    def _sleep(self, seconds: float) -> None:
        self.slept.append(seconds)
        self.fake.clock.advance(seconds)

    @staticmethod
    def _slow_answer(seconds: float) -> None:
        raise httpx.ReadTimeout(f"no answer in time (fake held {seconds}s)")
