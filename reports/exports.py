"""Exports of a monthly report: xlsx (openpyxl) and CSV. Every text cell is neutralised so a
complainant's words can never run as a spreadsheet formula (formula injection)."""

from __future__ import annotations

import csv
import io
import re

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl import Workbook
from openpyxl.chart import BarChart, Reference
from openpyxl.formatting.rule import DataBarRule
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter

from complaints.models import Channel, Classification, Severity
from followups.models import Dispatch

from .measures import KPI_LABELS
from .subjects import report_complaints

# What makes a spreadsheet read a cell as a formula (docs/security.md, exports): the ASCII
# signs, their full-width and small forms (an IME types them; some spreadsheets convert them),
# the minus sign; and tab, CR, LF or NUL before anything.
FORMULA_SIGNS = "=+-@\uff1d\uff0b\uff0d\uff20\ufe66\ufe62\ufe63\u2212"
DANGEROUS_FIRST = (*FORMULA_SIGNS, "\t", "\r", "\n", "\0")
# A sign at the start of the text, after spaces or quotes; or after a separator a spreadsheet
# may split on (`,` `;` `|` tab, a line break) — `a;=1+1` read with `;` starts a cell with `=`.
_LEADING = re.compile(rf"^(?:[\s\"]*[{re.escape(FORMULA_SIGNS)}]|[\t\r\n\0])")
_AFTER_SEPARATOR = re.compile(rf"([,;|\t\r\n][\s\"]*)(?=[{re.escape(FORMULA_SIGNS)}])")


def neutralise(value):
    """Text a spreadsheet could read as a formula, whole or once split on a separator: an
    apostrophe before it (OWASP, CSV Injection), so it is shown as the text it is."""
    if not isinstance(value, str):
        return value
    value = _AFTER_SEPARATOR.sub(r"\1'", value)
    return "'" + value if _LEADING.match(value) else value


DIMENSION_LABELS = {
    "by_classification": gettext_lazy("Class"),
    "by_channel": gettext_lazy("Channel"),
    "by_category": gettext_lazy("Category"),
    "by_severity": gettext_lazy("Severity"),
    "by_building": gettext_lazy("Building"),
    "by_department": gettext_lazy("Department"),
}


def kpi_rows(data: dict) -> list[tuple[str, int, int, float | None]]:
    """(label, met, of, share) for every entry shaped as a work-standard ratio."""
    rows = []
    for name, value in data.items():
        if isinstance(value, dict) and {"met", "of"} <= value.keys():
            met, of = value["met"], value["of"]
            rows.append(
                (str(KPI_LABELS.get(name, name)), met, of, round(met / of, 4) if of else None)
            )
    return rows


VALUE_LABELS = {
    "by_classification": dict(Classification.choices),
    "by_channel": dict(Channel.choices),
    "by_severity": dict(Severity.choices),
    "by_department": dict(Dispatch.Department.choices),
}


NO_VALUE = (None, "None", "null", "")  # a complaint without category or building


def breakdown_entries(data: dict) -> list[tuple[str, str, str, int]]:
    """(dimension key, value key, value label, complaints) of every count table (`by_…`)."""
    return [
        (
            name,
            key,
            "—" if key in NO_VALUE else str(VALUE_LABELS.get(name, {}).get(key, key)),
            count,
        )
        for name, value in data.items()
        # `by_…` only: the breaches by grade have their own card and list (reports.breaches)
        if name.startswith("by_")
        and isinstance(value, dict)
        and not ({"met", "of"} <= value.keys())
        for key, count in value.items()
    ]


def breakdown_rows(data: dict) -> list[tuple[str, str, int]]:
    """(dimension, value, complaints) for every count table, labelled."""
    return [
        (str(DIMENSION_LABELS.get(name, name)), label, count)
        for name, _key, label, count in breakdown_entries(data)
    ]


def _month_complaints(report):
    return (
        report_complaints(report)
        .select_related("office", "category", "building")
        .order_by("received_at", "pk")
    )


