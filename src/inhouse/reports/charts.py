"""Static charts as SVG strings (matplotlib, Agg backend), for PDFs and e-mail.

Text is drawn as paths (``svg.fonttype = "path"``), so the SVG shows Chinese labels anywhere,
including weasyprint, without the reader having the font. The CJK font is looked up once in
matplotlib's font manager; without one the labels fall back to DejaVu Sans (Latin only).
"""

from __future__ import annotations

import datetime as dt
import functools
import io
import logging
from collections.abc import Mapping, Sequence

# matplotlib logs at INFO for every bar chart whose labels look like dates ("11-02").
logging.getLogger("matplotlib.category").setLevel(logging.WARNING)

CJK_CANDIDATES = (
    "WenQuanYi Micro Hei", "Noto Sans CJK SC", "Source Han Sans SC", "Noto Sans SC",
    "PingFang SC", "Microsoft YaHei", "SimHei", "AR PL UMing CN",
)
PALETTE = ("#2f6db3", "#c0392b", "#27ae60", "#8e44ad", "#e67e22", "#16a085", "#7f8c8d")
SIZE = (7.0, 2.8)  # inches; 100 dpi nominal → 700 × 280 viewBox


@functools.lru_cache(maxsize=1)
def cjk_font_family() -> list[str]:
    """The font family list for matplotlib: the first CJK font installed, then DejaVu Sans."""
    from matplotlib import font_manager

    installed = {f.name for f in font_manager.fontManager.ttflist}
    found = [name for name in CJK_CANDIDATES if name in installed]
    if not found:
        # matplotlib caches the font list on first use; a CJK font installed after that (as
        # `apt-get install fonts-wqy-microhei` on a machine that already drew a chart) is not
        # in it, and every Chinese label would be drawn as boxes. Look at the system's fonts
        # again once.
        for path in font_manager.findSystemFonts():
            try:
                name = font_manager.get_font(path).family_name
            except (OSError, RuntimeError):
                continue
            if name in CJK_CANDIDATES:
                font_manager.fontManager.addfont(path)
                found.append(name)
        found.sort(key=CJK_CANDIDATES.index)
    return found[:1] + ["DejaVu Sans"]


def _pyplot():
    import matplotlib

    matplotlib.use("Agg", force=False)
    import matplotlib.pyplot as plt

    return plt


def _figure(title: str, y_label: str):
    plt = _pyplot()
    rc = {"font.family": cjk_font_family(), "svg.fonttype": "path",
          "axes.spines.top": False, "axes.spines.right": False, "font.size": 9,
          "svg.hashsalt": "inhouse"}  # stable ids: the same data gives the same SVG
    with plt.rc_context(rc):
        fig, ax = plt.subplots(figsize=SIZE, dpi=100)
        ax.set_title(title, loc="left", fontsize=10)
        ax.set_ylabel(y_label)
        ax.grid(axis="y", color="#e5e5e5", linewidth=0.6)
    return fig, ax, rc


def _to_svg(fig, rc) -> str:
    plt = _pyplot()
    buf = io.StringIO()
    with plt.rc_context(rc):
        fig.tight_layout()
        fig.savefig(buf, format="svg", metadata={"Date": None})
    plt.close(fig)
    text = buf.getvalue()
    return text[text.index("<svg"):]  # drop the XML prolog and doctype: the SVG is inlined


def _empty(ax, message: str) -> None:
    ax.text(0.5, 0.5, message, ha="center", va="center", transform=ax.transAxes, color="#888")
    ax.set_xticks([])
    ax.set_yticks([])


def line_chart_svg(series: Mapping[str, Sequence[tuple[dt.datetime, float]]], title: str,
                   y_label: str = "", empty_text: str = "—") -> str:
    """One line per series over time; a legend when there is more than one series."""
    fig, ax, rc = _figure(title, y_label)
    with _pyplot().rc_context(rc):
        drawn = 0
        for i, (name, points) in enumerate(series.items()):
            if not points:
                continue
            xs, ys = zip(*sorted(points), strict=True)
            ax.plot(xs, ys, label=name, color=PALETTE[i % len(PALETTE)], linewidth=1.8,
                    marker="o" if len(xs) < 20 else None, markersize=3)
            drawn += 1
        if not drawn:
            _empty(ax, empty_text)
        else:
            import matplotlib.dates as mdates

            xs_all = [p[0] for pts in series.values() for p in pts]
            short = (max(xs_all) - min(xs_all)) < dt.timedelta(days=2)
            # AutoDateLocator warns on a span of a day or less: one tick a day is right there
            locator = mdates.DayLocator() if short else mdates.AutoDateLocator(maxticks=8)
            ax.xaxis.set_major_locator(locator)
            ax.xaxis.set_major_formatter(mdates.ConciseDateFormatter(locator))
            if drawn > 1:
                ax.legend(frameon=False, fontsize=8)
        return _to_svg(fig, rc)


def bar_chart_svg(values: Mapping[str, float] | Sequence[tuple[str, float]], title: str,
                  y_label: str = "", stacked: Mapping[str, Sequence[float]] | None = None,
                  empty_text: str = "—") -> str:
    """Bars per category. ``stacked``: several named series over the same categories."""
    fig, ax, rc = _figure(title, y_label)
    with _pyplot().rc_context(rc):
        pairs = list(values.items()) if isinstance(values, Mapping) else list(values)
        labels = [str(k) for k, _ in pairs]
        if not labels:
            _empty(ax, empty_text)
            return _to_svg(fig, rc)
        if stacked:
            bottom = [0.0] * len(labels)
            for i, (name, ys) in enumerate(stacked.items()):
                ax.bar(labels, ys, bottom=bottom, label=name, color=PALETTE[i % len(PALETTE)])
                bottom = [b + y for b, y in zip(bottom, ys, strict=True)]
            ax.legend(frameon=False, fontsize=8)
        else:
            ax.bar(labels, [float(v) for _, v in pairs], color=PALETTE[0])
        if len(labels) > 6:
            ax.tick_params(axis="x", labelrotation=30)
        return _to_svg(fig, rc)


def svg_data_uri(svg: str) -> str:
    """The SVG as a data URI, for ``<img src>`` in e-mail and PDF where inline SVG is awkward."""
    import base64

    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode()).decode()
