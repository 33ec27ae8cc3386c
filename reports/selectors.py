"""Reading for the report pages: the complaints behind a number, the branch's offices side by
side. Every queryset starts from the user's scope (STYLE 8)."""

from django.db.models import QuerySet

from complaints.models import Complaint

from .kpis import received_in
from .measures import annotated, courtesy, measures
from .models import MonthlyReport
from .workflow import subject_scope

PARTS = ("missed", "met", "all")
RECEIVED = "received"


def measure_names() -> list[str]:
    return [RECEIVED, courtesy().name] + [m.name for m in measures()]


def complaints_behind(report: MonthlyReport, *, user, name: str, part: str) -> QuerySet | None:
    """The complaints counted in one figure of `report` that `user` may see, or None when the
    report has no such figure. `part` is "met", "missed" or "all" (the denominator).

    The conditions are those of the count, evaluated as of the report's generation on today's
    records (a complaint corrected since shows as it is now)."""
    offices, _complaints, zone = subject_scope(office=report.office, branch=report.branch)
    now = report.generated_at
    received = received_in(
        Complaint.objects.visible_to(user).filter(office__in=offices), month=report.month, zone=zone
    )
    rows = annotated(received, now=now)
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
