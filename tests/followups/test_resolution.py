"""Notices resolve themselves: a notice whose matter is done leaves the unread list in the
transaction of the step that finished it, and stays in the history with why.

The walk below fails when a catalogue kind has no resolution rule (`done`) or no scenario here:
a kind added without saying when its matter is done cannot slip in. Rules: R-URG-1, R-REPLY-3,
R-URG-2, R-REV-1, R-FUP-1..4, R-CLO-3, R-SEV-1, R-QD-1, R-RPT-1, R-RPT-2."""

from datetime import datetime, time, timedelta

import pytest

from followups.clocks import escalation_scan, flag_late_reviews, open_shift_reviews
from followups.models import Escalation, Notification
from followups.notices import NOTICES, STAYS, resolve_done
from followups.notify import notify
from followups.workflow import (
    approve_closure,
    dispatch,
    record_contact,
    reject_closure,
    report_major,
    report_to_branch_gm,
    resolve,
    tick_review_item,
)
from reports.workflow import alert_missing_reports, generate_report
from tests.factories import ComplaintFactory, ShiftFactory

from .conftest import SHANGHAI, T0
from .states import handled, revisited
from .test_notices import PARAMS

pytestmark = pytest.mark.django_db
Kind = Notification.Kind
Resolved = Notification.Resolved


def _write(kind, recipient, complaint, at=T0):
    return notify(recipient, kind, key=f"{kind}:test", complaint=complaint, now=at, **PARAMS)


def _closed(world):
    complaint = revisited(world["complaint"], world["assistant"], T0 + timedelta(hours=1))
    approve_closure(complaint, by=world["manager"], now=T0 + timedelta(hours=4))


def _complaint_notice(kind, recipient_name, finish, reason, at=T0):
    def scenario(world):
        notice = _write(kind, world[recipient_name], world["complaint"], at=at)
        return notice, lambda: finish(world), reason

    return scenario


def _office_notice(kind, recipient_name):
    def scenario(world):
        notice = notify(
            world[recipient_name], kind, key=f"{kind}:test", place=world["office"], now=T0, **PARAMS
        )
        return notice, lambda: resolve_done(now=T0 + timedelta(days=1)), None

    return scenario


def _dispatched(world):
    dispatch(
        world["complaint"],
        by=world["assistant"],
        department="engineering",
        instructions="电梯困人，立即处理",
        due_at=T0 + timedelta(hours=5),
        now=T0 + timedelta(hours=3),
    )


def _contacted(kind):
    def finish(world):
        record_contact(
            world["complaint"],
            by=world["assistant"],
            kind=kind,
            method="phone",
            summary="已告知进展",
            now=T0 + timedelta(days=4, hours=1),
        )

    return finish


def _escalation_15(world):
    escalation_scan(now=T0 + timedelta(days=15))
    notice = Notification.objects.get(kind=Kind.ESCALATION_15, recipient=world["manager"])
    escalation = Escalation.objects.get(complaint=world["complaint"], level=15)

    def finish():
        report_to_branch_gm(
            escalation, by=world["manager"], report="已协调", now=T0 + timedelta(days=15, hours=1)
        )

    return notice, finish, Resolved.REPORTED


def _closure(world):
    revisited(world["complaint"], world["assistant"], T0 + timedelta(hours=1))
    notice = Notification.objects.get(kind=Kind.CLOSURE)
    return (
        notice,
        lambda: approve_closure(
            world["complaint"], by=world["manager"], now=T0 + timedelta(hours=4)
        ),
        Resolved.CLOSED,
    )


def _rejected(world):
    complaint = revisited(world["complaint"], world["assistant"], T0 + timedelta(hours=1))
    reject_closure(
        complaint, by=world["manager"], reason="回访记录不全", now=T0 + timedelta(hours=4)
    )
    notice = Notification.objects.get(kind=Kind.REJECTED, recipient=world["assistant"])
    return (
        notice,
        lambda: resolve(complaint, by=world["assistant"], now=T0 + timedelta(hours=5)),
        Resolved.HANDLED_AGAIN,
    )


