"""The demo week's weekly report: KPIs from the roll-ups, HTML and PDF with every chart drawn,
the command line, the download and the scheduled e-mail."""

from __future__ import annotations

import pytest

from inhouse.analytics import figures, kpis, report
from inhouse.analytics.models import DailyStat, FanSnapshot
from inhouse.analytics.periods import Period
from tests.analytics.conftest import END, START

pytestmark = pytest.mark.django_db
WEEK = Period(START, END)
CHARTS = ("volume", "sentiment", "response", "fans", "voice")


def _colour_share(image) -> float:
    """Share of pixels with colour (the data: bars and lines); axes and text are grey."""
    rgb = image.convert("RGB")
    hist = 0
    pixels = rgb.get_flattened_data() if hasattr(rgb, "get_flattened_data") else rgb.getdata()
    for r, g, b in pixels:
        hist += max(r, g, b) - min(r, g, b) > 60
    return hist / (rgb.size[0] * rgb.size[1])


def test_week_kpis_come_from_the_daily_rollups(demo):
    d = kpis.dashboard(demo.workspace, WEEK)
    assert DailyStat.objects.filter(workspace=demo.workspace, day__range=(START, END)).count() == 7
    official = [r for r in demo.scenario.records
                if r["kind"] == "post" and r["author"]["uid"] == "7390000001"]
    assert d.now.own_posts == len(official) > len(demo.scenario.truth["brand_post_ids"])
    assert d.kpi("items").value == d.now.items > 1000
    assert d.kpi("items").previous == 0  # nothing in the week before the demo
    assert d.kpi("fans").value == 862_340  # the official account as synced
    assert 0 < d.kpi("negative_share").value < 1
    assert d.kpi("first_response").value > 0
    assert d.top and d.top[0]["engagement"] >= d.top[-1]["engagement"]
    assert set(d.top[0]) >= {"text", "reposts_count"}


def test_rollup_is_idempotent(demo):
    from inhouse.analytics.rollup import refresh_day

    before = DailyStat.objects.get(workspace=demo.workspace, day=START).data
    refresh_day(demo.workspace, START)
    assert DailyStat.objects.get(workspace=demo.workspace, day=START).data == before


def test_fan_history_is_backfilled_from_the_own_posts_payloads(demo):
    days = set(FanSnapshot.objects.filter(workspace=demo.workspace).values_list("day", flat=True))
    assert {START, END} <= days


def test_every_chart_of_the_demo_week_has_data(demo):
    charts = figures.build(kpis.dashboard(demo.workspace, WEEK))
    assert [c.key for c in charts] == list(CHARTS)
    assert [c.key for c in charts if c.empty] == []


def test_weekly_report_renders_as_html_and_pdf_and_every_chart_is_drawn(demo):
    pdfium = pytest.importorskip("pypdfium2")
    from inhouse.reports.pdf import render_document

    html = report.render_html(demo.workspace, "weekly", WEEK)
    assert "<script" not in html  # a standalone file: static SVG charts
    for key in CHARTS:
        assert f'id="report-chart-{key}"' in html
    document = render_document(html)
    pdf = pdfium.PdfDocument(document.write_pdf())
    found = {}
    for index, page in enumerate(document.pages):
        image = pdf[index].render(scale=1).to_pil()
        ratio = image.size[0] / page.width  # CSS px → rendered pixels
        for anchor, (x0, y0, x1, y1) in page.anchors.items():
            if anchor.startswith("report-chart-"):  # the chart's box as laid out
                assert y1 - y0 > 100, f"{anchor} has no height"
                box = (int(x0 * ratio), int(y0 * ratio), int(x1 * ratio), int(y1 * ratio))
                found[anchor[len("report-chart-"):]] = _colour_share(image.crop(box))
    assert set(found) == set(CHARTS)
    blank = {k: v for k, v in found.items() if v < 0.003}
    assert not blank, f"charts drawn blank: {blank}"


def test_a_chart_without_data_is_caught_as_blank(demo):
    pdfium = pytest.importorskip("pypdfium2")
    from inhouse.reports.charts import bar_chart_svg, svg_data_uri
    from inhouse.reports.pdf import html_to_pdf

    svg = bar_chart_svg([], "nothing", empty_text="no data")
    pdf = pdfium.PdfDocument(html_to_pdf(f"<img class='chart' src='{svg_data_uri(svg)}'>"))
    image = pdf[0].render(scale=1).to_pil()
    assert _colour_share(image) == 0


def test_command_line_writes_the_weekly_pdf_and_html(demo, tmp_path):
    from django.core.management import call_command

    out = tmp_path / "week.pdf"
    call_command("report", "--period", "week", "--format", "pdf", "--output", str(out),
                 "--workspace", "demo", "--end", END.isoformat())
    assert out.read_bytes().startswith(b"%PDF")
    page = tmp_path / "week.html"
    call_command("report", "--period", "day", "--format", "html", "--output", str(page),
                 "--end", END.isoformat(), "--no-refresh")
    assert "report-chart-volume" in page.read_text(encoding="utf-8")


def test_command_line_names_a_bad_date(demo, tmp_path):
    from django.core.management import call_command
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="--end: '2026-13-01'"):
        call_command("report", "--output", str(tmp_path / "x.pdf"), "--end", "2026-13-01")
