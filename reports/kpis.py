"""The month's work-standard KPIs of a set of complaints (docs/procedure.md: Work standards,
R-RPT-1).

Every figure is a database aggregate: a handful of queries whatever the number of
complaints. The caller passes the complaints it may see (`Complaint.objects.visible_to(user)`,
or one office's or branch's); nothing here widens that queryset.
"""

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from django.db import NotSupportedError, connections
from django.db.models import (
    Aggregate,
    Case,
    CharField,
    Count,
    DurationField,
    Exists,
    F,
    OuterRef,
    Q,
    QuerySet,
    Value,
    When,
)
from django.db.models.functions import Concat, TruncMonth
from django.utils import timezone

from accounts.models import Office
from complaints.models import Complaint
from complaints.models.choices import OPEN_STATUSES, Channel, Classification, Status
from followups.clocks import days_with_too_few_scans
from followups.models import Dispatch, Escalation, Revisit, ShiftReview, ShiftReviewItem

from .measures import annotated, measures, violating_closure
from .months import month_bounds
from .standards import Ratio, hours, percentile
from .subjects import received_in

ALERT_GRACE = timedelta(hours=1)  # the escalation scan runs every 15 minutes
REPORT_GRACE = timedelta(hours=24)  # the office manager's report to the branch GM


class Percentile(Aggregate):
    """PostgreSQL's continuous percentile, e.g. `Percentile(F("x"), 0.9)`.

    SQLite has no ordered-set aggregates; `monthly_kpis` computes the same number there from
    the list of durations (see `_hours_to_close`)."""

    function = "PERCENTILE_CONT"
    name = "Percentile"
    template = "%(function)s(%(fraction)s) WITHIN GROUP (ORDER BY %(expressions)s)"

    def __init__(self, expression, fraction: float, **extra):
        if not 0 <= fraction <= 1:
            raise ValueError("fraction must lie between 0 and 1")
        # A float rendered into the SQL, never user input: no parameter needed.
        super().__init__(expression, fraction=repr(float(fraction)), **extra)

    def as_sqlite(self, compiler, connection, **extra_context):
        raise NotSupportedError("SQLite has no PERCENTILE_CONT.")


@dataclass(frozen=True)
class MonthlyKpis:
    """The figures of one month; `Ratio`s keep numerator and denominator."""

    month: date
    received: int
    courteous: Ratio  # work standard 1 (revisits, not complaints)
    accepted: Ratio  # work standard 2, R-REC-1: every complaint is in the duty log
    entered_on_time: Ratio  # work standard 3, R-REC-2
    urgent_dispatched_on_time: Ratio  # work standard 4, R-URG-1
    replied_on_time: Ratio  # work standard 4, R-REPLY-3
    reviews_on_time: Ratio  # work standard 5, R-FUP-1: shift reviews done in 30 minutes
    contacted_every_3_days: Ratio  # work standard 5, R-URG-2
    revisited_on_time: Ratio  # work standard 6, R-REV-1
    complete_records: Ratio  # work standard 8, R-REC-3
    satisfied: Ratio  # last revisit satisfied or understands, R-REV-2
    violating_closures: int  # work standard 7, R-CLO-1/2: must be 0
    re_complaints: int  # R-REV-2: new complaints linked to an earlier one
    escalated_day_10: int  # work standard 5, R-FUP-2
    escalated_day_15: int  # work standard 5, R-FUP-3
    carried_over: int  # received earlier, still open when the month ended
    quality_department_received: int  # R-QD-2: recorded by the branch quality department
    quality_department_closed: int  # … and closed since
    hours_to_close_median: float | None
    hours_to_close_p90: float | None
    by_classification: dict[str, int]
    by_channel: dict[str, int]
    by_category: dict[str | None, int]
    by_severity: dict[str, int]
    by_building: dict[str | None, int]
    by_department: dict[str, int]  # complaints dispatched to each department
    days_short_of_scans: int = 0  # R-CHAN-2: office days with fewer than two website scans
    alerts_on_time: Ratio = Ratio(0, 0)  # work standard 5, R-FUP-2: within an hour of day 10
    gm_reports_on_time: Ratio = Ratio(0, 0)  # work standard 5, R-FUP-3: within 24 h of day 15


BUILDING_SEPARATOR = " · "


def estate_building():
    """ "华苑管理处 · 1栋": a building named with its estate (the office), so "1栋" of two
    estates of a branch stays two rows of the breakdown; NULL without a building."""
    return Case(
        When(building__isnull=True, then=Value(None)),
        default=Concat("office__name", Value(BUILDING_SEPARATOR), "building__name"),
        output_field=CharField(),
    )


