"""Campaign pages: the agency plans on the desk; those on duty post from the live page."""

from __future__ import annotations

import pytest

from inhouse.campaigns.intake import intake
from inhouse.campaigns.models import Campaign
from inhouse.content.models import Draft, State
from tests.inbox import factories as f

pytestmark = pytest.mark.django_db
EN = {"HTTP_ACCEPT_LANGUAGE": "en"}


def test_the_agency_creates_a_campaign_and_plans_an_event(client, cast, partner):
    client.force_login(cast["agency"])
    response = client.post("/campaigns/new/", {
        "name": "春节礼盒", "goal": "预售", "starts_at": "2026-12-20T10:00", "ends_at": "2026-12-31T23:00",
        "hashtag": "小鹿年货节", "partners": [partner.pk]})
    campaign = Campaign.objects.get()
    assert response.status_code == 302 and campaign.hashtag == "#小鹿年货节#"
    client.post(f"/campaigns/{campaign.pk}/events/", {"name": "年货市集", "place": "云栖汇",
                                                      "starts_at": "2026-12-24T14:00", "ends_at": "2026-12-24T20:00"})
    event = campaign.events.get()
    client.post(f"/campaigns/events/{event.pk}/timeline/", {"at": "2026-12-24T14:00", "what": "开门"})
    page = client.get(f"/campaigns/{campaign.pk}/", **EN).content.decode()
    assert "年货市集" in page and "开门" in page
    assert 'data-testid="instant-form"' not in page
    assert client.post(f"/campaigns/{campaign.pk}/instant/", {"text": "x", "nonce": "n"}).status_code == 403
    bad = client.post("/campaigns/new/", {"name": "倒着", "starts_at": "2026-12-20T10:00",
                                          "ends_at": "2026-12-01T10:00"}, **EN)
    assert bad.status_code == 400 and "ends before it starts" in bad.content.decode()


def test_on_duty_the_operator_publishes_from_the_live_page(client, cast, campaign, keynote, workspace, monkeypatch):
    monkeypatch.setattr("inhouse.outbox.tasks.send_write_task.delay", lambda pk: None)
    from inhouse.core.models import Account

    Account.objects.create(workspace=workspace, platform_uid="7390000001", screen_name="小鹿零食官方微博")
    fan = f.author("5001", "快乐的橘子")
    intake([f.item(workspace, "post", 5, "抢到礼盒 #小鹿暖冬零食节#", by=fan)])
    client.force_login(cast["operator"])
    live = client.get(f"/campaigns/{campaign.pk}/live/", **EN).content.decode()
    assert "抢到礼盒" in live and 'data-testid="instant-form"' in live
    partial = client.get(f"/campaigns/{campaign.pk}/live/", HTTP_HX_REQUEST="true").content.decode()
    assert "抢到礼盒" in partial and "<html" not in partial
    form = {"text": "快闪店开门啦 #小鹿零食#", "nonce": "nonce-1", "event": ""}
    client.post(f"/campaigns/{campaign.pk}/instant/", form)
    client.post(f"/campaigns/{campaign.pk}/instant/", form)  # a double click
    draft = Draft.objects.get()
    assert draft.state == State.PUBLISHED and draft.write.idempotency_key == f"content:draft-{draft.pk}"


def test_the_report_says_what_it_cannot_know(client, cast, campaign):
    client.force_login(cast["viewer"])
    page = client.get(f"/campaigns/{campaign.pk}/report/", **EN).content.decode()
    assert "Not known: the daily follower snapshots do not cover" in page
    assert "Not available: none of the campaign's authors has been scored" in page
    assert "暖风家电" in page
    assert client.get(f"/campaigns/{campaign.pk}/live/").status_code == 200
    client.force_login(cast["agency"])
    assert client.get(f"/campaigns/{campaign.pk}/report/").status_code == 403
    assert client.get(f"/campaigns/{campaign.pk}/live/").status_code == 403


