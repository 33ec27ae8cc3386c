"""The procedure's clocks, run by Celery beat and by `manage.py run_clocks`.

Each function takes the instant `now`, looks at the database (not at what it missed), and
returns how many items it created; running it twice, or on two workers at once, creates
nothing the second time (unique constraints: one review per shift start, one escalation per
level, one notification per cause)."""

from __future__ import annotations

import operator
from collections import defaultdict
from datetime import date, datetime, time, timedelta
from functools import reduce
from zoneinfo import ZoneInfo

from django.db import transaction
from django.db.models import Count, Q
from django.db.models.functions import TruncDate
from django.dispatch import Signal

from accounts.models import Office, Shift
from accounts.roles import Role
from accounts.staffing import staff_ids_by_branch, staff_ids_by_office
from complaints.models import (
    CHASED_DEADLINES,
    CalendarYear,
    Complaint,
    ComplaintQuerySet,
    DutyLogEntry,
    ShiftHandover,
    Status,
    WebsiteScan,
)
from complaints.workcalendar import WorkCalendar

from . import notices
from .models import Escalation, Notification, ShiftReview, ShiftReviewItem
from .notify import notify_many

Kind = Notification.Kind

REVIEW_WINDOW = timedelta(minutes=30)  # R-FUP-1
OLD_AFTER = timedelta(days=3)  # R-FUP-1
HANDLING_STATUSES = (Status.RECORDED, Status.IN_PROGRESS)
CHINA = ZoneInfo("Asia/Shanghai")  # the national calendar's year


def current_shift_starts(now: datetime, *, office_ids=None) -> dict[int, tuple[Shift, datetime]]:
    """For every office (or those of `office_ids`), its shift that started last (office time)
    and the start instant."""
    latest: dict[int, tuple[Shift, datetime]] = {}
    shifts = Shift.objects.select_related("office")
    if office_ids is not None:
        shifts = shifts.filter(office_id__in=office_ids)
    for shift in shifts:
        zone = shift.office.zone
        local = now.astimezone(zone)
        start = datetime.combine(local.date(), shift.starts_at, tzinfo=zone)
        if start > now:
            start -= timedelta(days=1)
        if shift.office_id not in latest or start > latest[shift.office_id][1]:
            latest[shift.office_id] = (shift, start)
    return latest


def _overdue_q(now: datetime) -> Q:
    conditions = [ComplaintQuerySet.overdue_condition(kind, now) for kind in CHASED_DEADLINES]
    return reduce(operator.or_, conditions)


def open_shift_reviews(*, now: datetime) -> int:
    """R-FUP-1: at each shift start, the list of open complaints received more than 3 days
    ago plus every overdue item; returns the number of items created.

    Set-based (docs/performance.md): one query finds the offices whose current shift has no
    review yet (a poll between shift starts stops there), one writes their reviews, one per
    distinct start instant reads the complaints, one writes the items. A second worker at the
    same instant writes nothing new: reviews and items are unique."""
    starts = current_shift_starts(now)
    if not starts:
        return 0
    instants = {start for _shift, start in starts.values()}
    have = set(
        ShiftReview.objects.filter(office_id__in=starts, starts_at__in=instants).values_list(
            "office_id", "starts_at"
        )
    )
    due = {pk: (shift, start) for pk, (shift, start) in starts.items() if (pk, start) not in have}
    if not due:
        return 0
    with transaction.atomic():
        ShiftReview.objects.bulk_create(
            [
                ShiftReview(
                    office_id=pk, shift=shift, starts_at=start, due_at=start + REVIEW_WINDOW
                )
                for pk, (shift, start) in due.items()
            ],
            ignore_conflicts=True,
        )
        reviews = {
            (office_id, starts_at): pk
            for office_id, starts_at, pk in ShiftReview.objects.filter(
                office_id__in=due, starts_at__in={start for _shift, start in due.values()}
            ).values_list("office_id", "starts_at", "pk")
        }
        offices_by_start = defaultdict(list)
        for pk, (_shift, start) in due.items():
            offices_by_start[start].append(pk)
        items = []
        for start, office_ids in offices_by_start.items():
            old_before = start - OLD_AFTER
            candidates = (
                Complaint.objects.open()
                .filter(office_id__in=office_ids)
                .filter(Q(received_at__lt=old_before) | _overdue_q(start))
                .values_list("pk", "office_id", "received_at")
            )
            items += [
                ShiftReviewItem(
                    review_id=reviews[(office_id, start)],
                    complaint_id=pk,
                    reason=ShiftReviewItem.Reason.OLD_OPEN
                    if received_at < old_before
                    else ShiftReviewItem.Reason.OVERDUE,
                )
                for pk, office_id, received_at in candidates
            ]
        ShiftReviewItem.objects.bulk_create(items, ignore_conflicts=True, batch_size=1000)
    return len(items)