def _counts(queryset: QuerySet, field: str, *, count: str = "id", distinct=False) -> dict:
    rows = queryset.order_by().values(field).annotate(n=Count(count, distinct=distinct))
    return {row[field]: row["n"] for row in rows}


def _hours_to_close(received: QuerySet) -> tuple[float | None, float | None]:
    """Median and 90th percentile of received → closed, in hours, of the closed ones.

    PostgreSQL computes both in SQL. SQLite has no PERCENTILE_CONT and no window that gives it
    cheaply, so there (tests, a laptop) only the durations of the closed complaints are read —
    one number per row, never objects — and interpolated the same way in Python."""
    to_close = F("closed_at") - F("received_at")
    closed = received.filter(closed_at__isnull=False).order_by()
    if connections[received.db].vendor == "postgresql":
        figures = closed.aggregate(
            median=Percentile(to_close, 0.5, output_field=DurationField()),
            p90=Percentile(to_close, 0.9, output_field=DurationField()),
        )
        return hours(figures["median"]), hours(figures["p90"])
    durations = [
        hours(d) for d in closed.annotate(to_close=to_close).values_list("to_close", flat=True)
    ]
    return percentile(durations, 0.5), percentile(durations, 0.9)


def _reviews_on_time(offices: QuerySet[Office], start: datetime, end: datetime, now) -> Ratio:
    """R-FUP-1: shift reviews of the month whose every item was ticked within 30 minutes.

    A review still inside its 30 minutes is not counted yet."""
    late_item = ShiftReviewItem.objects.filter(review=OuterRef("pk")).filter(
        Q(reviewed_at__isnull=True) | Q(reviewed_at__gt=OuterRef("due_at"))
    )
    figures = (
        ShiftReview.objects.filter(
            office__in=offices, starts_at__gte=start, starts_at__lt=end, due_at__lte=now
        )
        .order_by()
        .aggregate(of=Count("id"), met=Count("id", filter=~Q(Exists(late_item))))
    )
    return Ratio(figures["met"], figures["of"])


def _carried_over(complaints: QuerySet[Complaint], *, start: datetime, end: datetime) -> int:
    """Received before the month and still open when it ended: not closed by then, and not
    superseded by then (the successor's receipt is the moment of supersession, R-REV-2).

    Counted as three disjoint sets, each read through an index that holds only what is open,
    what closed after the month, or what was received after it — so the cost follows the
    month, not the years of history (docs/performance.md): still open now; closed after the
    month ended; superseded by a complaint received after it ended. One query."""
    earlier = complaints.filter(received_at__lt=start).order_by()
    still_open = earlier.filter(status__in=OPEN_STATUSES)
    closed_later = earlier.filter(closed_at__gte=end)
    superseded_later = earlier.filter(
        status=Status.SUPERSEDED,
        pk__in=Complaint.objects.filter(linked_to__isnull=False, received_at__gte=end)
        .order_by()
        .values("linked_to"),
    )
    return (
        still_open.values("pk")
        .union(closed_later.values("pk"), superseded_later.values("pk"), all=True)
        .count()
    )


