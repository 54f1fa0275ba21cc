"""Snapshots, roll-ups from intake and beat, fan runs and report e-mails, on a small workspace."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail
from django.utils import timezone

from inhouse.analytics import actions, tasks
from inhouse.analytics.intake import intake
from inhouse.analytics.models import DailyStat, FanRun, FanSnapshot, ReportDelivery
from inhouse.analytics.periods import local_tz, today
from inhouse.analytics.snapshots import take_snapshot
from inhouse.core.models import Account, Author, Item

pytestmark = pytest.mark.django_db


@pytest.fixture
def account(workspace):
    Author.objects.create(uid="7390000001", screen_name="小鹿零食官方微博", followers_count=1000,
                          friends_count=10, statuses_count=50)
    return Account.objects.create(workspace=workspace, platform_uid="7390000001",
                                  screen_name="小鹿零食官方微博")


def _item(workspace, pid, uid, kind="comment", text="小鹿零食 好吃", at=None, **extra):
    author, _ = Author.objects.get_or_create(uid=uid, defaults={"screen_name": f"用户{uid}",
                                                                "followers_count": 2})
    return Item.objects.create(workspace=workspace, platform_id=pid, kind=kind, author=author,
                               text=text, created_at=at or timezone.now(), **extra)


class FakeClient:
    def __init__(self, user=None, error=None):
        self.user, self.error = user, error

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False

    def users_show(self, uid=None, screen_name=None):
        if self.error:
            raise self.error
        return self.user


def test_snapshot_prefers_users_show_when_the_account_has_a_token(account, monkeypatch):
    account.token = "tok"
    account.save()
    monkeypatch.setattr("inhouse.pipeline.sync_tasks.client_for",
                        lambda a: FakeClient({"followers_count": 1234, "friends_count": 9}))
    snap = take_snapshot(account)
    assert (snap.followers_count, snap.source, snap.day) == (1234, "users_show", today())


def test_snapshot_falls_back_to_the_synced_author_when_the_api_fails(account, monkeypatch):
    account.token = "tok"
    account.save()
    monkeypatch.setattr("inhouse.pipeline.sync_tasks.client_for",
                        lambda a: FakeClient(error=RuntimeError("21327 expired_token")))
    snap = take_snapshot(account)
    assert (snap.followers_count, snap.source) == (1000, "author")
    assert take_snapshot(account).pk == snap.pk  # once a day, refreshed


def test_no_author_no_snapshot(workspace):
    account = Account.objects.create(workspace=workspace, platform_uid="1", screen_name="x")
    assert take_snapshot(account, use_api=False) is None


def test_fan_history_backfilled_from_own_posts_raw_payload(workspace, account):
    at = timezone.now() - dt.timedelta(days=3)
    _item(workspace, "p1", "7390000001", kind="post", at=at,
          raw={"user": {"followers_count": 990, "friends_count": 10}})
    actions.take_snapshots(use_api=False)
    days = dict(FanSnapshot.objects.values_list("day", "followers_count"))
    assert days[at.astimezone(local_tz()).date()] == 990 and days[today()] == 1000


def test_intake_rolls_up_the_days_a_batch_touched(workspace, account):
    post = _item(workspace, "p1", "7390000001", kind="post", likes_count=5, comments_count=1)
    items = [post, _item(workspace, "c1", "5000000001", root_platform_id="p1", sentiment="negative"),
             _item(workspace, "r1", "5000000002", kind="repost", root_platform_id="p1")]
    assert intake(items) == 1
    data = DailyStat.objects.get(workspace=workspace, day=today()).data
    assert data["kinds"] == {"comment": 1, "repost": 1}
    assert data["own_posts"] == 1 and data["engagement"] == 6
    assert data["reposts"] == 1 and data["reach"] == 2
    assert data["voice"]["brand"] == 2 and data["sentiment"] == {"negative": 1}
    # Again at once: the day was recomputed moments ago, so it is only marked stale; beat's
    # refresh then gives the same figures, not doubled.
    assert intake(items) == 0
    assert DailyStat.objects.get(workspace=workspace, day=today()).stale_since is not None
    assert tasks.refresh_stale_task() == 1
    stat = DailyStat.objects.get(workspace=workspace, day=today())
    assert stat.data == data and stat.stale_since is None


def test_a_busy_day_is_recomputed_once_a_minute_not_once_a_batch(workspace, account, settings):
    settings.ROLLUP_MIN_SECONDS = 60
    first = [_item(workspace, f"a{i}", f"50000001{i:02d}") for i in range(3)]
    assert intake(first) == 1
    later = [_item(workspace, f"b{i}", f"50000002{i:02d}") for i in range(4)]
    assert intake(later) == 0  # marked, not recomputed
    stat = DailyStat.objects.get(workspace=workspace, day=today())
    assert stat.data["kinds"] == {"comment": 3} and stat.stale_since is not None
    marked = stat.stale_since
    assert intake([_item(workspace, "c0", "5000000300")]) == 0
    assert DailyStat.objects.get(pk=stat.pk).stale_since == marked  # the first mark is kept
    assert tasks.refresh_stale_task() == 1
    stat.refresh_from_db()
    assert stat.data["kinds"] == {"comment": 8} and stat.stale_since is None
    assert tasks.refresh_stale_task() == 0
    # A minute on, the next batch recomputes the day itself.
    DailyStat.objects.filter(pk=stat.pk).update(
        refreshed_at=timezone.now() - dt.timedelta(seconds=61))
    assert intake([_item(workspace, "d0", "5000000400")]) == 1
    assert DailyStat.objects.get(pk=stat.pk).data["kinds"] == {"comment": 9}


def test_every_batch_recomputes_when_the_interval_is_zero(workspace, account, settings):
    settings.ROLLUP_MIN_SECONDS = 0
    assert intake([_item(workspace, "a0", "5000000100")]) == 1
    assert intake([_item(workspace, "a1", "5000000101")]) == 1
    stat = DailyStat.objects.get(workspace=workspace, day=today())
    assert stat.data["kinds"] == {"comment": 2} and stat.stale_since is None


def test_a_mark_made_during_a_recomputation_survives_it(workspace, account):
    from inhouse.analytics.rollup import refresh_day

    intake([_item(workspace, "a0", "5000000100")])
    # Items routed while a recomputation was running may be missing from it: their mark
    # (made after the computation began) must outlive the write that ends it.
    DailyStat.objects.update(stale_since=timezone.now() + dt.timedelta(seconds=30))
    refresh_day(workspace, today())
    assert DailyStat.objects.get(workspace=workspace, day=today()).stale_since is not None


def test_share_of_voice_counts_directory_competitors(workspace, account, cast):
    from inhouse.partners import actions as partners

    partners.add_contact(workspace, cast["owner"], name="鹿鸣坚果", category="competitor",
                         weibo_uid="7390000031", weibo_name="鹿鸣坚果官方旗舰店", owner=cast["owner"])
    _item(workspace, "m1", "5000000003", kind="post", text="鹿鸣坚果和小鹿零食哪个好")
    _item(workspace, "m2", "5000000004", kind="post", text="鹿鸣坚果官方旗舰店 打折")
    tasks.refresh_recent()
    voice = DailyStat.objects.get(workspace=workspace, day=today()).data["voice"]
    assert voice == {"brand": 1, "competitors": {"鹿鸣坚果": 2}}


def test_daily_task_takes_snapshots_and_scores_fans_once_a_day(workspace, account):
    _item(workspace, "p1", "7390000001", kind="post")
    _item(workspace, "c1", "6100000001", root_platform_id="p1", intent="spam")
    first = tasks.daily()
    assert first["snapshots"] == 1 and first["fan_runs"] >= 1
    assert tasks.daily()["fan_runs"] == 0
    run = FanRun.objects.get(workspace=workspace)
    assert run.summary["scored"] == 1


def test_due_daily_report_is_sent_after_eight_and_a_failure_is_recorded(workspace, cast, account,
                                                                        monkeypatch):
    actions.update_settings(workspace, cast["owner"], daily_recipients="ops@example.com")
    local = timezone.now().astimezone(local_tz())
    early = local.replace(hour=7, minute=0)
    assert actions.due_reports(early) == []
    nine = local.replace(hour=9, minute=0)

    def broken(*args, **kwargs):
        raise ConnectionRefusedError("smtp down")

    monkeypatch.setattr("inhouse.analytics.report.email_report", broken)
    monkeypatch.setattr("inhouse.analytics.tasks.timezone.now", lambda: nine)
    assert tasks.send_due_reports() == []
    delivery = ReportDelivery.objects.get(workspace=workspace, kind="daily")
    assert "smtp down" in delivery.error and delivery.sent_at is None
    monkeypatch.undo()
    monkeypatch.setattr("inhouse.analytics.tasks.timezone.now", lambda: nine)
    assert len(tasks.send_due_reports()) == 1
    assert len(mail.outbox) == 1 and mail.outbox[0].attachments[0][2] == "application/pdf"


def test_rebuild_rolls_up_every_day_with_items(workspace, account):
    from django.core.management import call_command
    from django.core.management.base import CommandError

    _item(workspace, "c1", "5000000001", at=timezone.now() - dt.timedelta(days=3))
    _item(workspace, "c2", "5000000001")
    call_command("report", "--rebuild")
    assert DailyStat.objects.filter(workspace=workspace).count() == 4
    with pytest.raises(CommandError, match="--output"):
        call_command("report", "--period", "day")


def test_the_previous_period_is_read_from_the_summary_keys(workspace, account):
    from inhouse.analytics.kpis import dashboard
    from inhouse.analytics.periods import Period

    yesterday = today() - dt.timedelta(days=1)
    _item(workspace, "c1", "5000000001", at=timezone.now() - dt.timedelta(days=1),
          sentiment="negative")
    _item(workspace, "c2", "5000000001")
    _item(workspace, "c3", "5000000002")
    tasks.refresh_recent()
    assert "response_all" in DailyStat.objects.get(workspace=workspace, day=yesterday).data
    d = dashboard(workspace, Period(today(), today()))
    assert (d.kpi("items").value, d.kpi("items").previous) == (2, 1)
    assert d.before.negative_share == 1.0 and d.before.post_ids == []