def flag_late_reviews(*, now: datetime) -> int:
    """Reviews with items still unticked 30 minutes after the shift start are flagged, and the
    supervisor is told."""
    late = list(
        ShiftReview.objects.filter(due_at__lt=now, flagged_at__isnull=True)
        .filter(items__reviewed_at__isnull=True)
        .distinct()
        .select_related("office")
    )
    if not late:
        return 0
    ShiftReview.objects.filter(pk__in=[r.pk for r in late]).update(flagged_at=now)
    supervisors = staff_ids_by_office({r.office_id for r in late}, Role.CUSTOMER_SUPERVISOR)
    rows = [
        notices.row(
            Kind.REVIEW_LATE,
            recipient_id=user_id,
            key=f"review_late:{review.pk}",
            office_id=review.office_id,
            office=review.office.name,
            start=f"{review.starts_at.astimezone(review.office.zone):%m-%d %H:%M}",
        )
        for review in late
        for user_id in supervisors[review.office_id]
    ]
    notify_many(rows, now=now)
    return len(late)


def _rows_about(complaints: list[dict], kind: Kind, *, to, key, **figures) -> list[dict]:
    """A notice of `kind` about each complaint (its pk, number and office_id) to each user of
    `to(complaint)`, under `key(complaint)`."""
    return [
        notices.row(
            kind,
            recipient_id=user_id,
            key=key(c),
            office_id=c["office_id"],
            complaint_id=c["pk"],
            number=c["number"],
            **figures,
        )
        for c in complaints
        for user_id in to(c)
    ]


def deadline_scan(*, now: datetime) -> int:
    """Tell the receiver and the supervisor of every deadline that passed (once per deadline)."""
    rows = []
    for deadline, field in CHASED_DEADLINES.items():
        rows += _overdue_rows(deadline, field, now=now)
    return notify_many(rows, now=now)


def _overdue_rows(deadline: str, field: str, *, now: datetime) -> list[dict]:
    overdue = list(
        Complaint.objects.overdue(deadline, now).values(
            "pk", "number", "office_id", "received_by_id", field
        )
    )
    supervisors = staff_ids_by_office({c["office_id"] for c in overdue}, Role.CUSTOMER_SUPERVISOR)
    # The receiver too, while they hold a role at the office (notify_many checks).
    return _rows_about(
        overdue,
        notices.OVERDUE[deadline],
        # A complaint still to check from the community's page has no receiver yet.
        to=lambda c: {c["received_by_id"], *supervisors[c["office_id"]]} - {None},
        key=lambda c: f"{deadline}:{c['pk']}:{c[field]:%Y%m%d%H%M}",
    )


# Handling is finished once the complaint is resolved: while it waits for its revisit or for the
# manager's approval no contact, day-10 or day-15 clock runs (docs: Rules the desk adds).
LADDER = (
    (Escalation.Level.DAY_10, "alert_due", Kind.ESCALATION_10),
    (Escalation.Level.DAY_15, "report_due", Kind.ESCALATION_15),
)


def _escalation_recipients(due: list[dict], level) -> dict[int, set[int]]:
    """Complaint pk → who its escalation at `level` reaches: day 10 the manager and supervisor
    (R-FUP-2), day 15 the manager and the branch GM (R-FUP-3)."""
    office_roles = (
        (Role.OFFICE_MANAGER, Role.CUSTOMER_SUPERVISOR) if level == 10 else (Role.OFFICE_MANAGER,)
    )
    office_staff = staff_ids_by_office({c["office_id"] for c in due}, *office_roles)
    branch_staff = (
        staff_ids_by_branch({c["office__branch_id"] for c in due}, Role.BRANCH_GM)
        if level == 15
        else {}
    )
    return {
        c["pk"]: {*office_staff[c["office_id"]], *branch_staff.get(c["office__branch_id"], [])}
        for c in due
    }


# Sent inside the scan's transaction with the complaints that climbed a rung of the ladder
# (`complaint_ids`, `level`, `at`): the rows are bulk-created, so no post_save tells of them.
# The webhooks listen (integrations.receivers); followups imports none of its listeners.
escalated = Signal()


