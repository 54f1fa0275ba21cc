"""The shared report rendering: SVG charts, a PDF that really draws them, plotly served offline."""

from __future__ import annotations

import datetime as dt

import pytest

from inhouse.reports import charts, pdf

DAY = dt.datetime(2026, 11, 2, tzinfo=dt.UTC)
SERIES = {"粉丝": [(DAY + dt.timedelta(days=i), 1000 + 37 * i) for i in range(7)],
          "fans (previous)": [(DAY + dt.timedelta(days=i), 980 + 20 * i) for i in range(7)]}


def _page_images(data: bytes, scale: float = 1.0):
    pdfium = pytest.importorskip("pypdfium2")
    doc = pdfium.PdfDocument(data)
    try:
        return [doc[i].render(scale=scale).to_pil().convert("L") for i in range(len(doc))]
    finally:
        doc.close()


def _ink(image, box) -> float:
    """Share of pixels in ``box`` (left, top, right, bottom as fractions) that are not white."""
    w, h = image.size
    crop = image.crop((int(box[0] * w), int(box[1] * h), int(box[2] * w), int(box[3] * h)))
    hist = crop.histogram()  # 256 bins of the grey level
    return sum(hist[:200]) / max(sum(hist), 1)


def test_line_chart_is_an_svg_with_a_path_per_series():
    svg = charts.line_chart_svg(SERIES, "粉丝数", "人")
    assert svg.startswith("<svg")
    assert svg.count('id="line2d_') >= 2


def test_same_data_gives_the_same_svg():
    assert charts.bar_chart_svg({"a": 1, "b": 2}, "t") == charts.bar_chart_svg({"a": 1, "b": 2}, "t")


def test_empty_chart_says_so_instead_of_failing():
    svg = charts.line_chart_svg({"x": []}, "empty", empty_text="no data")
    assert svg.startswith("<svg")


def test_cjk_font_is_found_when_installed():
    from matplotlib import font_manager

    charts.cjk_font_family()  # finds a font installed after matplotlib cached its list
    if not any("WenQuanYi" in f.name for f in font_manager.fontManager.ttflist):
        pytest.skip("fonts-wqy-microhei is not installed on this machine")
    assert charts.cjk_font_family()[0] == "WenQuanYi Micro Hei"


def _doc(body: str) -> str:
    return f"<!doctype html><html><head><meta charset='utf-8'></head><body>{body}</body></html>"


def test_pdf_draws_the_chart_and_leaves_the_rest_blank():
    chart = charts.line_chart_svg(SERIES, "粉丝数 (fans)", "人")
    # the chart alone in the upper half of page 1; nothing in the lower half
    html = _doc(f"<div style='height:120mm'><img class='chart' src='{charts.svg_data_uri(chart)}'></div>")
    data = pdf.html_to_pdf(html)
    assert data.startswith(b"%PDF")
    page = _page_images(data)[0]
    assert _ink(page, (0.05, 0.04, 0.95, 0.30)) > 0.01, "the chart area is blank"
    assert _ink(page, (0.05, 0.60, 0.95, 0.95)) == 0.0


def test_pdf_renders_chinese_text_with_a_cjk_font():
    data = pdf.html_to_pdf(_doc("<h1>每周报告 测试</h1>"))
    page = _page_images(data)[0]
    assert _ink(page, (0.0, 0.0, 1.0, 0.12)) > 0.002


def test_pdf_unavailable_names_what_to_install(monkeypatch):
    import builtins

    real_import = builtins.__import__

    def refuse(name, *args, **kwargs):
        if name == "weasyprint":
            raise OSError("cannot load library 'libpango-1.0-0'")
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", refuse)
    with pytest.raises(pdf.PdfUnavailable, match="apt-get install libpango"):
        pdf.html_to_pdf("<p>x</p>")


def test_interactive_div_loads_no_cdn():
    from inhouse.reports import interactive

    div = interactive.figure_div(interactive.line_figure(SERIES, "粉丝"), div_id="fans")
    assert 'id="fans"' in div and "cdn" not in div.lower() and "<script" in div
    assert 'src="http' not in div


def test_plotly_js_is_served_from_the_package_to_members(client, cast):
    from inhouse.reports import interactive

    assert client.get(interactive.plotly_js_url()).status_code == 302  # anonymous: to login
    client.force_login(cast["agency"])
    response = client.get(interactive.plotly_js_url())
    assert response.status_code == 200
    assert response["Content-Type"] == "text/javascript"
    body = b"".join(response.streaming_content)
    assert len(body) > 1_000_000 and b"plotly" in body[:2000].lower()


def test_chart_data_cannot_close_the_script_tag():
    from inhouse.reports import interactive

    div = interactive.figure_div(interactive.bar_figure([("</script><b>x", 1)], "</script>"))
    assert div.count("</script>") == 1  # only the div's own closing tag
