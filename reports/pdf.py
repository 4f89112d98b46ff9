"""The participation report as a PDF (WeasyPrint): parameters, generation time, audit chain head,
the charts (inline SVG), the Indicator Tracking Table, the breakdown and knowledge-gain tables,
footnotes and page numbers. It renders the report's dict only, so a donor's PDF holds aggregates.
"""

import threading

from django.conf import settings
from django.template.loader import render_to_string
from weasyprint import HTML

from reports.charts import report_context

# WeasyPrint's font machinery (Pango, fontconfig) is not safe to share between threads.
_lock = threading.Lock()


def report_html(report: dict) -> str:
    return render_to_string("reports/report_pdf.html", report_context(report))


def report_pdf(report: dict) -> bytes:
    html = report_html(report)
    with _lock:
        return HTML(string=html, base_url=str(settings.BASE_DIR)).write_pdf()
