"""`inhouse report`: the daily or weekly analytics report as a PDF or HTML file.

    inhouse report --period week --format pdf --output week.pdf [--workspace demo] [--end 2026-11-26]
    inhouse report --rebuild [--workspace demo]      # every day's roll-up, e.g. after an import

The roll-ups of the period (and of the previous one, for the comparison) are recomputed from
the items first, so the file is right even where no worker ran; ``--score-fans`` also scores
the fans over the period before rendering.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from inhouse.cli.workspaces import get_workspace

PERIODS = {"day": "daily", "week": "weekly"}


class Command(BaseCommand):
    help = "Render the daily or weekly analytics report to a PDF or HTML file."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--period", choices=sorted(PERIODS), default="week")
        parser.add_argument("--format", choices=("pdf", "html"), default="pdf", dest="fmt")
        parser.add_argument("--output", help="file to write ('-' for stdout, html only)")
        parser.add_argument("--workspace", help="workspace slug (needed when there are several)")
        parser.add_argument("--end", help="last day of the report, YYYY-MM-DD (default: today)")
        parser.add_argument("--score-fans", action="store_true",
                            help="score the fans over the period first")
        parser.add_argument("--no-refresh", action="store_true",
                            help="use the stored roll-ups as they are")
        parser.add_argument("--rebuild", action="store_true",
                            help="recompute the roll-up of every day that has items first")

    def handle(self, *args, period: str, fmt: str, output: str, workspace: str | None,
               end: str | None, score_fans: bool, no_refresh: bool, rebuild: bool,
               **options) -> None:
        from inhouse.analytics import actions, report
        from inhouse.analytics.periods import Period, today
        from inhouse.analytics.rollup import data_span, refresh_range

        ws = get_workspace(workspace)
        if rebuild:
            span = data_span(ws)
            days = refresh_range(ws, span[0], span[1]) if span else 0
            self.stderr.write(f"{ws.slug}: {days} daily roll-ups rebuilt")
            if not output:
                return
        if not output:
            raise CommandError("--output: name the file to write (or '-' for HTML on stdout)")
        try:
            last = dt.date.fromisoformat(end) if end else today()
        except ValueError as exc:
            raise CommandError(f"--end: {end!r} is not a date (YYYY-MM-DD)") from exc
        kind = PERIODS[period]
        span = Period.report(kind, last)
        if not no_refresh:
            refresh_range(ws, span.previous().start, span.end)
        if score_fans:
            actions.score_fans(ws, span)
        if fmt == "pdf":
            if output == "-":
                raise CommandError("--output: a PDF needs a file name")
            from inhouse.reports.pdf import PdfUnavailable

            try:
                data = report.render_pdf(ws, kind, span)
            except PdfUnavailable as exc:
                raise CommandError(str(exc)) from exc
            Path(output).write_bytes(data)
        else:
            html = report.render_html(ws, kind, span)
            if output == "-":
                self.stdout.write(html)
                return
            Path(output).write_text(html, encoding="utf-8")
        self.stderr.write(f"{report.title_of(kind, span)} → {output}")