def _review_late(world):
    ShiftFactory(office=world["office"], starts_at=time(8, 0))
    ComplaintFactory(
        office=world["office"],
        received_at=T0 - timedelta(days=4),
        entered_at=T0 - timedelta(days=4),
    )
    start = datetime.combine((T0 + timedelta(days=1)).date(), time(8, 0), tzinfo=SHANGHAI)
    open_shift_reviews(now=start + timedelta(minutes=1))
    flag_late_reviews(now=start + timedelta(minutes=31))
    notice = Notification.objects.get(kind=Kind.REVIEW_LATE)
    from followups.models import ShiftReviewItem

    def finish():
        for item in ShiftReviewItem.objects.all():
            tick_review_item(
                item, by=world["assistant"], note="已回电", now=start + timedelta(hours=1)
            )

    return notice, finish, Resolved.REVIEWED


def _report_missing(world):
    first = datetime(2026, 12, 1, 9, 30, tzinfo=SHANGHAI)
    alert_missing_reports(now=first)
    notice = Notification.objects.get(kind=Kind.REPORT_MISSING, branch=world["branch"],
                                      key__contains=f"office{world['office'].pk}:")  # fmt: skip

    def finish():
        generate_report(month=datetime(2026, 11, 1).date(), office=world["office"], now=first)

    return notice, finish, Resolved.REPORT_MADE


SCENARIOS = {
    Kind.MAJOR: _complaint_notice(Kind.MAJOR, "manager", _closed, Resolved.CLOSED),
    Kind.ASSIGNED: _complaint_notice(Kind.ASSIGNED, "manager", _closed, Resolved.CLOSED),
    Kind.DISPATCH_OVERDUE: _complaint_notice(
        Kind.DISPATCH_OVERDUE, "supervisor", _dispatched, Resolved.DISPATCHED
    ),
    Kind.REPLY_OVERDUE: _complaint_notice(
        Kind.REPLY_OVERDUE, "supervisor", _contacted("reply"), Resolved.REPLIED
    ),
    Kind.CONTACT_OVERDUE: _complaint_notice(
        Kind.CONTACT_OVERDUE,
        "supervisor",
        _contacted("progress"),
        Resolved.CONTACTED,
        at=T0 + timedelta(days=4),
    ),
    Kind.REVISIT_OVERDUE: _complaint_notice(
        Kind.REVISIT_OVERDUE,
        "supervisor",
        lambda w: revisited(w["complaint"], w["assistant"], T0 + timedelta(hours=1)),
        Resolved.REVISITED,
    ),
    Kind.ESCALATION_10: _complaint_notice(
        Kind.ESCALATION_10,
        "manager",
        lambda w: handled(w["complaint"], w["assistant"], T0 + timedelta(days=10)),
        Resolved.RESOLVED,
    ),
    Kind.ESCALATION_15: _escalation_15,
    Kind.GM_REPORT: _complaint_notice(Kind.GM_REPORT, "branch_gm", _closed, Resolved.CLOSED),
    Kind.REVIEW_LATE: _review_late,
    Kind.CLOSURE: _closure,
    Kind.REJECTED: _rejected,
    Kind.DIGEST: _office_notice(Kind.DIGEST, "supervisor"),
    Kind.WEEKLY: _office_notice(Kind.WEEKLY, "manager"),
    Kind.REPORT: None,  # filled below: a branch notice
    Kind.REPORT_MISSING: _report_missing,
}


def _report(world):
    notice = notify(
        world["quality"], Kind.REPORT, key="report:test", place=world["branch"], now=T0, **PARAMS
    )
    return notice, lambda: resolve_done(now=T0 + timedelta(days=1)), None


SCENARIOS[Kind.REPORT] = _report


def _major_reported(world):
    # R-SEV-1: the manager reports the major complaint to the branch leadership
    from complaints.models import Complaint

    Complaint.objects.filter(pk=world["complaint"].pk).update(is_major=True, major_since=T0)
    world["complaint"].refresh_from_db()
    report_major(
        world["complaint"],
        by=world["manager"],
        report="已向分公司报告",
        answer_expected_at=T0 + timedelta(days=2),
        now=T0 + timedelta(hours=1),
    )


