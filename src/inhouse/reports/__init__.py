"""Shared rendering for reports: static SVG charts, HTML → PDF, interactive offline charts.

A plain package (no models, no views of its own beyond serving plotly.js), used by
``analytics`` and ``monitoring``. Heavy libraries (matplotlib, weasyprint, plotly) are imported
lazily inside the functions, so importing ``inhouse.reports`` costs nothing.

- ``charts``: ``line_chart_svg``, ``bar_chart_svg`` → ``<svg>`` strings (matplotlib, Agg),
  text drawn as paths so a PDF needs no font for the chart labels.
- ``pdf``: ``html_to_pdf(html, base_url)`` → PDF bytes (weasyprint), with the CJK font stack.
- ``interactive``: ``figure_div(fig)`` → an HTML ``<div>`` for a plotly figure, its script
  loaded from ``plotly_js_url()`` which the desk serves from the installed plotly package.
"""
