"""Interactive charts with plotly, offline: plotly.js comes from the installed plotly package.

``figure_div`` returns only the ``<div>`` and its small script; the page loads plotly.js once
with ``<script src="{{ plotly_js_url }}">``. ``plotly_js`` is the view that serves the file
(routed in ``inhouse/urls.py`` behind ``desk_view``: any member), cached for a year because
the URL carries plotly's version.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Mapping, Sequence
from pathlib import Path

from django.http import FileResponse, HttpRequest, HttpResponse
from django.urls import reverse

PALETTE = ("#2f6db3", "#c0392b", "#27ae60", "#8e44ad", "#e67e22", "#16a085", "#7f8c8d")


@functools.lru_cache(maxsize=1)
def plotly_js_path() -> Path:
    import plotly

    path = Path(plotly.__file__).parent / "package_data" / "plotly.min.js"
    if not path.is_file():
        raise FileNotFoundError(f"plotly.min.js is missing from the plotly package at {path}")
    return path


@functools.lru_cache(maxsize=1)
def plotly_version() -> str:
    import plotly

    return plotly.__version__


def plotly_js_url() -> str:
    """Where pages load plotly.js from (never a CDN); the version busts caches on upgrade."""
    return reverse("plotly-js") + f"?v={plotly_version()}"


def plotly_js(request: HttpRequest) -> HttpResponse:
    """Serve plotly.min.js from the installed package (a library, no data of the desk)."""
    response = FileResponse(plotly_js_path().open("rb"), content_type="text/javascript")
    response["Cache-Control"] = "private, max-age=31536000, immutable"
    return response


def figure_div(fig, div_id: str | None = None, height: int = 300) -> str:
    """A plotly figure as an HTML div; plotly.js must already be loaded on the page."""
    fig.update_layout(height=height, margin={"l": 48, "r": 16, "t": 36, "b": 36},
                      font={"family": "WenQuanYi Micro Hei, Noto Sans CJK SC, sans-serif"},
                      template="plotly_white")
    return fig.to_html(full_html=False, include_plotlyjs=False, div_id=div_id,
                       config={"displaylogo": False, "responsive": True})


def line_figure(series: Mapping[str, Sequence[tuple[dt.datetime, float]]], title: str,
                y_label: str = ""):
    """The interactive twin of ``charts.line_chart_svg`` (same input)."""
    import plotly.graph_objects as go

    fig = go.Figure()
    for i, (name, points) in enumerate(series.items()):
        pts = sorted(points)
        fig.add_trace(go.Scatter(x=[p[0] for p in pts], y=[p[1] for p in pts], name=name,
                                 mode="lines+markers" if len(pts) < 40 else "lines",
                                 line={"color": PALETTE[i % len(PALETTE)]}))
    fig.update_layout(title=title, yaxis_title=y_label, showlegend=len(series) > 1)
    return fig


def bar_figure(values: Mapping[str, float] | Sequence[tuple[str, float]], title: str,
               y_label: str = "", stacked: Mapping[str, Sequence[float]] | None = None):
    """The interactive twin of ``charts.bar_chart_svg`` (same input)."""
    import plotly.graph_objects as go

    pairs = list(values.items()) if isinstance(values, Mapping) else list(values)
    labels = [str(k) for k, _ in pairs]
    fig = go.Figure()
    if stacked:
        for i, (name, ys) in enumerate(stacked.items()):
            fig.add_trace(go.Bar(x=labels, y=list(ys), name=name,
                                 marker_color=PALETTE[i % len(PALETTE)]))
        fig.update_layout(barmode="stack")
    else:
        fig.add_trace(go.Bar(x=labels, y=[v for _, v in pairs], marker_color=PALETTE[0]))
    fig.update_layout(title=title, yaxis_title=y_label, showlegend=bool(stacked))
    return fig
