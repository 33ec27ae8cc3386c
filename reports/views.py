"""Report pages: the archive, one report with its charts, and its downloads (scoped)."""

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, render

from .exports import breakdown_rows, kpi_rows, report_csv, report_xlsx
from .models import MonthlyReport

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
BAR_WIDTH = 240  # px of a 100% bar in the server-side SVG charts


def _visible(request):
    return MonthlyReport.objects.visible_to(request.user).select_related("office", "branch")


@login_required
def archive(request):
    reports = _visible(request).order_by("-month", "branch", "office__code", "-version")[:240]
    return render(request, "reports/archive.html", {"reports": reports})


@login_required
def detail(request, pk):
    report = get_object_or_404(_visible(request), pk=pk)
    kpis = [
        {
            "label": label,
            "met": met,
            "of": of,
            "share": share,
            "width": round((share or 0) * BAR_WIDTH),
        }
        for label, met, of, share in kpi_rows(report.data)
    ]
    breakdowns: dict[str, list] = {}
    for dimension, value, count in breakdown_rows(report.data):
        breakdowns.setdefault(dimension, []).append({"value": value, "count": count})
    for rows in breakdowns.values():
        top = max((row["count"] for row in rows), default=0) or 1
        rows.sort(key=lambda row: -row["count"])
        for row in rows:
            row["width"] = round(row["count"] / top * BAR_WIDTH)
    context = {"report": report, "kpis": kpis, "breakdowns": breakdowns, "bar_width": BAR_WIDTH}
    return render(request, "reports/detail.html", context)


def _filename(report, extension):
    return f"{report.subject}-{report.month:%Y-%m}-v{report.version}.{extension}"


@login_required
def xlsx(request, pk):
    report = get_object_or_404(_visible(request), pk=pk)
    response = HttpResponse(report_xlsx(report), content_type=XLSX)
    response["Content-Disposition"] = (
        f"attachment; filename*=UTF-8''{_quoted(_filename(report, 'xlsx'))}"
    )
    return response


@login_required
def csv(request, pk):
    report = get_object_or_404(_visible(request), pk=pk)
    response = HttpResponse("\ufeff" + report_csv(report), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = (
        f"attachment; filename*=UTF-8''{_quoted(_filename(report, 'csv'))}"
    )
    return response


def _quoted(name: str) -> str:
    from urllib.parse import quote

    return quote(name)
