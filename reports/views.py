"""Report pages: the archive, one report with its charts, the complaints behind a number, the
supervisor's commentary and "sent", and the downloads. Every one is scoped."""

from urllib.parse import quote

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext
from django.views.decorators.http import require_POST

from . import charts, workflow
from .exports import (
    DIMENSION_LABELS,
    KPI_LABELS,
    breakdown_entries,
    kpi_rows,
    report_csv,
    report_xlsx,
)
from .forms import CommentaryForm
from .models import MonthlyReport
from .selectors import (
    PARTS,
    RECEIVED,
    complaints_behind,
    complaints_counted_in,
    measure_names,
    offices_side_by_side,
)
from .why import why_missed

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _visible(request):
    return MonthlyReport.objects.visible_to(request.user).select_related("office", "branch")


@login_required
def archive(request):
    reports = _visible(request).order_by("-month", "branch", "office__code", "-version")[:240]
    return render(request, "reports/archive.html", {"reports": reports})


def _kpis(data: dict) -> list[dict]:
    names = [name for name, value in data.items() if isinstance(value, dict) and "met" in value]
    return [
        {"name": name, "label": label, "met": met, "of": of, "missed": of - met,
         "share": share, "width": charts.share_width(share)}
        for name, (label, met, of, share) in zip(names, kpi_rows(data), strict=True)
    ]  # fmt: skip


def _breakdowns(data: dict) -> dict[str, list]:
    breakdowns: dict[str, list] = {}
    for name, key, label, count in breakdown_entries(data):
        breakdowns.setdefault(name, []).append({"key": key, "value": label, "count": count})
    for rows in breakdowns.values():
        top = max((row["count"] for row in rows), default=0) or 1
        rows.sort(key=lambda row: -row["count"])
        for row in rows:
            row["width"] = round(row["count"] / top * charts.BAR_WIDTH)
    return {
        name: {"label": DIMENSION_LABELS.get(name, name), "rows": rows}
        for name, rows in breakdowns.items()
    }


def _comparison(report) -> dict | None:
    offices = offices_side_by_side(report)
    if not offices:
        return None
    rows = [
        {"label": KPI_LABELS.get(kpi["name"], kpi["name"]), "cells": [kpi, *cells]}
        for kpi, *cells in zip(_kpis(report.data), *(_kpis(o.data) for o in offices), strict=False)
    ]
    return {"offices": offices, "rows": rows}


@login_required
def detail(request, pk, form=None):
    report = get_object_or_404(_visible(request), pk=pk)
    may_edit = workflow.may_edit(report, request.user)
    context = {
        "report": report,
        "kpis": _kpis(report.data),
        "breakdowns": _breakdowns(report.data),
        "trend": charts.trend_columns(report.data.get("trend", [])),
        "trend_height": charts.TREND_HEIGHT,
        "trend_bar": charts.TREND_BAR,
        "trend_width": len(report.data.get("trend", [])) * charts.TREND_STEP,
        "trend_middle": 4 + charts.TREND_BAR // 2,
        "class_legend": charts.class_legend(),
        "comparison": _comparison(report),
        "bar_width": charts.BAR_WIDTH,
        "drillable": measure_names(),
        "may_edit": may_edit and not report.sent_at,
        "form": form or CommentaryForm(initial={"commentary": report.commentary}),
    }
    return render(request, "reports/detail.html", context)


@login_required
def behind(request, pk, name):
    report = get_object_or_404(_visible(request), pk=pk)
    part = request.GET.get("part", "all" if name == RECEIVED else "missed")
    value = request.GET.get("value")
    if name in DIMENSION_LABELS:
        complaints = complaints_counted_in(report, user=request.user, name=name, value=value)
        label = f"{DIMENSION_LABELS[name]}: {_value_label(report.data, name, value)}"
    else:
        complaints = complaints_behind(report, user=request.user, name=name, part=part)
        label = KPI_LABELS.get(name)
    if complaints is None:
        raise Http404
    page = Paginator(
        complaints.select_related("office", "category").order_by("received_at", "pk"), 50
    ).get_page(request.GET.get("page"))
    figure = report.data.get(name) if name in KPI_LABELS else None
    context = {
        "report": report,
        "name": name,
        "label": label,
        "value": value,
        "figure": figure,
        "part": part,
        "parts": PARTS if figure else (),
        "page": page,
        # Issue 14: the list of misses says why each one missed, without opening it.
        "explain": part == "missed" and name in KPI_LABELS,
    }
    context["rows"] = [
        (complaint, why_missed(name, complaint) if context["explain"] else "")
        for complaint in page.object_list
    ]
    return render(request, "reports/behind.html", context)


@login_required
@require_POST
def commentary(request, pk):
    report = get_object_or_404(_visible(request), pk=pk)
    form = CommentaryForm(request.POST)
    if not form.is_valid():
        return detail(request, pk, form=form)
    try:
        workflow.add_commentary(report, by=request.user, text=form.cleaned_data["commentary"])
    except workflow.ReportRefused as refused:
        for reason in refused.reasons:
            form.add_error(None, reason)
        return detail(request, pk, form=form)
    messages.success(request, gettext("The commentary is saved."))
    return redirect("reports:detail", pk=pk)


@login_required
@require_POST
def sent(request, pk):
    report = get_object_or_404(_visible(request), pk=pk)
    try:
        workflow.mark_sent(report, by=request.user)
    except workflow.ReportRefused as refused:
        for reason in refused.reasons:
            messages.error(request, reason)
    else:
        told = (
            gettext("the branch general manager has been told")
            if report.branch_id
            else gettext("the quality department has been told")
        )
        messages.success(request, gettext("The report is marked sent; %(told)s.") % {"told": told})
    return redirect("reports:detail", pk=pk)


def _value_label(data: dict, name: str, value: str | None) -> str:
    labels = {key: label for dim, key, label, _n in breakdown_entries(data) if dim == name}
    return labels.get(value, value or "")


def _filename(report, extension):
    return f"{report.subject}-{report.month:%Y-%m}-v{report.version}.{extension}"


def _attachment(response, report, extension):
    response["Content-Disposition"] = (
        f"attachment; filename*=UTF-8''{quote(_filename(report, extension))}"
    )
    return response


@login_required
def xlsx(request, pk):
    report = get_object_or_404(_visible(request), pk=pk)
    return _attachment(HttpResponse(report_xlsx(report), content_type=XLSX), report, "xlsx")


@login_required
def csv(request, pk):
    report = get_object_or_404(_visible(request), pk=pk)
    response = HttpResponse("\ufeff" + report_csv(report), content_type="text/csv; charset=utf-8")
    return _attachment(response, report, "csv")
