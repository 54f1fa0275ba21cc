"""The dashboard's and the reports' charts, built once from a ``Dashboard`` as plain series,
then drawn either interactive (plotly, on the desk) or static (SVG, in the PDF and e-mail):
the same numbers in both."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from inhouse.analytics import durations
from inhouse.analytics.kpis import Dashboard
from inhouse.core.models import Intent, ItemKind, Sentiment


@dataclass
class Chart:
    key: str
    title: str
    y_label: str
    kind: str  # "line", "bar", "stacked"
    series: dict = field(default_factory=dict)  # line: name → [(datetime, value)]
    bars: list[tuple[str, float]] = field(default_factory=list)  # bar
    stacked: dict[str, list[float]] = field(default_factory=dict)  # stacked: name → per bar

    @property
    def empty(self) -> bool:
        if self.kind == "line":
            return not any(self.series.values())
        return not self.bars

    def svg(self) -> str:
        from inhouse.reports import charts

        if self.kind == "line":
            return charts.line_chart_svg(self.series, self.title, self.y_label, _("No data"))
        return charts.bar_chart_svg(self.bars, self.title, self.y_label,
                                    stacked=self.stacked or None, empty_text=_("No data"))

    def div(self) -> str:
        from inhouse.reports import interactive

        if self.kind == "line":
            fig = interactive.line_figure(self.series, self.title, self.y_label)
        else:
            fig = interactive.bar_figure(self.bars, self.title, self.y_label,
                                         stacked=self.stacked or None)
        return interactive.figure_div(fig, div_id=f"chart-{self.key}")


def _at(day: dt.date) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day, 12)


def build(d: Dashboard) -> list[Chart]:
    dates = d.period.dates()
    days = d.now.days
    label = {k: str(v) for k, v in ItemKind.choices}
    volume = Chart("volume", _("Items per day"), _("items"), "stacked",
                   bars=[(f"{x:%m-%d}", sum(days.get(x, {}).get("kinds", {}).values())) for x in dates])
    kinds = [k for k in ItemKind.values if any(days.get(x, {}).get("kinds", {}).get(k) for x in dates)]
    volume.stacked = {label[k]: [days.get(x, {}).get("kinds", {}).get(k, 0) for x in dates]
                      for k in kinds}
    if not any(v for _, v in volume.bars):
        volume.bars = []

    sentiment = Chart("sentiment", _("Sentiment per day (share of items)"), "%", "line")
    for key, name in ((Sentiment.NEGATIVE, _("negative")), (Sentiment.POSITIVE, _("positive"))):
        points = []
        for x in dates:
            s = days.get(x, {}).get("sentiment", {})
            n = sum(s.values())
            if n:
                points.append((_at(x), round(100 * s.get(key, 0) / n, 1)))
        sentiment.series[name] = points

    intents = dict(Intent.choices)
    response = Chart("response", _("Median first response per intent"), _("minutes"), "bar")
    for intent, r in sorted(d.now.response.items(), key=lambda kv: -kv[1]["opened"]):
        first = durations.median(r["first"])
        if first is not None:
            response.bars.append((str(intents.get(intent, intent)), round(first / 60, 1)))

    fans = Chart("fans", _("Followers"), _("followers"), "line",
                 series={name: [(_at(day), n) for day, n in points]
                         for name, points in d.fans.items()})

    voice = Chart("voice", _("Share of voice (items naming each)"), _("items"), "bar")
    if d.now.voice_brand or any(d.now.voice.values()):
        voice.bars = [(_("our brand"), d.now.voice_brand),
                      *sorted(d.now.voice.items(), key=lambda kv: -kv[1])]
    return [volume, sentiment, response, fans, voice]
