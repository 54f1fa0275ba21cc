"""Loading the demo week into the database: workspace, account, the cast, idempotent ingest."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.management import call_command

from inhouse.access.models import Membership
from inhouse.core.models import Account, Item, Workspace
from inhouse.sources.demo import brand, load_demo

START = dt.date(2026, 11, 16)
SCALE = 0.02  # about 450 items: enough for every storyline, fast on SQLite


@pytest.mark.django_db
def test_load_creates_the_workspace_account_and_one_user_per_role():
    result = load_demo(start=START, scale=SCALE, analyze=False)
    workspace = Workspace.objects.get(slug="demo")
    assert result.workspace == workspace
    assert brand.BRAND in workspace.dictionary and "鹿角脆" in workspace.dictionary
    account = Account.objects.get(workspace=workspace)
    assert account.platform_uid == brand.OFFICIAL_UID and account.is_enterprise
    roles = dict(Membership.objects.filter(workspace=workspace).values_list("user__username", "role"))
    assert roles == {"demo-owner": "owner", "demo-operator": "operator", "demo-expert": "expert",
                     "demo-agency": "agency", "demo-viewer": "viewer"}
    assert [login.role for login in result.logins][0] == "owner"
    assert result.rejected == 0
    assert Item.objects.filter(workspace=workspace).count() == len(result.scenario.records)
    # Items that concern the official account are linked to it.
    assert Item.objects.filter(workspace=workspace, account=account).exists()


@pytest.mark.django_db
def test_load_twice_stores_each_item_once_and_printed_passwords_work(django_user_model):
    load_demo(start=START, scale=SCALE, analyze=False)
    second = load_demo(start=START, scale=SCALE, analyze=False)
    assert second.created == 0 and second.unchanged == len(second.scenario.records)
    refreshed = load_demo(start=START, scale=SCALE, analyze=False, refresh=True)
    assert refreshed.created == 0 and refreshed.updated == len(second.scenario.records)
    assert Item.objects.count() == len(second.scenario.records)
    assert Membership.objects.count() == 5
    owner = next(login for login in refreshed.logins if login.role == "owner")
    assert django_user_model.objects.get(username=owner.username).check_password(owner.password)


@pytest.mark.django_db
def test_loading_another_week_replaces_the_earlier_one():
    load_demo(start=START, scale=SCALE, analyze=False)
    later = load_demo(start=START + dt.timedelta(days=1), scale=SCALE, analyze=False)
    assert later.replaced > 0
    assert Item.objects.count() == len(later.scenario.records)


@pytest.mark.django_db
def test_load_holds_back_items_later_than_until():
    until = dt.datetime(2026, 11, 22, 12, 0, tzinfo=dt.timezone(dt.timedelta(hours=8)))
    result = load_demo(start=START, scale=SCALE, until=until, analyze=False)
    assert result.skipped_future > 0
    assert not Item.objects.filter(created_at__gt=until).exists()


@pytest.mark.django_db
def test_load_analyses_and_routes_the_items():
    try:
        result = load_demo(start=START, scale=SCALE)
    except Exception as exc:  # the NLP model files are built by `inhouse nlp train all`
        if "model file missing" in str(exc):
            pytest.skip(f"NLP models not built: {exc}")
        raise
    assert "analyze" in result.timings and "route" in result.timings
    assert not Item.objects.filter(analyzed_at__isnull=True).exists()


@pytest.mark.django_db
def test_demo_load_command_prints_the_desk_url_and_owner_login_first():
    out = io.StringIO()
    call_command("demo", "load", "--start", START.isoformat(), "--scale", str(SCALE), "--no-analyze", stdout=out)
    text = out.getvalue()
    assert "http://127.0.0.1:8000/" in text
    logins = [line.split()[0] for line in text.splitlines() if line.startswith("  ")]
    assert logins == ["owner", "operator", "expert", "agency", "viewer"]
