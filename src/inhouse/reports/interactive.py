"""Interactive charts with plotly.js, offline: the script comes from the installed plotly package.

Figures are plain plotly JSON (``{"data": [...], "layout": {...}}``) built here without
``plotly.graph_objects``, whose validation costs ~60 ms a figure — too slow for a dashboard of
five charts. ``figure_div`` turns one into a ``<div>`` and a call to ``Plotly.newPlot``; the
page loads plotly.js once with ``<script src="{{ plotly_js_url }}">``. ``plotly_js`` is the view
serving the file (routed in ``inhouse/urls.py`` behind ``desk_view``: any member), cached for a
year because the URL carries plotly's version. A ``plotly.graph_objects.Figure`` is accepted
too (anything with ``to_plotly_json``).
"""

from __future__ import annotations

import datetime as dt
import functools
import json
import uuid
from collections.abc import Mapping, Sequence
from html import escape
from pathlib import Path

from django.core.serializers.json import DjangoJSONEncoder
from django.http import FileResponse, HttpRequest, HttpResponse
from django.urls import reverse

PALETTE = ("#2f6db3", "#c0392b", "#27ae60", "#8e44ad", "#e67e22", "#16a085", "#7f8c8d")
FONT = "WenQuanYi Micro Hei, Noto Sans CJK SC, PingFang SC, Microsoft YaHei, sans-serif"


@functools.lru_cache(maxsize=1)
def plotly_js_path() -> Path:
    import plotly

    path = Path(plotly.__file__).parent / "package_data" / "plotly.min.js"
    if not path.is_file():
        raise FileNotFoundError(f"plotly.min.js is missing from the plotly package at {path}")
    return path


@functools.lru_cache(maxsize=1)
def plotly_version() -> str:
    from importlib.metadata import version

    return version("plotly")


def plotly_js_url() -> str:
    """Where pages load plotly.js from (never a CDN); the version busts caches on upgrade."""
    return reverse("plotly-js") + f"?v={plotly_version()}"


def plotly_js(request: HttpRequest) -> HttpResponse:
    """Serve plotly.min.js from the installed package (a library, no data of the desk)."""
    response = FileResponse(plotly_js_path().open("rb"), content_type="text/javascript")
    response["Cache-Control"] = "private, max-age=31536000, immutable"
    return response


def figure_div(fig, div_id: str | None = None, height: int = 300) -> str:
    """A figure as an HTML div plus its newPlot call; plotly.js must be loaded on the page."""
    spec = fig.to_plotly_json() if hasattr(fig, "to_plotly_json") else dict(fig)
    layout = {"template": None, "paper_bgcolor": "#fff", "plot_bgcolor": "#fff",
              **spec.get("layout", {}), "height": height,
              "margin": {"l": 48, "r": 16, "t": 36, "b": 36}, "font": {"family": FONT}}
    layout.setdefault("xaxis", {}).setdefault("gridcolor", "#eee")
    layout.setdefault("yaxis", {}).setdefault("gridcolor", "#eee")
    div_id = div_id or f"plot-{uuid.uuid4().hex[:12]}"
    payload = json.dumps([spec.get("data", []), layout, {"displaylogo": False, "responsive": True}],
                         cls=DjangoJSONEncoder, ensure_ascii=False)
    payload = payload.replace("</", "<\\/")  # never close the script tag from inside the data
    return (f'<div id="{escape(div_id)}" class="plotly-chart" style="height:{height}px"></div>'
            f'<script>Plotly.newPlot("{escape(div_id)}", ...{payload});</script>')


def line_figure(series: Mapping[str, Sequence[tuple[dt.datetime, float]]], title: str,
                y_label: str = "") -> dict:
    """The interactive twin of ``charts.line_chart_svg`` (same input)."""
    data = []
    for i, (name, points) in enumerate(series.items()):
        pts = sorted(points)
        data.append({"type": "scatter", "name": name, "x": [p[0] for p in pts],
                     "y": [p[1] for p in pts],
                     "mode": "lines+markers" if len(pts) < 40 else "lines",
                     "line": {"color": PALETTE[i % len(PALETTE)]}})
    return {"data": data, "layout": {"title": {"text": title}, "yaxis": {"title": {"text": y_label}},
                                     "showlegend": len(series) > 1}}


def bar_figure(values: Mapping[str, float] | Sequence[tuple[str, float]], title: str,
               y_label: str = "", stacked: Mapping[str, Sequence[float]] | None = None) -> dict:
    """The interactive twin of ``charts.bar_chart_svg`` (same input)."""
    pairs = list(values.items()) if isinstance(values, Mapping) else list(values)
    labels = [str(k) for k, _ in pairs]
    layout = {"title": {"text": title}, "yaxis": {"title": {"text": y_label}},
              "xaxis": {"type": "category"}, "showlegend": bool(stacked)}
    if stacked:
        data = [{"type": "bar", "name": name, "x": labels, "y": list(ys),
                 "marker": {"color": PALETTE[i % len(PALETTE)]}}
                for i, (name, ys) in enumerate(stacked.items())]
        layout["barmode"] = "stack"
    else:
        data = [{"type": "bar", "x": labels, "y": [v for _, v in pairs],
                 "marker": {"color": PALETTE[0]}}]
    return {"data": data, "layout": layout}
