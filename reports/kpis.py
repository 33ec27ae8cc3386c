"""The month's work-standard KPIs of a set of complaints (SOP.md: Work standards, R-RPT-1).

Every figure is a database aggregate (STYLE 9): a handful of queries whatever the number of
complaints. The caller passes the complaints it may see (`Complaint.objects.visible_to(user)`,
or one office's or branch's); nothing here widens that queryset.
"""

from dataclasses import dataclass
from datetime import date
from zoneinfo import ZoneInfo

from django.db import NotSupportedError, connections
from django.db.models import (
    Aggregate,
    Case,
    Count,
    DurationField,
    Exists,
    F,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce

from complaints.models import Complaint
from complaints.models.choices import Status
from followups.models import Dispatch, Escalation, Revisit
from followups.workflow import CLOSING_OUTCOMES

from .months import month_bounds
from .standards import Ratio, hours, percentile

REACHED = [Revisit.Outcome.SATISFIED, Revisit.Outcome.UNDERSTANDS, Revisit.Outcome.UNSATISFIED]
CONTENT = [Revisit.Outcome.SATISFIED, Revisit.Outcome.UNDERSTANDS]


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
    entered_on_time: Ratio  # work standard 3, R-REC-2
    complete_records: Ratio  # work standard 8, R-REC-3
    revisited_on_time: Ratio  # work standard 6, R-REV-1
    replied_on_time: Ratio  # work standard 4, R-REPLY-3
    urgent_dispatched_on_time: Ratio  # work standard 4, R-URG-1
    courteous: Ratio  # work standard 1 (revisits, not complaints)
    satisfied: Ratio  # last revisit satisfied or understands, R-REV-2
    violating_closures: int  # work standard 7, R-CLO-1/2: must be 0
    re_complaints: int  # R-REV-2: new complaints linked to an earlier one
    escalated_day_10: int  # work standard 5, R-FUP-2
    escalated_day_15: int  # work standard 5, R-FUP-3
    carried_over: int  # received earlier, still open when the month ended
    hours_to_close_median: float | None
    hours_to_close_p90: float | None
    by_classification: dict[str, int]
    by_channel: dict[str, int]
    by_category: dict[str | None, int]
    by_severity: dict[str, int]
    by_building: dict[str | None, int]
    by_department: dict[str, int]  # complaints dispatched to each department


def _last_revisit(field: str) -> Subquery:
    return Subquery(
        Revisit.objects.filter(complaint=OuterRef("pk")).order_by("-at", "-pk").values(field)[:1]
    )


def _violating_closure() -> Q:
    """Closed although the last revisit does not allow it for the class (R-CLO-1/2)."""
    allowed = Q()
    for classification, outcomes in CLOSING_OUTCOMES.items():
        allowed |= Q(classification=classification, last_outcome__in=sorted(outcomes))
    return Q(status=Status.CLOSED) & ~allowed


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


def monthly_kpis(complaints: QuerySet[Complaint], *, month: date, zone: ZoneInfo) -> MonthlyKpis:
    """The KPIs of the complaints received in `month` (local calendar month in `zone`), among
    `complaints`. Later events (a closure next month) count for the month of receipt."""
    start, end = month_bounds(month, zone)
    received = complaints.filter(received_at__gte=start, received_at__lt=end)
    ids = received.order_by().values("pk")

    figures = (
        received.order_by()
        .annotate(
            last_outcome=Coalesce(_last_revisit("outcome"), Value("")),
            # A superseded complaint was revisited (unsatisfied) but never got `revisited_at`.
            revisit_done_at=Case(
                When(status=Status.SUPERSEDED, then=_last_revisit("at")),
                default=F("revisited_at"),
            ),
        )
        .aggregate(
            total=Count("id"),
            entered_on_time=Count("id", filter=Q(entered_late=False)),
            complete=Count("id", filter=Q(is_complete=True)),
            resolved=Count("id", filter=Q(revisit_due__isnull=False)),
            revisited_on_time=Count(
                "id", filter=Q(revisit_due__isnull=False, revisit_done_at__lte=F("revisit_due"))
            ),
            agreed=Count("id", filter=Q(reply_due__isnull=False)),
            replied_on_time=Count(
                "id", filter=Q(reply_due__isnull=False, replied_at__lte=F("reply_due"))
            ),
            urgent=Count("id", filter=~Q(urgent_kind="")),
            dispatched_on_time=Count(
                "id", filter=~Q(urgent_kind="") & Q(dispatched_at__lte=F("dispatch_due"))
            ),
            reached=Count("id", filter=Q(last_outcome__in=REACHED)),
            content=Count("id", filter=Q(last_outcome__in=CONTENT)),
            violating=Count("id", filter=_violating_closure()),
            re_complaints=Count("id", filter=Q(linked_to__isnull=False)),
        )
    )
    revisits = Revisit.objects.filter(complaint__in=ids).aggregate(
        polite=Count("id", filter=Q(courteous=True)),
        asked=Count("id", filter=Q(courteous__isnull=False)),
    )
    escalations = Escalation.objects.filter(complaint__in=ids).aggregate(
        day_10=Count("id", filter=Q(level=Escalation.Level.DAY_10)),
        day_15=Count("id", filter=Q(level=Escalation.Level.DAY_15)),
    )
    # Open at the end of the month: not closed by then, and not superseded by then (the
    # successor's receipt is the moment of supersession, R-REV-2).
    superseded_by_end = Q(status=Status.SUPERSEDED) & Exists(
        Complaint.objects.filter(linked_to=OuterRef("pk"), received_at__lt=end)
    )
    carried_over = (
        complaints.filter(received_at__lt=start)
        .filter(Q(closed_at__isnull=True) | Q(closed_at__gte=end))
        .exclude(superseded_by_end)
        .order_by()
        .count()
    )
    median, p90 = _hours_to_close(received)

    return MonthlyKpis(
        month=start.date(),
        received=figures["total"],
        entered_on_time=Ratio(figures["entered_on_time"], figures["total"]),
        complete_records=Ratio(figures["complete"], figures["total"]),
        revisited_on_time=Ratio(figures["revisited_on_time"], figures["resolved"]),
        replied_on_time=Ratio(figures["replied_on_time"], figures["agreed"]),
        urgent_dispatched_on_time=Ratio(figures["dispatched_on_time"], figures["urgent"]),
        courteous=Ratio(revisits["polite"], revisits["asked"]),
        satisfied=Ratio(figures["content"], figures["reached"]),
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
        by_building=_counts(received, "building__name"),
        by_department=_counts(
            Dispatch.objects.filter(complaint__in=ids),
            "department",
            count="complaint",
            distinct=True,
        ),
    )
