"""HTML → PDF with weasyprint. The CSS names a CJK font so Chinese text renders."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpResponse

# Fonts tried in order: WenQuanYi Micro Hei is what CI installs (Debian fonts-wqy-microhei);
# the others are what a desktop Linux or macOS usually has.
CJK_FONT_FAMILY = (
    '"WenQuanYi Micro Hei", "Noto Sans CJK SC", "Source Han Sans SC", '
    '"PingFang SC", "Microsoft YaHei", sans-serif'
)

BASE_CSS = f"""
@page {{ size: A4; margin: 16mm 14mm; }}
html {{ font-family: {CJK_FONT_FAMILY}; font-size: 10.5pt; color: #222; }}
h1 {{ font-size: 18pt; margin: 0 0 4mm; }}
h2 {{ font-size: 13pt; margin: 6mm 0 2mm; }}
table {{ border-collapse: collapse; width: 100%; }}
th, td {{ border-bottom: 0.5pt solid #ccc; padding: 1.2mm 2mm; text-align: left; }}
img.chart, svg {{ width: 100%; height: auto; }}
.chart-block {{ break-inside: avoid; }}
"""


class PdfUnavailable(RuntimeError):
    """weasyprint or the system libraries it needs (Pango, HarfBuzz) are missing."""


def _weasyprint():
    try:
        import weasyprint
    except ImportError as exc:  # the package itself, or its ctypes load of libpango failed
        raise PdfUnavailable(
            "PDF reports need weasyprint and the system Pango library: "
            "`pip install weasyprint` and, on Debian/Ubuntu, `apt-get install libpango-1.0-0 "
            "libpangoft2-1.0-0 fonts-wqy-microhei` "
            f"(import failed: {exc})"
        ) from exc
    except OSError as exc:
        raise PdfUnavailable(
            "weasyprint is installed but cannot load its system libraries (Pango/HarfBuzz): "
            "on Debian/Ubuntu `apt-get install libpango-1.0-0 libpangoft2-1.0-0` "
            f"(error: {exc})"
        ) from exc
    return weasyprint


def render_document(html: str, base_url: str | None = None):
    """The laid-out weasyprint Document: ``pages[i].anchors`` gives where each element with
    an ``id`` landed (tests use it to find the charts on the rendered pages)."""
    weasyprint = _weasyprint()
    return weasyprint.HTML(string=html, base_url=base_url).render(
        stylesheets=[weasyprint.CSS(string=BASE_CSS)])


def html_to_pdf(html: str, base_url: str | None = None) -> bytes:
    """Render a whole HTML document to PDF bytes.

    ``base_url`` resolves relative links and images; charts from ``charts`` are inline SVG or
    data URIs, so reports need none. ``BASE_CSS`` is applied under the document's own styles.
    """
    return render_document(html, base_url).write_pdf()


def pdf_download(render: Callable[[], bytes], filename: str) -> HttpResponse:
    """The desk's answer to a PDF link: the file as an attachment, or a plain 503 saying what
    to install when this machine cannot render PDFs (the page and its other exports still work)."""
    try:
        data = render()
    except PdfUnavailable as exc:
        return HttpResponse(str(exc), status=503, content_type="text/plain; charset=utf-8")
    response = HttpResponse(data, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
