"""Every notice the desk sends, in one catalogue: its kind, its title and body, who receives it,
at which place, and the language it is written in.

Language: a notice is written in the procedure's language, Simplified Chinese, whoever caused
it and whatever language they browse in. Its readers are the offices' staff, the procedure and
its terms are Chinese, and a notice is read and e-mailed long after the request that caused it;
the user model stores no language of its own (the desk's switch is a per-browser cookie), so
there is no recipient's choice to honour.

Recipients: a notice goes to people holding one of its `roles` at its place — the complaint's
office (whose branch roles count there too) or a branch — now: when it is written (the callers
pick them with `accounts.staffing`, and `addressed` drops anyone else) and again when it is
e-mailed (`followups.notify.send_pending`). Some notices also name a person (the receiver of a
complaint, the handler, who entered it): they get it only while they hold one of the roles too.

A notice row keeps its kind, its complaint (when there is one) and its deduplication key, which
together name the matter it is about.

Done: each entry says when its matter is done (`done`: pairs of a reason and a condition on the
notice row, first true one wins), or `STAYS` for a notice that only informs (it leaves the unread
list when read). `resolve_done` marks done notices in the transaction of the step that finished
their matter; they leave the unread list and stay in the history with the reason."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime

from django.db.models import Case, CharField, Exists, F, Func, OuterRef, Q, Value, When
from django.db.models.functions import Cast, Concat
from django.utils import timezone, translation
from django.utils.translation import gettext, gettext_noop

from accounts.models import Branch, Office
from accounts.roles import BRANCH_ROLES, OFFICE_ROLES, Role
from accounts.staffing import current_memberships, holds_any
from complaints.models import Complaint
from complaints.models.choices import Status

from .models import Notification

Kind = Notification.Kind
LANGUAGE = "zh-hans"  # the procedure's language, for every notice (see above)
TITLE_LENGTH = 200  # Notification.title


@dataclass(frozen=True)
class Notice:
    kind: Kind
    title: str  # source text, formatted with the notice's parameters
    roles: frozenset[str]  # a recipient holds one of them at the notice's place
    place: str  # "office" (the complaint's office or the office concerned) or "branch"
    rule: str
    done: tuple  # ((Resolved reason, Q over the notice row), ...), or STAYS
    body: str = ""  # source text formatted with the parameters; "" → the `text` given as is
    named: str = ""  # a named person who receives it (besides the roles' holders), for the docs


MANAGER = frozenset({Role.OFFICE_MANAGER})
SUPERVISOR = frozenset({Role.CUSTOMER_SUPERVISOR})
# Who receives a complaint: office staff, or the quality department for a branch complaint.
RECEIVERS = OFFICE_ROLES | {Role.QUALITY_DEPARTMENT}
# The overdue deadlines and a moved reply limit also go to who received the complaint.
RECEIVER_TOO = "the receiver, besides the customer supervisors"
OFFICE = "office"
BRANCH = "branch"

Resolved = Notification.Resolved
STAYS = ()  # informs only: nothing to finish, it leaves the unread list when read
HANDLING = (Status.RECORDED, Status.IN_PROGRESS)


def _status(*statuses) -> Q:
    return Q(complaint__status__in=statuses)


ENDED = (
    (Resolved.CLOSED, _status(Status.CLOSED)),
    (Resolved.SUPERSEDED, _status(Status.SUPERSEDED)),
)


def _reported_to_gm() -> Q:
    from .models import Escalation

    return Q(
        Exists(
            Escalation.objects.filter(
                complaint=OuterRef("complaint"), level=15, reported_at__isnull=False
            )
        )
    )


def _major_reported() -> Q:
    from .models import MajorReport

    return Q(Exists(MajorReport.objects.filter(complaint=OuterRef("complaint"))))


def _review_finished() -> Q:
    from .models import ShiftReview

    finished = (
        ShiftReview.objects.annotate(
            notice_key=Concat(Value("review_late:"), Cast("pk", CharField()))
        )
        .filter(notice_key=OuterRef("key"))
        .exclude(items__reviewed_at__isnull=True)
    )
    return Q(Exists(finished))


def _report_made() -> Q:
    from reports.models import MonthlyReport

    subject = Case(
        When(office__isnull=False, then=Concat(Value("office"), Cast("office_id", CharField()))),
        default=Concat(Value("branch"), Cast("branch_id", CharField())),
    )
    month = Func(F("month"), Value("YYYYMM"), function="to_char", output_field=CharField())
    made = MonthlyReport.objects.annotate(
        notice_key=Concat(Value("report_missing:"), subject, Value(":"), month)
    ).filter(notice_key=OuterRef("key"))
    return Q(Exists(made))


NOTICES: dict[str, Notice] = {
    notice.kind: notice
    for notice in (
        Notice(
            Kind.MAJOR,
            gettext_noop("Major complaint %(number)s"),
            MANAGER,
            OFFICE,
            "R-SEV-1",
            ENDED,
            body=gettext_noop(
                "%(office)s recorded a major complaint from %(name)s: %(description)s"
            ),
        ),
        Notice(
            Kind.ASSIGNED,
            gettext_noop("The quality department named you handler of %(number)s"),
            MANAGER,
            OFFICE,
            "R-QD-1",
            ENDED,
            named="the office manager the quality department named as handler",
        ),
        Notice(
            Kind.DISPATCH_OVERDUE,
            gettext_noop("%(number)s: urgent matter not dispatched"),
            RECEIVERS,
            OFFICE,
            "R-URG-1",
            ((Resolved.DISPATCHED, Q(complaint__dispatched_at__isnull=False)), *ENDED),
            named=RECEIVER_TOO,
        ),
        Notice(
            Kind.REPLY_OVERDUE,
            gettext_noop("%(number)s: the agreed reply is overdue"),
            RECEIVERS,
            OFFICE,
            "R-REPLY-3",
            ((Resolved.REPLIED, Q(complaint__replied_at__isnull=False)), *ENDED),
            named=RECEIVER_TOO,
        ),
        Notice(
            Kind.CONTACT_OVERDUE,
            gettext_noop("%(number)s: contact the customer (every 3 days)"),
            RECEIVERS,
            OFFICE,
            "R-URG-2",
            (
                # a contact after the notice moved the 3-day clock past it
                (Resolved.CONTACTED, Q(complaint__next_contact_due__gt=F("created_at"))),
                *ENDED,
                (Resolved.RESOLVED, ~_status(*HANDLING)),
            ),
            named=RECEIVER_TOO,
        ),
        Notice(
            Kind.REVISIT_OVERDUE,
            gettext_noop("%(number)s: the revisit is overdue (24 hours)"),
            RECEIVERS,
            OFFICE,
            "R-REV-1",
            (
                (Resolved.REVISITED, _status(Status.REVISITED, Status.CLOSED)),
                (Resolved.SUPERSEDED, _status(Status.SUPERSEDED)),
            ),
            named=RECEIVER_TOO,
        ),
        Notice(
            Kind.ESCALATION_10,
            gettext_noop("%(number)s has been open for 10 days"),
            MANAGER | SUPERVISOR,
            OFFICE,
            "R-FUP-2",
            ((Resolved.RESOLVED, _status(Status.RESOLVED, Status.REVISITED)), *ENDED),
        ),
        Notice(
            Kind.ESCALATION_15,
            gettext_noop("%(number)s has been open for 15 days: report to the branch GM"),
            MANAGER | {Role.BRANCH_GM},
            OFFICE,
            "R-FUP-3",
            ((Resolved.REPORTED, _reported_to_gm()), *ENDED),
        ),
        Notice(
            Kind.GM_REPORT,
            gettext_noop("Report on %(number)s from the office manager"),
            frozenset({Role.BRANCH_GM}),
            OFFICE,
            "R-FUP-3",
            ENDED,
        ),
        Notice(
            Kind.REVIEW_LATE,
            gettext_noop(
                "%(office)s: the shift review of %(start)s was not finished in 30 minutes"
            ),
            SUPERVISOR,
            OFFICE,
            "R-FUP-1",
            ((Resolved.REVIEWED, _review_finished()),),
        ),
        Notice(
            Kind.CLOSURE,
            gettext_noop("%(number)s is waiting for your closure approval"),
            MANAGER,
            OFFICE,
            "R-CLO-3",
            (*ENDED, (Resolved.REJECTED, ~_status(Status.REVISITED))),
        ),
        Notice(
            Kind.REJECTED,
            gettext_noop("Closure of %(number)s was rejected"),
            OFFICE_ROLES | BRANCH_ROLES,
            OFFICE,
            "R-CLO-3",
            ((Resolved.HANDLED_AGAIN, _status(Status.RESOLVED, Status.REVISITED)), *ENDED),
            named="who received the complaint and who entered it",
        ),
        Notice(
            Kind.DIGEST,
            gettext_noop(
                "%(office)s, %(day)s: %(total)d complaints received, %(open)d open in all"
            ),
            SUPERVISOR,
            OFFICE,
            "R-FUP-4",
            STAYS,
            body=gettext_noop("Urgent: %(urgent)d; major: %(major)d; entered late: %(late)d."),
        ),
        Notice(
            Kind.WEEKLY,
            gettext_noop("%(office)s, week of %(monday)s–%(sunday)s: %(total)d complaints"),
            MANAGER,
            OFFICE,
            "R-RPT-2",
            STAYS,
        ),
        Notice(
            Kind.REPORT,
            gettext_noop("%(name)s sent its complaint report for %(month)s"),
            frozenset({Role.QUALITY_DEPARTMENT, Role.BRANCH_GM}),
            BRANCH,
            "R-RPT-1",
            STAYS,
            named="an office's report goes to the quality department, a branch's to the GM",
        ),
        Notice(
            Kind.REPORT_MISSING,
            gettext_noop("The complaint report of %(name)s for %(month)s is missing"),
            frozenset({Role.QUALITY_DEPARTMENT}),
            BRANCH,
            "R-RPT-1",
            ((Resolved.REPORT_MADE, _report_made()),),
        ),
        Notice(
            Kind.CLOSURE_WAITING,
            gettext_noop(
                "%(number)s has waited for your closure approval since %(since)s "
                "(over a working day)"
            ),
            MANAGER,
            OFFICE,
            "R-CLO-3",
            (*ENDED, (Resolved.REJECTED, ~_status(Status.REVISITED))),
        ),
        Notice(
            Kind.ESCALATED_LATE,
            gettext_noop("%(number)s is past day %(limit)d of its matter: escalated now"),
            MANAGER | SUPERVISOR | {Role.BRANCH_GM},
            OFFICE,
            "R-FUP-2",
            ((Resolved.RESOLVED, _status(Status.RESOLVED, Status.REVISITED)), *ENDED),
            body=gettext_noop(
                "The closure was rejected after the day-%(limit)d limit, counted from the "
                "first receipt, had passed while the complaint waited for its revisit or "
                "approval; the handling goes on, so it is escalated at once."
            ),
        ),
        Notice(
            Kind.SCANS_MISSED,
            gettext_noop("%(office)s, %(day)s: %(scans)d website scans (at least two a day)"),
            SUPERVISOR,
            OFFICE,
            "R-CHAN-2",
            STAYS,  # a day gone by: it informs
        ),
        Notice(
            Kind.HANDOVER_MISSING,
            gettext_noop(
                "%(office)s: the shift change at %(start)s has no signed handover after 30 minutes"
            ),
            frozenset({Role.CLIENT_ASSISTANT}) | SUPERVISOR,
            OFFICE,
            "R-LOG-2",
            STAYS,  # a shift change gone by: it informs
            named="the outgoing assistant (the handover's writer, else who kept the duty log "
            "in the shift that ended), besides the customer supervisors",
        ),
        Notice(
            Kind.MAJOR_TO_LEADERSHIP,
            gettext_noop(
                "Major complaint %(number)s reported by %(office)s; the customer expects an "
                "answer by %(answer_by)s"
            ),
            frozenset({Role.BRANCH_GM, Role.QUALITY_DEPARTMENT}),
            OFFICE,
            "R-SEV-1",
            ENDED,
        ),
        Notice(
            Kind.MAJOR_UNREPORTED,
            gettext_noop(
                "Major complaint %(number)s is not reported to the branch leadership yet "
                "(major since %(since)s)"
            ),
            MANAGER,
            OFFICE,
            "R-SEV-1",
            ((Resolved.REPORTED, _major_reported()), *ENDED),
        ),
        Notice(
            Kind.REPLY_LIMIT_MOVED,
            gettext_noop(
                "%(number)s: the calendar changed, the reply is now due by %(limit)s at the "
                "latest — tell the customer and agree a new time"
            ),
            RECEIVERS,
            OFFICE,
            "R-REPLY-2",
            (
                (Resolved.CONTACTED, Q(complaint__next_contact_due__gt=F("created_at"))),
                *ENDED,
            ),
            named=RECEIVER_TOO,
        ),
        Notice(
            Kind.CALENDAR_DUE,
            gettext_noop("Enter and confirm the working calendar of %(year)d"),
            frozenset({Role.QUALITY_DEPARTMENT}),
            BRANCH,
            "R-REPLY-2",
            STAYS,  # a reminder: the confirmed year is in the calendar admin
        ),
    )
}

# The deadlines the scan chases (complaints.models.CHASED_DEADLINES), by the kind they raise.
OVERDUE = {
    "dispatch": Kind.DISPATCH_OVERDUE,
    "reply": Kind.REPLY_OVERDUE,
    "contact": Kind.CONTACT_OVERDUE,
    "revisit": Kind.REVISIT_OVERDUE,
}


def notice(kind: Kind) -> Notice:
    if not isinstance(kind, Kind):  # a raw string would bypass the catalogue's kinds
        raise TypeError(f"a notice kind is a Notification.Kind, not {kind!r}")
    return NOTICES[kind]


def written():
    """The catalogue's language, for text composed outside `compose` (the weekly list)."""
    return translation.override(LANGUAGE)