def _escalate(due: list[dict], level, kind: Kind, *, now: datetime, **figures) -> None:
    Escalation.objects.bulk_create(
        [Escalation(complaint_id=c["pk"], level=level, at=now) for c in due],
        ignore_conflicts=True,
    )
    escalated.send(Escalation, complaint_ids=[c["pk"] for c in due], level=int(level), at=now)
    recipients = _escalation_recipients(due, level)
    rows = _rows_about(
        due,
        kind,
        to=lambda c: recipients[c["pk"]],
        key=lambda c: f"escalation:{int(level)}:{c['pk']}",
        **figures,
    )
    notify_many(rows, now=now)


def escalation_scan(*, now: datetime) -> int:
    """R-FUP-2/3: day 10 alerts the manager and supervisor; day 15 goes to the branch GM and the
    manager owes a report. Only complaints still being handled climb the ladder. Returns the
    number of escalations created."""
    created = 0
    for level, due_field, kind in LADDER:
        due = list(
            Complaint.objects.filter(status__in=HANDLING_STATUSES)
            .filter(**{f"{due_field}__lte": now})
            .exclude(escalations__level=level)
            .values("pk", "number", "office_id", "office__branch_id")
        )
        if not due:
            continue
        with transaction.atomic():
            _escalate(due, level, kind, now=now)
        created += len(due)
    return created


def escalate_reopened(complaint: Complaint, *, now: datetime) -> int:
    """A closure rejected after day 10 (or 15) of the matter: the ladder counts from receipt, so
    the levels passed while the complaint waited are taken at once, with a notice that says why
    (`Kind.ESCALATED_LATE`). Called inside the rejection's transaction."""
    done = set(complaint.escalations.values_list("level", flat=True))
    row = {
        "pk": complaint.pk,
        "number": complaint.number,
        "office_id": complaint.office_id,
        "office__branch_id": complaint.office.branch_id,
    }
    created = 0
    for level, due_field, _kind in LADDER:
        if level in done or getattr(complaint, due_field) > now:
            continue
        _escalate([row], level, Kind.ESCALATED_LATE, now=now, limit=int(level))
        created += 1
    return created


CLOSURE_WAIT_WORKING_DAYS = 1


def closure_reminder_due(revisited_at: datetime, calendar: WorkCalendar, zone) -> datetime:
    """The approval has waited longer than one working day: the same clock time on the first
    working day after the local day of the revisit."""
    local = revisited_at.astimezone(zone)
    day = calendar.add_working_days(local.date(), CLOSURE_WAIT_WORKING_DAYS)
    return datetime.combine(day, local.timetz().replace(tzinfo=None), tzinfo=zone)


def closure_reminders(*, now: datetime) -> int:
    """R-CLO-3 as the desk keeps it: a closure waiting for the manager's approval longer than one
    working day reminds the office's managers, once per revisit."""
    waiting = list(
        Complaint.objects.filter(status=Status.REVISITED, revisited_at__lt=now - timedelta(days=1))
        .select_related("office__branch")
        .only("pk", "number", "office", "revisited_at")
    )
    calendars: dict[int, WorkCalendar] = {}
    late = []
    for complaint in waiting:
        office = complaint.office
        calendar = calendars.setdefault(office.pk, WorkCalendar.for_office(office))
        if closure_reminder_due(complaint.revisited_at, calendar, office.zone) <= now:
            late.append(complaint)
    return _tell_managers(
        late,
        Kind.CLOSURE_WAITING,
        key=lambda c: f"closure_waiting:{c.pk}:{c.revisited_at:%Y%m%d%H%M%S}",
        since=lambda c: c.revisited_at,
        now=now,
    )


def _tell_managers(late: list[Complaint], kind: Kind, *, key, since, now: datetime) -> int:
    """One notice of `kind` to each office manager of each late complaint's office, saying
    since when it waits (`since(complaint)`, in the office's time) under `key(complaint)`."""
    managers = staff_ids_by_office({c.office_id for c in late}, Role.OFFICE_MANAGER)
    rows = [
        notices.row(
            kind,
            recipient_id=user_id,
            key=key(c),
            office_id=c.office_id,
            complaint_id=c.pk,
            number=c.number,
            since=f"{since(c).astimezone(c.office.zone):%m-%d %H:%M}",
        )
        for c in late
        for user_id in managers[c.office_id]
    ]
    return notify_many(rows, now=now)


