"""Analytics pages by role: the agency sees aggregates only; reports and their downloads;
settings changed through the audited action."""

from __future__ import annotations

import pytest
from django.core import mail

from inhouse.access.models import AuditEntry
from inhouse.analytics import actions
from inhouse.analytics.models import AnalyticsSettings, ReportDelivery
from inhouse.analytics.periods import Period
from tests.analytics.conftest import END, START

pytestmark = pytest.mark.django_db
EN = {"HTTP_ACCEPT_LANGUAGE": "en"}


def test_dashboard_shows_kpis_and_interactive_charts_with_local_plotly(client, users):
    client.force_login(users["operator"])
    response = client.get("/analytics/", {"start": START.isoformat(), "end": END.isoformat()}, **EN)
    assert response.status_code == 200
    body = response.content.decode()
    assert 'data-kpi="fans"' in body and "862,340" in body
    for key in ("volume", "sentiment", "response", "fans", "voice"):
        assert f'id="chart-{key}"' in body
    assert "/vendor/plotly.min.js?v=" in body and "cdn.plot.ly" not in body


def test_bad_period_is_named_and_the_default_week_shown(client, users):
    client.force_login(users["viewer"])
    response = client.get("/analytics/", {"start": "2026-02-30", "end": "2026-03-01"}, **EN)
    assert response.status_code == 200
    assert "start: &#x27;2026-02-30&#x27; is not a date" in response.content.decode()


def test_agency_sees_fan_aggregates_but_no_follower(client, users):
    client.force_login(users["agency"])
    body = client.get("/analytics/fans/", **EN).content.decode()
    assert "likely bots or zombie fans" in body
    assert "Your role sees the aggregates only." in body
    assert "用户6" not in body  # no bot's default nickname is listed


def test_operator_sees_flagged_followers_with_reasons(client, users):
    client.force_login(users["operator"])
    body = client.get("/analytics/fans/", **EN).content.decode()
    assert "default nickname" in body and "用户6" in body


def test_agency_cannot_open_reports(client, users):
    client.force_login(users["agency"])
    assert client.get("/analytics/reports/").status_code == 403
    assert client.get("/analytics/reports/weekly/pdf/").status_code == 403


def test_viewer_downloads_the_weekly_pdf(client, users):
    client.force_login(users["viewer"])
    response = client.get("/analytics/reports/weekly/pdf/", {"end": END.isoformat()})
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    assert f"demo-weekly-{START.isoformat()}.pdf" in response["Content-Disposition"]


def test_a_machine_without_pango_gets_a_503_saying_what_to_install(client, users, monkeypatch):
    from inhouse.reports import pdf

    def missing():
        raise pdf.PdfUnavailable("PDF reports need weasyprint and the system Pango library")

    monkeypatch.setattr(pdf, "_weasyprint", missing)
    client.force_login(users["viewer"])
    response = client.get("/analytics/reports/weekly/pdf/", {"end": END.isoformat()})
    assert response.status_code == 503
    assert "Pango" in response.content.decode()
    # the report's other format still downloads
    assert client.get("/analytics/reports/weekly/html/", {"end": END.isoformat()}).status_code == 200


def test_report_page_and_unknown_kind(client, users):
    client.force_login(users["viewer"])
    page = client.get("/analytics/reports/daily/", {"end": END.isoformat()}, **EN)
    assert page.status_code == 200 and f"Daily report {END.isoformat()}" in page.content.decode()
    assert client.get("/analytics/reports/monthly/").status_code == 404


def test_owner_sets_the_target_definition_and_recipients_audited(client, users, demo):
    client.force_login(users["owner"])
    response = client.post("/analytics/settings/", {
        "target_keywords": "零食，坚果", "target_locations": "浙江, 上海",
        "daily_recipients": "", "weekly_recipients": "boss@example.com"})
    assert response.status_code == 302
    conf = AnalyticsSettings.objects.get(workspace=demo.workspace)
    assert conf.target_keywords == ["零食", "坚果"] and conf.weekly_recipients == ["boss@example.com"]
    assert AuditEntry.objects.filter(action="analytics.settings").count() == 1


def test_bad_recipient_is_refused_with_its_field(client, users, demo):
    client.force_login(users["owner"])
    response = client.post("/analytics/settings/", {"weekly_recipients": "boss@", **{}}, **EN)
    assert response.status_code == 400
    assert "not an e-mail address: boss@" in response.content.decode()
    assert not AnalyticsSettings.objects.filter(workspace=demo.workspace).exists()


def test_operator_cannot_change_settings(users, demo):
    with pytest.raises(actions.NotAllowed):
        actions.update_settings(demo.workspace, users["operator"], weekly_recipients="a@b.cn")


def test_weekly_report_is_emailed_once_with_the_pdf(demo, users):
    import datetime as dt

    actions.update_settings(demo.workspace, users["owner"], weekly_recipients="boss@example.com")
    monday = dt.datetime(END.year, END.month, END.day, 9, 0, tzinfo=dt.UTC) + dt.timedelta(
        days=(7 - END.weekday()) % 7 or 7)  # 17:00 Beijing on the Monday after END … any Monday
    due = actions.due_reports(monday)
    assert [(kind, p.end.weekday()) for _, kind, p, _ in due] == [("weekly", 6)]
    workspace, kind, period, recipients = due[0]
    actions.send_report(workspace, kind, period, recipients)
    actions.send_report(workspace, kind, period, recipients)  # already sent: nothing more
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["boss@example.com"]
    name, content, mimetype = message.attachments[0]
    assert mimetype == "application/pdf" and content.startswith(b"%PDF")
    assert ReportDelivery.objects.get(workspace=demo.workspace, kind="weekly").sent_at is not None
    assert actions.due_reports(monday) == []


def test_period_of_a_weekly_report_is_seven_days():
    assert Period.report("weekly", END) == Period(START, END)
    assert Period(START, END).previous().days == 7