def compose(kind: Kind, *, text: str = "", **params) -> tuple[str, str]:
    """(title, body) of a notice of `kind`, in the catalogue's language."""
    entry = notice(kind)
    with written():
        title = gettext(entry.title) % params
        body = gettext(entry.body) % params if entry.body else text
    return title[:TITLE_LENGTH], body


def place_fields(kind: Kind, place: Office | Branch) -> dict:
    """The row's place columns; the catalogue says whether the kind's place is an office."""
    if (notice(kind).place == OFFICE) != isinstance(place, Office):
        raise TypeError(f"{kind} is addressed at an {notice(kind).place}, not {place!r}")
    return {"office": place} if isinstance(place, Office) else {"branch": place}


def row(
    kind: Kind,
    *,
    recipient_id: int,
    key: str,
    office_id: int | None = None,
    branch_id: int | None = None,
    complaint_id: int | None = None,
    text: str = "",
    **params,
) -> dict:
    """One notice as a row for `notify.notify_many`, composed by the catalogue."""
    if (notice(kind).place == OFFICE) != (office_id is not None) or (office_id is None) == (
        branch_id is None
    ):
        raise TypeError(f"{kind} is addressed at an {notice(kind).place}")
    title, body = compose(kind, text=text, **params)
    return {
        "recipient_id": recipient_id,
        "kind": kind,
        "key": key,
        "office_id": office_id,
        "branch_id": branch_id,
        "complaint_id": complaint_id,
        "title": title,
        "body": body,
    }


