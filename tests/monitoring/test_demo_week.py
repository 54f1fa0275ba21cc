"""The demo week at default settings: the day-5 crisis is caught within 10 minutes of its first
repost wave, and the rest of the week raises at most one alert (issue 6, "done when")."""

from __future__ import annotations

import datetime as dt
import io
import json

import pytest

demo = pytest.importorskip("inhouse.sources.demo", reason="the demo scenario has not landed")

from inhouse.monitoring.replay import replay  # noqa: E402


@pytest.fixture(scope="module")
def week():
    try:
        from inhouse.nlp import analyze_texts

        analyze_texts(["试一下"])
    except Exception as exc:  # model files not built on this machine
        pytest.skip(f"NLP models unavailable ({exc}); run `inhouse nlp train all`")
    scenario = demo.generate(seed=2026, start=dt.date(2026, 11, 16))
    truth = scenario.truth
    rules = (
        f"dictionary: {json.dumps(truth['dictionary'], ensure_ascii=False)}\n"
        "topics:\n  - name: 小鹿零食\n    query: 小鹿零食 OR 鹿角脆 OR 小鹿\n"
    )
    lines = [json.dumps(r, ensure_ascii=False) for r in scenario.records if r["kind"] != "message"]
    out = io.StringIO()
    replay(rules, lines, out)
    alerts = [json.loads(line) for line in out.getvalue().splitlines()]
    return scenario, alerts


def test_the_crisis_raises_an_alert_within_ten_minutes_of_its_first_repost_wave(week):
    scenario, alerts = week
    crisis = scenario.truth["crisis"]
    first_repost = min(
        dt.datetime.fromisoformat(r["created_at"]) for r in scenario.records
        if r["kind"] == "repost" and r.get("root_id") == crisis["first_post_id"]
    )
    crisis_ids = set(crisis["item_ids"])
    caught = [dt.datetime.fromisoformat(a["detected_at"]) for a in alerts
              if crisis_ids & set(a["item_ids"])]
    assert caught, "no alert on the crisis"
    assert min(caught) - first_repost <= dt.timedelta(minutes=10), (min(caught), first_repost)


def test_the_rest_of_the_week_raises_at_most_one_alert(week):
    """Besides the crisis, one alert at most in the week (today the day-1 campaign post)."""
    scenario, alerts = week
    crisis = scenario.truth["crisis"]
    crisis_ids = set(crisis["item_ids"])
    others = [a for a in alerts if not crisis_ids & set(a["item_ids"])]
    assert len(others) <= 1, [(a["kind"], a["detected_at"], a["reason"][:60]) for a in others]


@pytest.mark.slow
@pytest.mark.django_db
def test_live_intake_in_batches_raises_the_replays_alerts_on_the_demo_week(week):
    """The demo week stored, analysed and routed in event-time batches of 1,000 (as the
    pipeline does) raises exactly the alerts `monitor replay` raises over the same items."""
    from inhouse.core.models import Account, Item, Workspace
    from inhouse.monitoring.intake import intake
    from inhouse.monitoring.models import Alert, Topic
    from inhouse.pipeline.analyze import analyze_items
    from inhouse.pipeline.ingest import ingest

    scenario, _ = week
    truth = scenario.truth
    ws = Workspace.objects.create(name="小鹿零食", slug="demo", dictionary=truth["dictionary"])
    records = sorted((r for r in scenario.records if r["kind"] != "message"),
                     key=lambda r: dt.datetime.fromisoformat(r["created_at"]))
    analyze_items(ingest(ws, records).item_ids)
    Topic.objects.create(workspace=ws, name="小鹿零食", query="小鹿零食 OR 鹿角脆 OR 小鹿")
    items = list(Item.objects.filter(workspace=ws).select_related("author")
                 .order_by("created_at", "id"))
    for start in range(0, len(items), 1000):
        intake(items[start:start + 1000])
    live = sorted((a.kind, a.detected_at, a.item_ids[0]) for a in Alert.objects.all())

    rules = (f"dictionary: {json.dumps(truth['dictionary'], ensure_ascii=False)}\n"
             "topics:\n  - name: 小鹿零食\n    query: 小鹿零食 OR 鹿角脆 OR 小鹿\n")
    lines = [json.dumps({
        "id": i.platform_id, "kind": i.kind, "text": i.text, "created_at": i.created_at.isoformat(),
        "author": {"id": i.author.uid, "screen_name": i.author.screen_name,
                   "followers_count": i.author.followers_count, "verified": i.author.verified},
        "parent_id": i.parent_platform_id, "root_id": i.root_platform_id,
        "sentiment": i.sentiment}, ensure_ascii=False) for i in items]
    out = io.StringIO()
    replay(rules, lines, out)
    official = set(Account.objects.filter(workspace=ws).values_list("platform_uid", flat=True))
    by_id = {i.platform_id: i for i in items}
    replayed = sorted(
        (a["kind"], dt.datetime.fromisoformat(a["detected_at"]), a["item_ids"][0])
        for a in map(json.loads, out.getvalue().splitlines())
        # intake drops the account's own posts spreading (the campaign working)
        if not (a["kind"] == "viral" and by_id[a["item_ids"][0]].author.uid in official))
    assert replayed and live == replayed