def complaint_rows(report):
    header = [
        _("Number"), _("Office"), _("Received"), _("Complainant"), _("Address"), _("Category"),
        _("Class"), _("Severity"), _("Status"), _("What happened"), _("Closed at"),
    ]  # fmt: skip
    yield header
    for c in _month_complaints(report).iterator(chunk_size=2000):
        yield [
            c.number,
            c.office.name,
            c.received_at.astimezone(c.office.zone).strftime("%Y-%m-%d %H:%M"),
            c.complainant_name,
            c.address,
            c.category.name if c.category_id else "",
            c.get_classification_display(),
            c.get_severity_display(),
            c.get_status_display(),
            c.description,
            c.closed_at.astimezone(c.office.zone).strftime("%Y-%m-%d %H:%M") if c.closed_at else "",
        ]


def _sheet(workbook, title, header, rows):
    sheet = workbook.create_sheet(title)
    sheet.append([str(h) for h in header])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor="DDEBF7")
    for row in rows:
        sheet.append([neutralise(v) for v in row])
    for index, _column in enumerate(header, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = 18
    sheet.freeze_panes = "A2"
    return sheet


def _trend_chart(sheet, trend: list[dict]) -> None:
    """The 12-month trend by class as a table (columns E–H) and a stacked bar chart beside it."""
    if not trend:
        return
    classes = Classification.choices
    sheet.cell(row=1, column=5, value=str(_("Month"))).font = Font(bold=True)
    for offset, (_value, label) in enumerate(classes, start=6):
        sheet.cell(row=1, column=offset, value=str(label)).font = Font(bold=True)
    for row, month in enumerate(trend, start=2):
        sheet.cell(row=row, column=5, value=month["month"])
        for offset, (value, _label) in enumerate(classes, start=6):
            sheet.cell(row=row, column=offset, value=month.get(value, 0))
    chart = BarChart()
    chart.type, chart.grouping, chart.overlap = "col", "stacked", 100
    chart.title = str(_("Complaints received, last 12 months"))
    last = len(trend) + 1
    chart.add_data(
        Reference(sheet, min_col=6, max_col=5 + len(classes), min_row=1, max_row=last),
        titles_from_data=True,
    )
    chart.set_categories(Reference(sheet, min_col=5, min_row=2, max_row=last))
    chart.width, chart.height = 18, 8
    sheet.add_chart(chart, "J2")


def report_xlsx(report) -> bytes:
    """Three sheets: the work-standard KPIs, the breakdowns, and every complaint of the month."""
    workbook = Workbook()
    workbook.remove(workbook.active)
    kpis = _sheet(
        workbook,
        _("KPIs"),
        [_("Standard"), _("Met"), _("Of"), _("Share")],
        kpi_rows(report.data),
    )
    for (share,) in kpis.iter_rows(min_row=2, min_col=4, max_col=4):
        share.number_format = "0.0%"
        if isinstance(share.value, float) and share.value < 1:
            share.font = Font(color="C00000", bold=True)  # below the 100% target
    if kpis.max_row > 1:  # a bar in each share cell, against the 100% target
        kpis.conditional_formatting.add(
            f"D2:D{kpis.max_row}",
            DataBarRule(start_type="num", start_value=0, end_type="num", end_value=1,
                        color="5B9BD5"),
        )  # fmt: skip
    breakdowns = _sheet(
        workbook,
        _("Breakdowns"),
        [_("Dimension"), _("Value"), _("Complaints")],
        breakdown_rows(report.data),
    )
    _trend_chart(breakdowns, report.data.get("trend", []))
    rows = complaint_rows(report)
    _sheet(workbook, _("Complaints"), next(rows), rows)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def report_csv(report) -> str:
    """Every complaint of the month, one line each (the KPIs are in the xlsx)."""
    buffer = io.StringIO()
    # Every field quoted: a separator inside a text stays inside its cell (OWASP, CSV Injection).
    writer = csv.writer(buffer, quoting=csv.QUOTE_ALL)
    for row in complaint_rows(report):
        writer.writerow([neutralise(str(v)) for v in row])
    return buffer.getvalue()
