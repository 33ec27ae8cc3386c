"""The work standards as conditions on a month's complaints (docs/procedure.md: Work standards).

Each complaint-level standard is one `Measure`: the complaints it `applies` to and those that
`met` it, both `Q`s over `annotated(...)`. `reports.kpis` counts them in SQL; the report page
lists the complaints behind a number with the very same conditions, so a figure and its list
can never disagree.
"""

from dataclasses import dataclass
from datetime import datetime

from django.db.models import (
    BooleanField,
    Case,
    DateTimeField,
    Exists,
    ExpressionWrapper,
    F,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _

from complaints.deadlines import CONTACT_INTERVAL
from complaints.models import DutyLogEntry
from complaints.models.choices import Status
from followups.models import Contact, Revisit
from followups.workflow import CLOSING_OUTCOMES

REACHED = [Revisit.Outcome.SATISFIED, Revisit.Outcome.UNDERSTANDS, Revisit.Outcome.UNSATISFIED]
CONTENT = [Revisit.Outcome.SATISFIED, Revisit.Outcome.UNDERSTANDS]


KPI_LABELS = {
    "courteous": _("Staff courteous (standard 1)"),
    "accepted": _("Accepted into the duty log (standard 2)"),
    "entered_on_time": _("Entered within 2 hours (standard 3)"),
    "urgent_dispatched_on_time": _("Urgent matters dispatched at once (standard 4)"),
    "replied_on_time": _("Replied by the agreed time (standard 4)"),
    "reviews_on_time": _("Shift reviews done within 30 minutes (standard 5)"),
    "contacted_every_3_days": _("Customer contacted every 3 days (standard 5)"),
    "revisited_on_time": _("Revisited within 24 hours (standard 6)"),
    "complete_records": _("Complete records (standard 8)"),
    "alerts_on_time": _("Day-10 alerts made within an hour (standard 5)"),
    "gm_reports_on_time": _("Day-15 reports to the branch GM within 24 hours (standard 5)"),
    "satisfied": _("Customers satisfied or understanding"),
}


@dataclass(frozen=True)
class Measure:
    name: str  # its key in KPI_LABELS and in the report's figures
    applies: Q
    met: Q

    @property
    def label(self) -> str:
        return KPI_LABELS[self.name]


def _last_revisit(field: str) -> Subquery:
    return Subquery(
        Revisit.objects.filter(complaint=OuterRef("pk")).order_by("-at", "-pk").values(field)[:1]
    )


def _plus_interval(expression) -> ExpressionWrapper:
    return ExpressionWrapper(expression + Value(CONTACT_INTERVAL), output_field=DateTimeField())


def _handled_until(now: datetime, ref=F):
    """Until when a complaint was handled: its resolution, else its closure, else `now`."""
    return Coalesce(ref("resolved_at"), ref("closed_at"), Value(now))


def _contacts_while_handled(now: datetime) -> QuerySet:
    return Contact.objects.filter(complaint=OuterRef("pk"), at__lte=_handled_until(now, OuterRef))


def _late_contact(now: datetime) -> Exists:
    """A contact more than 3 days after the previous one, or after receipt (R-URG-2)."""
    previous = Subquery(
        Contact.objects.filter(complaint=OuterRef("complaint"), at__lt=OuterRef("at"))
        .order_by("-at")
        .values("at")[:1]
    )
    return Exists(
        _contacts_while_handled(now)
        .annotate(previous_at=Coalesce(previous, OuterRef("received_at")))
        .filter(at__gt=_plus_interval(F("previous_at")))
    )


def _violating_closure() -> Q:
    """Closed although the last revisit does not allow it for the class (R-CLO-1/2)."""
    allowed = Q()
    for classification, outcomes in CLOSING_OUTCOMES.items():
        allowed |= Q(classification=classification, last_outcome__in=sorted(outcomes))
    return Q(status=Status.CLOSED) & ~allowed


def annotated(received: QuerySet, *, now: datetime) -> QuerySet:
    """The month's complaints with what the measures read; `now` bounds the open contact gap."""
    last_contact = Subquery(_contacts_while_handled(now).order_by("-at").values("at")[:1])
    return received.annotate(
        last_outcome=Coalesce(_last_revisit("outcome"), Value("")),
        # A superseded complaint was revisited (unsatisfied) but never got `revisited_at`.
        revisit_done_at=Case(
            When(status=Status.SUPERSEDED, then=_last_revisit("at")),
            default=F("revisited_at"),
        ),
        # R-REC-2: entered late, or from the community's page and still not checked after its
        # 2 hours (complaints.community): it is not entered yet, and its time has passed.
        entry_missed=ExpressionWrapper(
            Q(entered_late=True) | Q(awaiting_check=True, entry_due__lt=now),
            output_field=BooleanField(),
        ),
        in_duty_log=Exists(
            DutyLogEntry.objects.filter(complaint=OuterRef("pk"), kind=DutyLogEntry.Kind.COMPLAINT)
        ),
        # R-URG-2: while it is handled, the customer hears from us at least every 3 days. The
        # gaps between contacts are checked by `late_contact`, the last one up to the
        # resolution, the closure or, still handled, `now` by `last_contact_due`.
        late_contact=_late_contact(now),
        last_contact_due=_plus_interval(Coalesce(last_contact, F("received_at"))),
        handled_until=_handled_until(now),
        asked_courtesy=Exists(
            Revisit.objects.filter(complaint=OuterRef("pk"), courteous__isnull=False)
        ),
        found_discourteous=Exists(
            Revisit.objects.filter(complaint=OuterRef("pk"), courteous=False)
        ),
    )


def measures() -> list[Measure]:
    """The complaint-level standards, in the order of the table in docs/procedure.md."""
    return [
        Measure("accepted", Q(), Q(in_duty_log=True)),
        Measure("entered_on_time", Q(), Q(entry_missed=False)),
        Measure(
            "urgent_dispatched_on_time", ~Q(urgent_kind=""), Q(dispatched_at__lte=F("dispatch_due"))
        ),
        Measure("replied_on_time", Q(reply_due__isnull=False), Q(replied_at__lte=F("reply_due"))),
        Measure(
            "contacted_every_3_days",
            Q(),
            Q(late_contact=False, last_contact_due__gte=F("handled_until")),
        ),
        Measure(
            "revisited_on_time",
            Q(revisit_due__isnull=False),
            Q(revisit_done_at__lte=F("revisit_due")),
        ),
        Measure("complete_records", Q(), Q(is_complete=True)),
        Measure("satisfied", Q(last_outcome__in=REACHED), Q(last_outcome__in=CONTENT)),
    ]


def violating_closure() -> Q:
    return _violating_closure()


def courtesy() -> Measure:
    """Standard 1 is counted over revisits; the complaints behind it are those revisited with
    the question asked, met when no revisit found the staff discourteous."""
    return Measure("courteous", Q(asked_courtesy=True), Q(found_discourteous=False))