def monthly_kpis(
    complaints: QuerySet[Complaint],
    *,
    month: date,
    zone: ZoneInfo,
    offices: QuerySet[Office] | None = None,
    now: datetime | None = None,
) -> MonthlyKpis:
    """The KPIs of the complaints received in `month` (local calendar month in `zone`), among
    `complaints` — for a report, its subject's (`reports.subjects`), so the figures count the
    very complaints its lists and exports show. Later events (a closure next month) count for
    the month of receipt, up to `now` (the report's generation). The shift reviews are those of
    `offices` (by default the offices of `complaints`)."""
    now = now or timezone.now()
    start, end = month_bounds(month, zone)
    received = received_in(complaints, month=month, zone=zone)
    ids = received.order_by().values("pk")
    if offices is None:
        offices = Office.objects.filter(pk__in=complaints.order_by().values("office_id"))
    standards = measures()

    counts = {}
    for measure in standards:
        counts[f"{measure.name}__of"] = Count("id", filter=measure.applies)
        counts[f"{measure.name}__met"] = Count("id", filter=measure.applies & measure.met)
    figures = annotated(received.order_by(), now=now).aggregate(
        total=Count("id"),
        violating=Count("id", filter=violating_closure()),
        re_complaints=Count("id", filter=Q(linked_to__isnull=False)),
        quality=Count("id", filter=Q(channel=Channel.BRANCH)),
        quality_closed=Count("id", filter=Q(channel=Channel.BRANCH, status=Status.CLOSED)),
        **counts,
    )
    ratios = {m.name: Ratio(figures[f"{m.name}__met"], figures[f"{m.name}__of"]) for m in standards}
    revisits = Revisit.objects.filter(complaint__in=ids).aggregate(
        polite=Count("id", filter=Q(courteous=True)),
        asked=Count("id", filter=Q(courteous__isnull=False)),
    )
    day_10, day_15 = Q(level=Escalation.Level.DAY_10), Q(level=Escalation.Level.DAY_15)
    escalations = Escalation.objects.filter(complaint__in=ids).aggregate(
        day_10=Count("id", filter=day_10),
        day_15=Count("id", filter=day_15),
        # Standard 5 measures the ladder's timeliness, not only its size (docs: Rules the desk
        # adds): the alert within an hour of day 10, the GM report within 24 h of day 15.
        alerts_on_time=Count(
            "id", filter=day_10 & Q(at__lte=F("complaint__alert_due") + ALERT_GRACE)
        ),
        reports_owed=Count(
            "id", filter=day_15 & (Q(reported_at__isnull=False) | Q(at__lte=now - REPORT_GRACE))
        ),
        reports_on_time=Count("id", filter=day_15 & Q(reported_at__lte=F("at") + REPORT_GRACE)),
    )
    carried_over = _carried_over(complaints, start=start, end=end)
    median, p90 = _hours_to_close(received)

    return MonthlyKpis(
        month=start.date(),
        received=figures["total"],
        courteous=Ratio(revisits["polite"], revisits["asked"]),
        reviews_on_time=_reviews_on_time(offices, start, end, now),
        quality_department_received=figures["quality"],
        quality_department_closed=figures["quality_closed"],
        **ratios,
        violating_closures=figures["violating"],
        re_complaints=figures["re_complaints"],
        escalated_day_10=escalations["day_10"],
        escalated_day_15=escalations["day_15"],
        carried_over=carried_over,
        hours_to_close_median=median,
        hours_to_close_p90=p90,
        by_classification=_counts(received, "classification"),
        by_channel=_counts(received, "channel"),
        by_category=_counts(received, "category__name"),
        by_severity=_counts(received, "severity"),
        by_building=_counts(
            received.annotate(estate_building=estate_building()), "estate_building"
        ),
        by_department=_counts(
            Dispatch.objects.filter(complaint__in=ids),
            "department",
            count="complaint",
            distinct=True,
        ),
        days_short_of_scans=_days_short_of_scans(offices, start, end, now, zone),
        alerts_on_time=Ratio(escalations["alerts_on_time"], escalations["day_10"]),
        gm_reports_on_time=Ratio(escalations["reports_on_time"], escalations["reports_owed"]),
    )


def _days_short_of_scans(offices, start: datetime, end: datetime, now: datetime, zone) -> int:
    """R-CHAN-2: the office days of the month, up to the last finished one, with fewer than two
    website scans (one grouped query)."""
    last = min(end, now).astimezone(zone).date() - timedelta(days=1)
    first = start.astimezone(zone).date()
    if last < first:
        return 0
    office_ids = list(offices.values_list("pk", flat=True))
    short = days_with_too_few_scans(office_ids, first, last, zone)
    return sum(len(days) for days in short.values())


def monthly_trend(
    complaints: QuerySet[Complaint], *, month: date, zone: ZoneInfo, months: int = 12
) -> list[dict]:
    """Complaints received in each of the `months` months up to `month`, by class: one query.

    `[{"month": "2025-11", "valid": 3, "to_improve": 1, "invalid": 0, "total": 4}, …]`, oldest
    first, every month present even when empty."""
    first = month.replace(day=1)
    for _ in range(months - 1):
        first = (first - timedelta(days=1)).replace(day=1)
    start, _end = month_bounds(first, zone)
    _start, end = month_bounds(month, zone)
    rows = (
        complaints.filter(received_at__gte=start, received_at__lt=end)
        .order_by()
        .annotate(local_month=TruncMonth("received_at", tzinfo=zone))
        .values("local_month", "classification")
        .annotate(n=Count("id"))
    )
    trend = {}
    step = first
    for _ in range(months):
        trend[f"{step:%Y-%m}"] = {"month": f"{step:%Y-%m}", "total": 0}
        trend[f"{step:%Y-%m}"].update(dict.fromkeys(Classification.values, 0))
        step = (step + timedelta(days=32)).replace(day=1)
    for row in rows:
        bucket = trend[f"{row['local_month']:%Y-%m}"]
        bucket[row["classification"]] += row["n"]
        bucket["total"] += row["n"]
    return list(trend.values())