def may_receive(user, kind: Kind, place: Office | Branch) -> bool:
    """`user` is active and holds one of the kind's roles at `place` now."""
    return holds_any(user, notice(kind).roles, place)


def addressed(notices: list) -> list[bool]:
    """For each of `notices` (rows or dicts with recipient_id, kind, office_id, branch_id), is
    its recipient active and holding one of its kind's roles at its place now? Two queries
    for any number, shared by the writers and the mail sender."""

    def get(item, name):
        return item[name] if isinstance(item, dict) else getattr(item, name)

    users = {get(item, "recipient_id") for item in notices}
    held = defaultdict(set)  # (user id, "office"/"branch", place id) → roles
    for user_id, role, office_id, branch_id in (
        current_memberships()
        .filter(user_id__in=users)
        .values_list("user_id", "role", "office_id", "branch_id")
    ):
        held[(user_id, OFFICE, office_id) if office_id else (user_id, BRANCH, branch_id)].add(role)
    # A row written without a place (before places were kept) is checked at its complaint's.
    unplaced = {
        get(item, "complaint_id")
        for item in notices
        if get(item, "office_id") is None and get(item, "branch_id") is None
    } - {None}
    office_of = dict(Complaint.objects.filter(pk__in=unplaced).values_list("pk", "office_id"))
    office_ids = {get(item, "office_id") for item in notices} | set(office_of.values())
    branch_of = dict(Office.objects.filter(pk__in=office_ids).values_list("pk", "branch_id"))
    answers = []
    for item in notices:
        user_id, office_id = get(item, "recipient_id"), get(item, "office_id")
        if office_id is None and get(item, "branch_id") is None:
            office_id = office_of.get(get(item, "complaint_id"))
        if office_id is not None:
            roles = (
                held[(user_id, OFFICE, office_id)]
                | held[(user_id, BRANCH, branch_of.get(office_id))]
            )
        elif get(item, "branch_id") is not None:
            roles = held[(user_id, BRANCH, get(item, "branch_id"))]
        else:
            roles = set()  # nothing to check the recipient against: it reaches nobody
        entry = NOTICES.get(get(item, "kind"))
        answers.append(entry is not None and bool(roles & entry.roles))
    return answers


def done_condition(kind: Kind) -> tuple:
    """The catalogue's (reason, condition) pairs for `kind`; () for one that only informs."""
    return notice(kind).done


def resolve_done(
    *, complaint: Complaint | None = None, kinds=None, now: datetime | None = None
) -> int:
    """Mark done every unresolved notice (of `complaint`, or of `kinds`) whose matter the
    catalogue says is done, with the first reason that holds. Called inside the transaction
    of the step that finished the matter; one query to find the kinds at stake, one update per
    (kind, reason) that could apply. Returns how many notices were marked done."""
    now = now or timezone.now()
    pending = Notification.objects.filter(resolved_at__isnull=True)
    if complaint is not None:
        pending = pending.filter(complaint=complaint)
    if kinds is not None:
        pending = pending.filter(kind__in=list(kinds))
    at_stake = set(pending.order_by().values_list("kind", flat=True).distinct())
    marked = 0
    for kind in sorted(at_stake):
        entry = NOTICES.get(kind)
        for reason, condition in entry.done if entry else ():
            marked += pending.filter(condition, kind=kind, resolved_at__isnull=True).update(
                resolved_at=now, resolved_reason=reason
            )
    return marked