def test_the_pages_speak_chinese_by_default(client, cast, campaign):
    client.force_login(cast["owner"])
    assert "伙伴贡献" in client.get(f"/campaigns/{campaign.pk}/report/").content.decode()
    assert "线下活动" in client.get(f"/campaigns/{campaign.pk}/").content.decode()


def test_the_draft_editor_offers_the_campaigns(client, cast, campaign):
    client.force_login(cast["agency"])
    page = client.get("/content/new/").content.decode()
    assert 'list="campaign-names"' in page and '<option value="暖冬零食节">' in page


def test_the_report_takes_new_fans_and_target_customers_from_analytics(client, cast, campaign):
    import datetime as dt

    from django.utils import timezone

    from inhouse.analytics.models import FanScore, FanSnapshot
    from inhouse.core.models import Account

    workspace = campaign.workspace
    account = Account.objects.create(workspace=workspace, platform_uid="7390000001",
                                     screen_name="小鹿零食官方微博")
    first = timezone.localtime(campaign.starts_at).date() - dt.timedelta(days=1)
    for day, followers in ((first, 10_000), (timezone.localtime(campaign.ends_at).date(), 10_450)):
        FanSnapshot.objects.create(workspace=workspace, account=account, day=day,
                                   followers_count=followers, source="author", taken_at=timezone.now())
    fans = [f.author(f"60{n}", f"粉丝{n}") for n in range(4)]
    intake([f.item(workspace, "post", 5 + n, "抢到礼盒 #小鹿暖冬零食节#", by=a) for n, a in enumerate(fans)])
    for n, author in enumerate(fans):  # 3 likely customers, 1 of them a likely bot: 2 of 4
        FanScore.objects.create(workspace=workspace, author=author, bot_score=0.9 if n == 0 else 0.1,
                                target_score=0.8 if n < 3 else 0.2, items_count=1,
                                period_start=first, period_end=first, computed_at=timezone.now())
    client.force_login(cast["viewer"])
    page = client.get(f"/campaigns/{campaign.pk}/report/", **EN).content.decode()
    assert "Not known" not in page and "Not available" not in page
    assert ">450<" in page and ">50%<" in page


def test_the_report_has_a_chart_and_exports_as_csv_and_pdf(client, cast, campaign):
    import csv
    import io

    fans = [f.author(f"61{n}", f"粉丝{n}") for n in range(3)]
    intake([f.item(campaign.workspace, "post", 5 + n, "抢到礼盒 #小鹿暖冬零食节#", by=a)
            for n, a in enumerate(fans)])
    client.force_login(cast["viewer"])
    page = client.get(f"/campaigns/{campaign.pk}/report/", **EN).content.decode()
    chart = page.split('data-testid="day-chart">', 1)[1].split("</figure>", 1)[0]
    assert chart.lstrip().startswith("<svg") and "<path" in chart  # a drawn line, not a blank
    assert 'data-testid="export-csv"' in page and 'data-testid="export-pdf"' in page

    response = client.get(f"/campaigns/{campaign.pk}/report.csv")
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    text = response.content.decode("utf-8")
    assert text.startswith("\ufeff")  # spreadsheets read the Chinese names right
    rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))
    figures = {r[1]: r[2] for r in rows if r[0] == "figure"}
    assert figures["items_followed"] == "3" and figures["authors"] == "3"
    assert figures["new_fans"] == ""  # not known is blank, never a made-up zero
    assert sum(int(r[2]) for r in rows if r[0] == "day") == 3
    assert any(r[0] == "partner" for r in rows)

    pdf = client.get(f"/campaigns/{campaign.pk}/report.pdf")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    client.force_login(cast["agency"])  # the agency plans but does not read reports
    assert client.get(f"/campaigns/{campaign.pk}/report.csv").status_code == 403
    assert client.get(f"/campaigns/{campaign.pk}/report.pdf").status_code == 403
