"""How far each clock of a complaint is from now, and how the desk says it.

No ORM: `complaint_deadlines` reads the stored deadlines of any object that carries them
(a `Complaint`, or a stand-in in tests), so the rules are tested without a database."""

from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

SOON = timedelta(hours=2)


class State(StrEnum):
    RUNNING = "running"  # due later, not met yet
    SOON = "soon"  # due within SOON
    OVERDUE = "overdue"  # past due and not met
    MET = "met"  # met on time
    MET_LATE = "met_late"  # met, but after the due time
    STOPPED = "stopped"  # never met, and the complaint is no longer open
    PAUSED = "paused"  # handling is finished: waiting for the revisit or the approval


TONES = {
    State.RUNNING: "body",
    State.SOON: "warning",
    State.OVERDUE: "danger",
    State.MET: "success",
    State.MET_LATE: "warning",
    State.STOPPED: "secondary",
    State.PAUSED: "secondary",
}

# Handling is finished once resolved: these clocks pause while the complaint waits
# (R-URG-2 asks for contact until the resolution; R-FUP-2/3 chase unhandled complaints).
PAUSED_CLOCKS = frozenset({"contact", "alert", "report"})
WAITING = {
    "resolved": gettext_lazy("waiting for the revisit"),
    "revisited": gettext_lazy("waiting for the manager's approval"),
}


def waiting_for(complaint) -> str:
    """What a complaint whose handling is finished waits for, or "" while it is handled."""
    return str(WAITING.get(getattr(complaint, "status", ""), ""))


def format_duration(delta: timedelta) -> str:
    """The two largest units, rounded down: `2 d 4 h`, `3 h 20 min`, `45 min`."""
    minutes = int(abs(delta).total_seconds() // 60)
    if minutes < 1:
        return _("less than a minute")
    days, rest = divmod(minutes, 24 * 60)
    hours, minutes = divmod(rest, 60)
    if days:
        if hours:
            return _("%(days)d d %(hours)d h") % {"days": days, "hours": hours}
        return _("%(days)d d") % {"days": days}
    if hours:
        if minutes:
            return _("%(hours)d h %(minutes)d min") % {"hours": hours, "minutes": minutes}
        return _("%(hours)d h") % {"hours": hours}
    return _("%(minutes)d min") % {"minutes": minutes}


@dataclass(frozen=True)
class TimeLeft:
    state: State
    delta: timedelta = timedelta(0)
    """Time left (running, soon), time past due (overdue), lateness (met late); else zero."""
    waiting: str = ""  # what a paused clock waits for

    @property
    def is_overdue(self) -> bool:
        return self.state is State.OVERDUE

    @property
    def is_pending(self) -> bool:
        return self.state in (State.RUNNING, State.SOON, State.OVERDUE)

    @property
    def tone(self) -> str:
        """A Bootstrap colour name for the state."""
        return TONES[self.state]

    @property
    def text(self) -> str:
        duration = format_duration(self.delta)
        if self.state is State.OVERDUE:
            return _("overdue by %(duration)s") % {"duration": duration}
        if self.state in (State.RUNNING, State.SOON):
            return _("%(duration)s left") % {"duration": duration}
        if self.state is State.MET_LATE:
            return _("met %(duration)s late") % {"duration": duration}
        if self.state is State.MET:
            return _("met on time")
        if self.state is State.PAUSED:
            return _("paused: %(waiting)s") % {"waiting": self.waiting}
        return _("stopped: no longer open")


def time_left(
    due: datetime,
    *,
    now: datetime,
    met_at: datetime | None = None,
    running: bool = True,
    soon: timedelta = SOON,
) -> TimeLeft:
    """Where one deadline stands at `now`.

    Overdue means strictly past due, as in `ComplaintQuerySet.overdue` (`due < now`)."""
    if met_at is not None:
        late = met_at - due
        return TimeLeft(State.MET_LATE, late) if late > timedelta(0) else TimeLeft(State.MET)
    if not running:
        return TimeLeft(State.STOPPED)
    if due < now:
        return TimeLeft(State.OVERDUE, now - due)
    left = due - now
    return TimeLeft(State.SOON if left <= soon else State.RUNNING, left)


@dataclass(frozen=True)
class Deadline:
    key: str
    label: str
    rule: str
    explanation: str
    due: datetime
    met_at: datetime | None
    left: TimeLeft


CLOCKS = {
    # key: (label, rule, explanation, due field, field of the time it was met or None)
    "entry": (
        gettext_lazy("Entry of the record"),
        "R-REC-2",
        gettext_lazy("within 2 hours of receipt"),
        "entry_due",
        "entered_at",
    ),
    "dispatch": (
        gettext_lazy("Dispatch (urgent matter)"),
        "R-URG-1",
        gettext_lazy("someone is sent at once"),
        "dispatch_due",
        "dispatched_at",
    ),
    "reply": (
        gettext_lazy("Agreed reply"),
        "R-REPLY-2",
        gettext_lazy("the time agreed with the customer, at most 3 working days after receipt"),
        "reply_due",
        "replied_at",
    ),
    "contact": (
        gettext_lazy("Next customer contact"),
        "R-URG-2",
        gettext_lazy("at least once every 3 days while open"),
        "next_contact_due",
        None,
    ),
    "revisit": (
        gettext_lazy("Revisit"),
        "R-REV-1",
        gettext_lazy("within 24 hours after handling is finished"),
        "revisit_due",
        "revisited_at",
    ),
    "alert": (
        gettext_lazy("Day-10 alert"),
        "R-FUP-2",
        gettext_lazy("office manager and supervisor alerted when open over 10 days"),
        "alert_due",
        None,
    ),
    "report": (
        gettext_lazy("Day-15 report"),
        "R-FUP-3",
        gettext_lazy("office manager reports to the branch GM when open 15 days"),
        "report_due",
        None,
    ),
}


def complaint_deadlines(complaint, *, now: datetime) -> list[Deadline]:
    """Every clock the complaint has, in the order of the procedure.

    Clocks without a due time (no dispatch for a matter that is not urgent, no agreed reply
    when it was answered at once, no revisit before handling is finished) are left out.
    A clock never met stops when the complaint is no longer open; the contact and the day-10/15
    clocks pause while a resolved complaint waits for its revisit or approval."""
    waiting = waiting_for(complaint)
    deadlines = []
    for key, (label, rule, explanation, due_field, met_field) in CLOCKS.items():
        due = getattr(complaint, due_field, None)
        if due is None:
            continue
        met_at = getattr(complaint, met_field) if met_field else None
        deadlines.append(
            Deadline(
                key=key,
                label=label,
                rule=rule,
                explanation=explanation,
                due=due,
                met_at=met_at,
                left=TimeLeft(State.PAUSED, waiting=waiting)
                if waiting and key in PAUSED_CLOCKS
                else time_left(due, now=now, met_at=met_at, running=complaint.is_open),
            )
        )
    return deadlines


def next_deadline(deadlines: list[Deadline]) -> Deadline | None:
    """The earliest clock still pending (overdue ones first, as they are the earliest)."""
    pending = [deadline for deadline in deadlines if deadline.left.is_pending]
    return min(pending, key=lambda deadline: deadline.due, default=None)