def _closure_waiting(world):
    # R-CLO-3: the reminder of a closure waiting over a working day ends with the decision
    complaint = revisited(world["complaint"], world["assistant"], T0 + timedelta(hours=1))
    notice = _write(Kind.CLOSURE_WAITING, world["manager"], complaint, at=T0 + timedelta(days=2))
    finish = lambda: approve_closure(  # noqa: E731
        complaint, by=world["manager"], now=T0 + timedelta(days=2, hours=1)
    )
    return notice, finish, Resolved.CLOSED


def _calendar_due(world):
    notice = notify(
        world["quality"], Kind.CALENDAR_DUE, key="calendar:test", place=world["branch"], now=T0,
        **PARAMS,
    )  # fmt: skip
    return notice, lambda: resolve_done(now=T0 + timedelta(days=1)), None


# The kinds of the working month (clocks paused, loose rules, major reports, the calendar).
SCENARIOS.update(
    {
        Kind.CLOSURE_WAITING: _closure_waiting,
        Kind.ESCALATED_LATE: _complaint_notice(
            Kind.ESCALATED_LATE,
            "manager",
            lambda w: handled(w["complaint"], w["assistant"], T0 + timedelta(days=10)),
            Resolved.RESOLVED,
        ),
        Kind.SCANS_MISSED: _office_notice(Kind.SCANS_MISSED, "supervisor"),
        Kind.HANDOVER_MISSING: _office_notice(Kind.HANDOVER_MISSING, "supervisor"),
        Kind.MAJOR_TO_LEADERSHIP: _complaint_notice(
            Kind.MAJOR_TO_LEADERSHIP, "branch_gm", _closed, Resolved.CLOSED
        ),
        Kind.MAJOR_UNREPORTED: _complaint_notice(
            Kind.MAJOR_UNREPORTED, "manager", _major_reported, Resolved.REPORTED
        ),
        Kind.REPLY_LIMIT_MOVED: _complaint_notice(
            Kind.REPLY_LIMIT_MOVED,
            "supervisor",
            _contacted("progress"),
            Resolved.CONTACTED,
            at=T0 + timedelta(days=4),
        ),
        Kind.CALENDAR_DUE: _calendar_due,
    }
)


def test_every_kind_says_when_its_matter_is_done_and_has_a_scenario():
    missing_rule = [kind for kind, entry in NOTICES.items() if entry.done is None]
    assert not missing_rule
    assert set(SCENARIOS) == set(NOTICES), "a kind without a resolution scenario"


@pytest.fixture
def world(office, branch, assistant, supervisor, manager, branch_gm, quality, complaint):
    return locals()


@pytest.mark.parametrize("kind", list(NOTICES))
def test_the_notice_is_done_when_its_matter_is(kind, world):
    notice, finish, reason = SCENARIOS[kind](world)
    assert notice is not None and notice.kind == kind
    resolve_done(now=notice.created_at)  # nothing done yet: the notice stays unread
    notice.refresh_from_db()
    assert notice.resolved_at is None
    finish()
    notice.refresh_from_db()
    if NOTICES[kind].done == STAYS:
        assert notice.resolved_at is None and reason is None  # it informs: read, it goes
    else:
        assert (notice.resolved_reason, notice.resolved_at is not None) == (reason, True)
        assert not Notification.objects.filter(pk=notice.pk).unread().exists()


def test_a_rejected_closure_ends_the_waiting_for_approval_notice(world):
    # R-CLO-3: the manager decided; the approval is no longer waiting
    complaint = revisited(world["complaint"], world["assistant"], T0 + timedelta(hours=1))
    reject_closure(
        complaint, by=world["manager"], reason="回访记录不全", now=T0 + timedelta(hours=4)
    )
    notice = Notification.objects.get(kind=Kind.CLOSURE)
    assert notice.resolved_reason == Resolved.REJECTED


def test_the_one_off_command_resolves_notices_written_before(world):
    from django.core.management import call_command

    complaint = revisited(world["complaint"], world["assistant"], T0 + timedelta(hours=1))
    approve_closure(complaint, by=world["manager"], now=T0 + timedelta(hours=4))
    Notification.objects.update(resolved_at=None, resolved_reason="")  # as before the change
    call_command("resolve_done_notices")
    assert Notification.objects.get(kind=Kind.CLOSURE).resolved_reason == Resolved.CLOSED
