"""Spread over time as an inline SVG: bars of volume, a line of negative share. Pure."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from html import escape

W, H, PAD = 640, 180, 28


def spread_svg(buckets: Sequence[tuple[dt.datetime, int, int]], title: str,
               mark: dt.datetime | None = None) -> str:
    """``buckets``: (start, items, negative items). ``mark``: when the incident opened."""
    if not buckets:
        return ""
    top = max(n for _, n, _ in buckets) or 1
    step = (W - 2 * PAD) / len(buckets)
    parts = [f'<svg viewBox="0 0 {W} {H}" role="img" aria-label="{escape(title)}" '
             f'class="spread-chart" xmlns="http://www.w3.org/2000/svg"><title>{escape(title)}</title>']
    points = []
    for i, (start, n, neg) in enumerate(buckets):
        x = PAD + i * step
        h = (H - 2 * PAD) * n / top
        parts.append(f'<rect x="{x:.1f}" y="{H - PAD - h:.1f}" width="{max(step - 1, 1):.1f}" '
                     f'height="{h:.1f}" fill="#9db4d0"><title>{start:%m-%d %H:%M}: {n}, '
                     f'{neg} negative</title></rect>')
        share = neg / n if n else 0.0
        points.append(f"{x + step / 2:.1f},{H - PAD - (H - 2 * PAD) * share:.1f}")
    parts.append(f'<polyline points="{" ".join(points)}" fill="none" stroke="#c0392b" '
                 'stroke-width="2"/>')
    if mark is not None:
        first = buckets[0][0]
        span = (buckets[-1][0] - first).total_seconds() or 1
        x = PAD + (W - 2 * PAD) * (mark - first).total_seconds() / span * (len(buckets) - 1) / len(buckets)
        parts.append(f'<line x1="{x:.1f}" x2="{x:.1f}" y1="{PAD - 8}" y2="{H - PAD}" '
                     'stroke="#333" stroke-dasharray="4 3"/>')
    parts.append(f'<text x="{PAD}" y="{H - 8}" font-size="11">{buckets[0][0]:%m-%d %H:%M}</text>')
    parts.append(f'<text x="{W - PAD}" y="{H - 8}" font-size="11" text-anchor="end">'
                 f'{buckets[-1][0]:%m-%d %H:%M}</text>')
    parts.append(f'<text x="{PAD}" y="14" font-size="11">max {top}</text></svg>')
    return "".join(parts)