def supervisor_digest(*, now: datetime) -> int:
    """R-FUP-4: each morning the supervisor gets the office's complaints of the day before.

    One grouped query per time zone in use (usually one) and one for what is open, whatever
    the number of offices."""
    offices = {office.pk: office for office in Office.objects.all()}
    days = {pk: now.astimezone(office.zone).date() - timedelta(days=1) for pk, office in
            offices.items()}  # fmt: skip
    by_zone = defaultdict(list)
    for pk, office in offices.items():
        by_zone[(office.time_zone, days[pk])].append(pk)
    counts = {}
    for (_zone, day), office_ids in by_zone.items():
        start = datetime.combine(day, datetime.min.time(), tzinfo=offices[office_ids[0]].zone)
        rows = (
            Complaint.objects.filter(
                office_id__in=office_ids,
                received_at__gte=start,
                received_at__lt=start + timedelta(days=1),
            )
            .order_by()
            .values("office_id")
            .annotate(
                total=Count("pk"),
                urgent=Count("pk", filter=~Q(urgent_kind="")),
                major=Count("pk", filter=Q(is_major=True)),
                late=Count("pk", filter=Q(entered_late=True)),
            )
        )
        counts.update({row["office_id"]: row for row in rows})
    open_totals = dict(
        Complaint.objects.open().order_by().values_list("office_id").annotate(n=Count("pk"))
    )
    supervisors = staff_ids_by_office(offices.keys(), Role.CUSTOMER_SUPERVISOR)
    nothing = {"total": 0, "urgent": 0, "major": 0, "late": 0}
    rows = [
        notices.row(
            Kind.DIGEST,
            recipient_id=user_id,
            key=f"digest:{pk}:{days[pk]}",
            office_id=pk,
            office=office.name,
            day=days[pk].isoformat(),
            open=open_totals.get(pk, 0),
            **{name: counts.get(pk, nothing)[name] for name in nothing},
        )
        for pk, office in offices.items()
        for user_id in supervisors[pk]
    ]
    return notify_many(rows, now=now)


SCANS_A_DAY = 2  # R-CHAN-2
SCAN_CHECK_AT = time(8, 0)  # the next morning, with the digest (office time)


def days_with_too_few_scans(office_ids, first: date, last: date, zone) -> dict[int, list]:
    """R-CHAN-2: for each office, the local days from `first` to `last` (inclusive) with fewer
    than two website scans, as (day, scans). One grouped query."""
    start = datetime.combine(first, time(0), tzinfo=zone)
    end = datetime.combine(last + timedelta(days=1), time(0), tzinfo=zone)
    counts = defaultdict(int)
    for office_id, day, n in (
        WebsiteScan.objects.filter(
            office_id__in=office_ids, scanned_at__gte=start, scanned_at__lt=end
        )
        .annotate(day=TruncDate("scanned_at", tzinfo=zone))
        .order_by()
        .values_list("office_id", "day")
        .annotate(n=Count("pk"))
    ):
        counts[(office_id, day)] = n
    days = [first + timedelta(days=i) for i in range((last - first).days + 1)]
    return {
        office_id: [
            (day, counts[(office_id, day)])
            for day in days
            if counts[(office_id, day)] < SCANS_A_DAY
        ]
        for office_id in office_ids
    }


def website_scan_check(*, now: datetime) -> int:
    """R-CHAN-2: from 08:00 the next morning (office time), an office day with fewer than two
    website scans tells the office's supervisors, once per office and day."""
    offices = [
        office
        for office in Office.objects.all()
        if now.astimezone(office.zone).time() >= SCAN_CHECK_AT
    ]
    supervisors = staff_ids_by_office([o.pk for o in offices], Role.CUSTOMER_SUPERVISOR)
    rows = []
    for office in offices:
        yesterday = now.astimezone(office.zone).date() - timedelta(days=1)
        for day, scans in days_with_too_few_scans([office.pk], yesterday, yesterday, office.zone)[
            office.pk
        ]:
            rows += [
                notices.row(
                    Kind.SCANS_MISSED,
                    recipient_id=user_id,
                    key=f"scans_missed:{office.pk}:{day}",
                    office_id=office.pk,
                    office=office.name,
                    day=day.isoformat(),
                    scans=scans,
                )
                for user_id in supervisors[office.pk]
            ]
    return notify_many(rows, now=now)


HANDOVER_WINDOW = timedelta(minutes=30)  # R-LOG-2


