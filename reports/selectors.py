"""Reading for the report pages: the complaints behind a number, the branch's offices side by
side. Every queryset starts from the user's scope."""

from datetime import datetime
from zoneinfo import ZoneInfo

from django.db.models import Exists, OuterRef, Q, QuerySet

from complaints.models import Complaint
from followups.models import Dispatch

from .exports import NO_VALUE
from .kpis import BUILDING_SEPARATOR, estate_building
from .measures import annotated, courtesy, measures
from .models import MonthlyReport
from .months import previous_month
from .subjects import report_complaints
from .workflow import SHANGHAI_FOR_BRANCHES, reports_overdue, without_report

PARTS = ("missed", "met", "all")
# The field each breakdown of `reports.kpis` counts by (`by_department` goes through dispatches).
BREAKDOWN_FIELDS = {
    "by_classification": "classification",
    "by_channel": "channel",
    "by_category": "category__name",
    "by_severity": "severity",
    "by_building": "building__name",
}
RECEIVED = "received"


def measure_names() -> list[str]:
    return [RECEIVED, courtesy().name] + [m.name for m in measures()]


def complaints_behind(report: MonthlyReport, *, user, name: str, part: str) -> QuerySet | None:
    """The complaints counted in one figure of `report` that `user` may see, or None when the
    report has no such figure. `part` is "met", "missed" or "all" (the denominator).

    The conditions are those of the count, evaluated as of the report's generation on today's
    records (a complaint corrected since shows as it is now)."""
    received = report_complaints(report, among=Complaint.objects.visible_to(user))
    rows = annotated(received, now=report.generated_at)
    if name == RECEIVED:
        return rows
    by_name = {m.name: m for m in [courtesy(), *measures()]}
    measure = by_name.get(name)
    if measure is None or part not in PARTS:
        return None
    applies = rows.filter(measure.applies)
    met = applies.filter(measure.met)
    if part == "met":
        return met
    if part == "missed":
        # Not `~met`: a NULL in a comparison would drop a complaint from both lists.
        return applies.exclude(pk__in=met.values("pk"))
    return applies


def _in_dimension(name: str, value: str) -> Q | None:
    """The complaints counted under `value` in the breakdown `name` (`by_category`, …)."""
    if name == "by_department":
        return Q(Exists(Dispatch.objects.filter(complaint=OuterRef("pk"), department=value)))
    field = BREAKDOWN_FIELDS.get(name)
    if field is None:
        return None
    if name == "by_building" and BUILDING_SEPARATOR in (value or ""):
        field = "estate_building"  # snapshots since issue 14 name the estate with the building
    if value in NO_VALUE:
        return Q(**{f"{field}__isnull": True}) | Q(**{field: ""})
    return Q(**{field: value})


def complaints_counted_in(
    report: MonthlyReport, *, user, name: str, value: str | None
) -> QuerySet | None:
    """The complaints behind one count of a breakdown, or None for an unknown breakdown."""
    condition = _in_dimension(name, value if value is not None else "")
    if condition is None:
        return None
    received = report_complaints(report, among=Complaint.objects.visible_to(user))
    return received.annotate(estate_building=estate_building()).filter(condition)


def offices_side_by_side(report: MonthlyReport) -> list[MonthlyReport]:
    """The latest report of each office of a branch report's branch, for the same month."""
    if report.branch_id is None:
        return []
    latest: dict[int, MonthlyReport] = {}
    for office_report in (
        MonthlyReport.objects.filter(office__branch_id=report.branch_id, month=report.month)
        .select_related("office")
        .order_by("office__code", "-version")
    ):
        latest.setdefault(office_report.office_id, office_report)
    return list(latest.values())


def missing_report_counts(*, now: datetime) -> dict[str, int]:
    """How many offices and branches still lack last month's report once it is due (from
    09:00 on the 1st, R-RPT-1): the operator's gauge (docs/operations.md, Metrics); 0 before."""
    if not reports_overdue(now):
        return {"office": 0, "branch": 0}
    offices, branches = without_report(previous_month(now, ZoneInfo(SHANGHAI_FOR_BRANCHES)))
    return {"office": offices.count(), "branch": branches.count()}
