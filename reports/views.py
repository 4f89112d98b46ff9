"""The participation report on the site (/<lang>/reports/): the dashboard page with its charts and
tables, and the same report as a file (PDF here; CSV, XLSX and JSON from reports.exports).

Donors, program staff and administrators see it (``reports.view_donor_report``); the staff
audience (unsuppressed, sensitive breakdowns) needs ``reports.view_staff_report``, and a donor who
asks for it is refused (403) rather than silently given something else.
"""

from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse, HttpResponseBadRequest
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from reports.charts import report_context
from reports.forms import DONOR_PERMISSION, ReportForm, may_see_staff
from reports.jobs import FORMATS, report_file
from reports.periods import fiscal_year_of
from reports.services import STAFF, participation_report


def _form(request) -> ReportForm:
    if not request.user.has_perm(DONOR_PERMISSION):
        raise PermissionDenied
    if request.GET.get("audience") == STAFF and not may_see_staff(request.user):
        raise PermissionDenied(_("The program staff view is not available to you."))
    data = request.GET.copy()
    if "fy" not in data:
        # No parameters yet: the current fiscal year, donor view.
        data["fy"] = fiscal_year_of(timezone.localdate())
    return ReportForm(data, user=request.user)


def _report(form: ReportForm) -> dict | None:
    """The report's dict, or None with the errors on the form."""
    if not form.is_valid():
        return None
    try:
        return participation_report(**form.parameters()).as_dict()
    except ValidationError as error:
        form.add_service_errors(error)
        return None


@never_cache  # the staff view holds unsuppressed figures
@login_required
@require_GET
def dashboard(request):
    form = _form(request)
    report = _report(form)
    context = {"form": form}
    if report is not None:
        context.update(report_context(report))
        context["query"] = _download_query(report)
    return render(
        request, "reports/dashboard.html", context, status=200 if report is not None else 400
    )


def _download_query(report: dict) -> str:
    """The report's parameters, carried over to the download links."""
    parameters = report["parameters"]
    pairs = [("fy", parameters["fiscal_year"])]
    if parameters["quarter"]:
        pairs.append(("quarter", parameters["quarter"]))
    pairs += [("by", dimension) for dimension in parameters["by"]]
    pairs.append(("audience", parameters["audience"]))
    return urlencode(pairs)


@login_required
@require_GET
def download(request):
    """``?format=pdf|csv|xlsx|json`` with the dashboard's parameters."""
    form = _form(request)
    fmt = request.GET.get("format", "pdf")
    if fmt not in FORMATS:
        raise Http404(_("Unknown format."))
    report = _report(form)
    if report is None:
        return render(request, "reports/dashboard.html", {"form": form}, status=400)
    if fmt == "iati" and report["parameters"]["audience"] != "donor":
        return HttpResponseBadRequest(_("IATI files are published: donor audience only."))
    data, content_type, filename = report_file(report, fmt)
    response = HttpResponse(data, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    # A staff report holds unsuppressed figures: no shared cache keeps any of them.
    response["Cache-Control"] = "private, no-store"
    return response