def handover_check(*, now: datetime) -> int:
    """R-LOG-2: 30 minutes after a shift change, a change without a handover written and
    countersigned (between 30 minutes before and 30 minutes after it) tells the outgoing
    assistant and the supervisors, once per shift change. The outgoing assistant is the
    handover's writer; without a handover, whoever kept the duty log in the shift that ended."""
    starts = current_shift_starts(now)
    checked = {
        pk: start for pk, (_shift, start) in starts.items() if start + HANDOVER_WINDOW <= now
    }
    if not checked:
        return 0
    offices = {o.pk: o for o in Office.objects.filter(pk__in=checked)}
    supervisors = staff_ids_by_office(checked, Role.CUSTOMER_SUPERVISOR)
    assistants = staff_ids_by_office(checked, Role.CLIENT_ASSISTANT)
    rows = []
    for office_id, start in checked.items():
        window = (start - HANDOVER_WINDOW, start + HANDOVER_WINDOW)
        handovers = list(
            ShiftHandover.objects.filter(office_id=office_id, handed_over_at__range=window)
        )
        if any(h.incoming_signed_at and h.incoming_signed_at <= window[1] for h in handovers):
            continue
        outgoing = {h.outgoing_id for h in handovers}
        if not outgoing:
            previous = _previous_shift_start(office_id, start)
            outgoing = set(
                DutyLogEntry.objects.filter(
                    office_id=office_id, occurred_at__gte=previous, occurred_at__lt=start
                ).values_list("recorder_id", flat=True)
            )
        office = offices[office_id]
        local = f"{start.astimezone(office.zone):%m-%d %H:%M}"
        recipients = (outgoing & set(assistants[office_id])) | set(supervisors[office_id])
        rows += [
            notices.row(
                Kind.HANDOVER_MISSING,
                recipient_id=user_id,
                key=f"handover_missing:{office_id}:{start:%Y%m%d%H%M}",
                office_id=office_id,
                office=office.name,
                start=local,
            )
            for user_id in recipients
        ]
    return notify_many(rows, now=now)


def _previous_shift_start(office_id: int, start: datetime) -> datetime:
    previous = current_shift_starts(start - timedelta(seconds=1), office_ids=[office_id])
    return previous[office_id][1] if office_id in previous else start - timedelta(days=1)


MAJOR_REPORT_WITHIN = timedelta(hours=2)  # R-SEV-1 "at once", as the desk measures it


def major_report_scan(*, now: datetime) -> int:
    """R-SEV-1: a major complaint not reported to the branch leadership within 2 hours of
    becoming major alerts the office's managers again, once."""
    late = list(
        Complaint.objects.open()
        .filter(
            is_major=True, major_since__lte=now - MAJOR_REPORT_WITHIN, major_report__isnull=True
        )
        .select_related("office")
        .only("pk", "number", "office", "major_since")
    )
    return _tell_managers(
        late,
        Kind.MAJOR_UNREPORTED,
        key=lambda c: f"major_unreported:{c.pk}",
        since=lambda c: c.major_since,
        now=now,
    )


def calendar_check(*, now: datetime) -> int:
    """From 1 December (China time) each branch's quality department is told, once a year, to
    enter and confirm next year's calendar until it is confirmed (for every branch or theirs)."""
    local = now.astimezone(CHINA)
    if local.month != 12:
        return 0
    year = local.year + 1
    confirmed = CalendarYear.objects.filter(year=year)
    if confirmed.filter(branch__isnull=True).exists():
        return 0
    done = set(confirmed.values_list("branch_id", flat=True))
    quality = staff_ids_by_branch(None, Role.QUALITY_DEPARTMENT)
    rows = [
        notices.row(
            Kind.CALENDAR_DUE,
            recipient_id=user_id,
            key=f"calendar_due:{branch_id}:{year}",
            branch_id=branch_id,
            year=year,
        )
        for branch_id, users in quality.items()
        if branch_id not in done
        for user_id in users
    ]
    return notify_many(rows, now=now)


JOBS = {
    "shift-review": open_shift_reviews,
    "review-flags": flag_late_reviews,
    "deadline-scan": deadline_scan,
    "escalation-scan": escalation_scan,
    "supervisor-digest": supervisor_digest,
    "closure-reminders": closure_reminders,
    "website-scan-check": website_scan_check,
    "handover-check": handover_check,
    "major-report-scan": major_report_scan,
    "calendar-check": calendar_check,
}
