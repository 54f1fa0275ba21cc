"""The post-incident report: the page, its lessons (audited), and a PDF with the title and a
chart that is really drawn."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import translation

from inhouse.access.models import AuditEntry
from inhouse.monitoring import actions
from inhouse.monitoring.intake import intake
from inhouse.monitoring.models import Incident, Topic
from inhouse.monitoring.report import duration_text

from .factories import viral_thread


@pytest.fixture
def incident(workspace, cast):
    Topic.objects.create(workspace=workspace, name="brand", query="小鹿零食",
                         settings={"detectors": ["viral"]})
    intake(viral_thread(workspace))
    incident = Incident.objects.get()
    actions.transition_incident(incident, "acknowledged", cast["operator"])
    actions.add_incident_event(incident, "statement", "官方声明：已下架该批次并联系顾客", cast["operator"])
    actions.transition_incident(incident, "resolved", cast["operator"])
    incident.refresh_from_db()
    return incident


def test_durations_read_as_people_say_them():
    with translation.override("en"):  # the desk's default is zh-Hans
        assert duration_text(dt.timedelta(minutes=7)) == "7 min"
        assert duration_text(dt.timedelta(minutes=65)) == "1 h 05 min"
        assert duration_text(dt.timedelta(days=2, hours=3)) == "2 d 3 h"
        assert duration_text(None) == "—"
    with translation.override("zh-hans"):
        assert duration_text(dt.timedelta(minutes=7)) == "7 分钟"


def test_the_report_page_has_the_story_the_actions_and_the_times(client, cast, incident):
    client.force_login(cast["viewer"])
    page = client.get(f"/monitoring/incidents/{incident.pk}/report/", HTTP_ACCEPT_LANGUAGE="en")
    html = page.content.decode()
    assert page.status_code == 200
    # The title is said in the reader's language, whatever language it was stored in.
    assert "brand: Post spreading fast" in html and "is spreading" in html and "吃出苍蝇" in html
    assert "官方声明" in html and html.count('data-testid="team-action"') >= 2
    assert 'id="spread-chart" src="data:image/svg+xml;base64,' in html
    assert 'data-testid="sentiment-negative"><th>negative</th><td>81</td>' in html
    assert "Key reposters" in html and "<textarea" not in html  # the viewer only reads


def test_lessons_are_saved_by_who_manages_incidents_and_audited(client, cast, incident):
    client.force_login(cast["operator"])
    url = f"/monitoring/incidents/{incident.pk}/report/"
    assert client.post(url, {"lessons": "夜间值班要有人看企业微信群"}).status_code == 302
    incident.refresh_from_db()
    assert incident.lessons == "夜间值班要有人看企业微信群"
    assert AuditEntry.objects.filter(action="incident.lessons").exists()
    client.force_login(cast["viewer"])
    assert client.post(url, {"lessons": "x"}).status_code == 403
    incident.refresh_from_db()
    assert incident.lessons == "夜间值班要有人看企业微信群"


@pytest.mark.parametrize("role", ["agency", "expert"])
def test_the_report_is_refused_to_agency_and_expert(client, cast, incident, role):
    client.force_login(cast[role])
    assert client.get(f"/monitoring/incidents/{incident.pk}/report/").status_code == 403
    assert client.get(f"/monitoring/incidents/{incident.pk}/report.pdf").status_code == 403


def test_without_weasyprint_the_pdf_link_says_what_to_install(client, cast, incident, monkeypatch):
    from inhouse.reports import pdf

    def missing():
        raise pdf.PdfUnavailable("PDF reports need weasyprint and the system Pango library")

    monkeypatch.setattr(pdf, "_weasyprint", missing)
    client.force_login(cast["operator"])
    response = client.get(f"/monitoring/incidents/{incident.pk}/report.pdf")
    assert response.status_code == 503 and "Pango" in response.content.decode()


def test_the_pdf_has_the_title_and_a_drawn_chart(client, cast, incident):
    pdfium = pytest.importorskip("pypdfium2")
    actions.save_incident_lessons(incident, "下次先回复首帖", cast["operator"])
    client.force_login(cast["operator"])
    response = client.get(f"/monitoring/incidents/{incident.pk}/report.pdf")
    if response.status_code == 503:
        pytest.skip(response.content.decode())  # weasyprint's system libraries missing
    assert response["Content-Type"] == "application/pdf"
    data = response.content
    assert data.startswith(b"%PDF")
    doc = pdfium.PdfDocument(data)
    try:
        text = "".join(doc[i].get_textpage().get_text_range() for i in range(len(doc)))
        assert "brand：快速传播的微博" in text and "下次先回复首帖" in text  # zh-Hans by default
        # The chart: find the page and box weasyprint laid it out at, and look for ink there.
        from django.template.loader import render_to_string

        from inhouse.monitoring.report import report_context
        from inhouse.reports.pdf import render_document

        layout = render_document(render_to_string("monitoring/report_pdf.html",
                                                  report_context(incident)))
        page_no, anchor = next((i, p.anchors["spread-chart"])
                               for i, p in enumerate(layout.pages) if "spread-chart" in p.anchors)
        page = layout.pages[page_no]
        image = doc[page_no].render(scale=1).to_pil().convert("L")
    finally:
        doc.close()
    x, y = anchor[0], anchor[1]  # top left of the chart, in CSS px
    w, h = image.size
    sx, sy = w / page.width, h / page.height
    crop = image.crop((int(x * sx), int(y * sy), int(w * 0.95), int(min(h, (y + 150) * sy))))
    hist = crop.histogram()
    assert sum(hist[:200]) / max(sum(hist), 1) > 0.01, "the chart area is blank"
