"""The procedure's clocks, run by Celery beat and by `manage.py run_clocks`.

Each function takes the instant `now`, looks at the database (not at what it missed), and
returns how many items it created; running it twice, or on two workers at once, creates
nothing the second time (unique constraints: one review per shift start, one escalation per
level, one notification per cause)."""

from __future__ import annotations

import operator
from collections import defaultdict
from datetime import datetime, timedelta
from functools import reduce

from django.db import transaction
from django.db.models import Count, Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop, override

from accounts.models import Membership, Office, Shift
from accounts.roles import Role
from complaints.models import CHASED_DEADLINES, Complaint, ComplaintQuerySet

from .models import Escalation, ShiftReview, ShiftReviewItem
from .notify import notify_many

REVIEW_WINDOW = timedelta(minutes=30)  # R-FUP-1
OLD_AFTER = timedelta(days=3)  # R-FUP-1


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
    ago plus every overdue item; returns the number of items created."""
    created = 0
    for office_id, (shift, start) in current_shift_starts(now).items():
        with transaction.atomic():
            review, is_new = ShiftReview.objects.get_or_create(
                office_id=office_id,
                starts_at=start,
                defaults={"shift": shift, "due_at": start + REVIEW_WINDOW},
            )
            if not is_new:
                continue
            candidates = Complaint.objects.open().filter(office_id=office_id)
            old = set(
                candidates.filter(received_at__lt=start - OLD_AFTER).values_list("pk", flat=True)
            )
            overdue = set(candidates.filter(_overdue_q(start)).values_list("pk", flat=True))
            items = [
                ShiftReviewItem(
                    review=review,
                    complaint_id=pk,
                    reason=ShiftReviewItem.Reason.OLD_OPEN
                    if pk in old
                    else ShiftReviewItem.Reason.OVERDUE,
                )
                for pk in sorted(old | overdue)
            ]
            ShiftReviewItem.objects.bulk_create(items, ignore_conflicts=True)
            created += len(items)
    return created


def _office_staff(office_ids, *roles) -> dict[int, list[int]]:
    staff = defaultdict(list)
    for office_id, user_id in Membership.objects.filter(
        office_id__in=office_ids, role__in=roles, user__is_active=True
    ).values_list("office_id", "user_id"):
        staff[office_id].append(user_id)
    return staff


def _branch_staff(branch_ids, *roles) -> dict[int, list[int]]:
    staff = defaultdict(list)
    for branch_id, user_id in Membership.objects.filter(
        branch_id__in=branch_ids, role__in=roles, user__is_active=True
    ).values_list("branch_id", "user_id"):
        staff[branch_id].append(user_id)
    return staff


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
    supervisors = _office_staff({r.office_id for r in late}, Role.CUSTOMER_SUPERVISOR)
    with override("zh-hans"):
        rows = [
            {
                "recipient_id": user_id,
                "kind": "review_late",
                "key": f"review_late:{review.pk}",
                "title": _(
                    "%(office)s: the shift review of %(start)s was not finished in 30 minutes"
                )
                % {
                    "office": review.office.name,
                    "start": review.starts_at.astimezone(review.office.zone).strftime(
                        "%m-%d %H:%M"
                    ),
                },
            }
            for review in late
            for user_id in supervisors[review.office_id]
        ]
    notify_many(rows, now=now)
    return len(late)


def deadline_scan(*, now: datetime) -> int:
    """Tell the receiver and the supervisor of every deadline that passed (once per deadline)."""
    rows = []
    with override("zh-hans"):
        titles = {
            "dispatch": _("%(number)s: urgent matter not dispatched"),
            "reply": _("%(number)s: the agreed reply is overdue"),
            "contact": _("%(number)s: contact the customer (every 3 days)"),
            "revisit": _("%(number)s: the revisit is overdue (24 hours)"),
        }
        for kind, field in CHASED_DEADLINES.items():
            overdue = list(
                Complaint.objects.overdue(kind, now).values(
                    "pk", "number", "office_id", "received_by_id", field
                )
            )
            supervisors = _office_staff({c["office_id"] for c in overdue}, Role.CUSTOMER_SUPERVISOR)
            for complaint in overdue:
                for user_id in {complaint["received_by_id"], *supervisors[complaint["office_id"]]}:
                    rows.append(
                        {
                            "recipient_id": user_id,
                            "kind": "deadline",
                            "complaint_id": complaint["pk"],
                            "key": f"{kind}:{complaint['pk']}:{complaint[field]:%Y%m%d%H%M}",
                            "title": titles[kind] % {"number": complaint["number"]},
                        }
                    )
    return notify_many(rows, now=now)


def escalation_scan(*, now: datetime) -> int:
    """R-FUP-2/3: day 10 alerts the manager and supervisor; day 15 goes to the branch GM and the
    manager owes a report. Returns the number of escalations created."""
    created = 0
    for level, due_field, title in (
        (
            Escalation.Level.DAY_10,
            "alert_due",
            gettext_noop("%(number)s has been open for 10 days"),
        ),
        (
            Escalation.Level.DAY_15,
            "report_due",
            gettext_noop("%(number)s has been open for 15 days: report to the branch GM"),
        ),
    ):
        due = list(
            Complaint.objects.open()
            .filter(**{f"{due_field}__lte": now})
            .exclude(escalations__level=level)
            .values("pk", "number", "office_id", "office__branch_id")
        )
        if not due:
            continue
        with transaction.atomic():
            Escalation.objects.bulk_create(
                [Escalation(complaint_id=c["pk"], level=level, at=now) for c in due],
                ignore_conflicts=True,
            )
            office_roles = (
                (Role.OFFICE_MANAGER, Role.CUSTOMER_SUPERVISOR)
                if level == 10
                else (Role.OFFICE_MANAGER,)
            )
            office_staff = _office_staff({c["office_id"] for c in due}, *office_roles)
            branch_staff = (
                _branch_staff({c["office__branch_id"] for c in due}, Role.BRANCH_GM)
                if level == 15
                else {}
            )
            with override("zh-hans"):
                rows = [
                    {
                        "recipient_id": user_id,
                        "kind": f"escalation_{int(level)}",
                        "complaint_id": c["pk"],
                        "key": f"escalation:{int(level)}:{c['pk']}",
                        "title": _(title) % {"number": c["number"]},
                    }
                    for c in due
                    for user_id in {
                        *office_staff[c["office_id"]],
                        *branch_staff.get(c["office__branch_id"], []),
                    }
                ]
            notify_many(rows, now=now)
        created += len(due)
    return created


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
    supervisors = _office_staff(offices.keys(), Role.CUSTOMER_SUPERVISOR)
    rows = []
    nothing = {"total": 0, "urgent": 0, "major": 0, "late": 0}
    with override("zh-hans"):
        for pk, office in offices.items():
            if not supervisors[pk]:
                continue
            figures = counts.get(pk, nothing)
            title = _(
                "%(office)s, %(day)s: %(total)d complaints received, %(open)d open in all"
            ) % {
                "office": office.name,
                "day": days[pk].isoformat(),
                "total": figures["total"],
                "open": open_totals.get(pk, 0),
            }
            body = _("Urgent: %(urgent)d; major: %(major)d; entered late: %(late)d.") % figures
            rows += [
                {"recipient_id": user_id, "kind": "digest", "key": f"digest:{pk}:{days[pk]}",
                 "title": title, "body": body}
                for user_id in supervisors[pk]
            ]  # fmt: skip
    return notify_many(rows, now=now)


JOBS = {
    "shift-review": open_shift_reviews,
    "review-flags": flag_late_reviews,
    "deadline-scan": deadline_scan,
    "escalation-scan": escalation_scan,
    "supervisor-digest": supervisor_digest,
}
