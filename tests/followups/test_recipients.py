"""Every notice kind of the catalogue, sent to someone who has since left: nothing reaches them.

Threats covered: an assistant moved to another branch keeps receiving the old office's
complaints (number, customer, room, phone) through the deadline scan or a rejected closure; a
deactivated account's private address keeps getting the office's e-mails. Each kind is
caused the way the desk causes it; its recipient is moved to an office or branch of another
branch, or deactivated — before the notice is written (no row, no e-mail) or after it was
written and before the mail sender runs (no e-mail, and the row says why)."""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from types import SimpleNamespace

import pytest
from django.urls import reverse

from accounts.models import Membership
from accounts.roles import BRANCH_ROLES, Role
from complaints.calendar_changes import recompute_reply_limits
from complaints.models import CalendarOverride, Complaint
from complaints.signals import complaint_recorded
from complaints.workflow import correct_record
from followups.clocks import (
    calendar_check,
    closure_reminders,
    deadline_scan,
    escalation_scan,
    flag_late_reviews,
    handover_check,
    major_report_scan,
    open_shift_reviews,
    supervisor_digest,
    website_scan_check,
)
from followups.models import Escalation, Notification
from followups.notices import NOTICES
from followups.notify import send_pending
from followups.workflow import record_revisit, reject_closure, report_major, report_to_branch_gm
from reports.weekly import send_weekly_summaries
from reports.workflow import alert_missing_reports, generate_report, mark_sent
from tests.factories import (
    BranchFactory,
    ComplaintFactory,
    DutyLogEntryFactory,
    OfficeFactory,
    ShiftFactory,
    WebsiteScanFactory,
    staff,
)

from .conftest import SHANGHAI, T0
from .states import handled, revisited

pytestmark = pytest.mark.django_db
Kind = Notification.Kind


@pytest.fixture
def world():
    north, south = BranchFactory(code="RN"), BranchFactory(code="RS")
    office = OfficeFactory(code="HY", branch=north)
    elsewhere = OfficeFactory(code="ZZ", branch=south)
    people = {
        role: staff(role, branch=north, email=f"{role}@example.com")
        if role in BRANCH_ROLES
        else staff(role, office=office, email=f"{role}@example.com")
        for role in Role
    }
    return SimpleNamespace(office=office, elsewhere=elsewhere, south=south, people=people)


def moved(user, world):
    """A transfer to another branch, as the admin records it: the old membership goes."""
    role = user.memberships.get().role
    user.memberships.all().delete()
    if role in BRANCH_ROLES:
        Membership.objects.create(user=user, role=role, branch=world.south)
    else:
        Membership.objects.create(user=user, role=role, office=world.elsewhere)


def deactivated(user, world):
    user.is_active = False
    user.save()


MUTATIONS = {"moved": moved, "deactivated": deactivated}
WHY = {"moved": Notification.NotSent.NOT_ADDRESSEE, "deactivated": Notification.NotSent.DEACTIVATED}


@dataclass(frozen=True)
class Scenario:
    recipient: str  # the role of the person the notice is for
    prepare: Callable  # (world) -> context, before the recipient leaves
    cause: Callable  # (world, context) -> None: what writes the notice


def _complaint(world, **fields):
    fields = {"received_at": T0, "received_by": world.people[Role.CLIENT_ASSISTANT], **fields}
    return ComplaintFactory(office=world.office, **fields)


def _recorded(world, complaint):
    by = world.people[Role.CLIENT_ASSISTANT]
    complaint_recorded.send(sender=Complaint, complaint=complaint, by=by, now=T0)


def _day_15(world):
    complaint = _complaint(world)
    escalation_scan(now=T0 + timedelta(days=15, minutes=1))
    return Escalation.objects.get(complaint=complaint, level=15)


def _late_review(world):
    ShiftFactory(office=world.office, starts_at=time(8, 0))
    _complaint(world, received_at=T0 - timedelta(days=4))
    start = datetime(2026, 11, 17, 8, 0, tzinfo=SHANGHAI)
    open_shift_reviews(now=start)
    return start


def _october_report(world):
    return generate_report(month=date(2026, 10, 1), now=T0, office=world.office)[0]


SUPERVISOR, MANAGER = Role.CUSTOMER_SUPERVISOR, Role.OFFICE_MANAGER
SCENARIOS = {
    Kind.MAJOR: Scenario(
        MANAGER, lambda w: _complaint(w, is_major=True, severity="serious"), _recorded
    ),
    Kind.ASSIGNED: Scenario(
        MANAGER,
        lambda w: _complaint(w, channel="branch", handler=w.people[MANAGER]),
        _recorded,
    ),
    # The receiver is the assistant of the issue: moved, they must stop getting these.
    Kind.DISPATCH_OVERDUE: Scenario(
        Role.CLIENT_ASSISTANT,
        lambda w: _complaint(w, urgent_kind="safety"),
        lambda w, c: deadline_scan(now=T0 + timedelta(hours=1)),
    ),
    Kind.REPLY_OVERDUE: Scenario(
        Role.CLIENT_ASSISTANT, _complaint, lambda w, c: deadline_scan(now=T0 + timedelta(days=7))
    ),
    Kind.CONTACT_OVERDUE: Scenario(
        Role.CLIENT_ASSISTANT, _complaint, lambda w, c: deadline_scan(now=T0 + timedelta(days=4))
    ),
    Kind.REVISIT_OVERDUE: Scenario(
        Role.CLIENT_ASSISTANT,
        lambda w: handled(_complaint(w), w.people[SUPERVISOR], T0 + timedelta(hours=1)),
        lambda w, c: deadline_scan(now=T0 + timedelta(days=2)),
    ),
    Kind.ESCALATION_10: Scenario(
        SUPERVISOR, _complaint, lambda w, c: escalation_scan(now=T0 + timedelta(days=10))
    ),
    Kind.ESCALATION_15: Scenario(
        Role.BRANCH_GM,
        _complaint,
        lambda w, c: escalation_scan(now=T0 + timedelta(days=15, minutes=1)),
    ),
    Kind.GM_REPORT: Scenario(
        Role.BRANCH_GM,
        _day_15,
        lambda w, escalation: report_to_branch_gm(
            escalation, by=w.people[MANAGER], report="已协调", now=T0 + timedelta(days=15, hours=2)
        ),
    ),
    Kind.REVIEW_LATE: Scenario(
        SUPERVISOR,
        _late_review,
        lambda w, start: flag_late_reviews(now=start + timedelta(minutes=31)),
    ),
    Kind.CLOSURE: Scenario(
        MANAGER,
        lambda w: handled(_complaint(w), w.people[SUPERVISOR], T0 + timedelta(days=1)),
        lambda w, c: record_revisit(
            c,
            by=w.people[SUPERVISOR],
            method="phone",
            outcome="satisfied",
            now=T0 + timedelta(days=1, hours=2),
        ),  # fmt: skip
    ),
    # Who received and entered it (the assistant) is told of a rejected closure.
    Kind.REJECTED: Scenario(
        Role.CLIENT_ASSISTANT,
        lambda w: revisited(_complaint(w), w.people[SUPERVISOR], T0 + timedelta(days=1)),
        lambda w, c: reject_closure(
            c, by=w.people[MANAGER], reason="措施不具体", now=T0 + timedelta(days=2)
        ),
    ),
    Kind.DIGEST: Scenario(
        SUPERVISOR, _complaint, lambda w, c: supervisor_digest(now=T0 + timedelta(days=1))
    ),
    Kind.WEEKLY: Scenario(
        MANAGER,
        _complaint,
        lambda w, c: send_weekly_summaries(now=datetime(2026, 11, 23, 9, 0, tzinfo=SHANGHAI)),
    ),
    Kind.REPORT: Scenario(
        Role.QUALITY_DEPARTMENT,
        _october_report,
        lambda w, report: mark_sent(report, by=w.people[SUPERVISOR], now=T0),
    ),
    Kind.REPORT_MISSING: Scenario(
        Role.QUALITY_DEPARTMENT,
        lambda w: None,
        lambda w, c: alert_missing_reports(now=datetime(2026, 12, 1, 9, 30, tzinfo=SHANGHAI)),
    ),
}


def _waiting_over_a_day(world):
    return revisited(_complaint(world), world.people[SUPERVISOR], T0 + timedelta(hours=1))


def _revisited_after_day_10(world):
    return revisited(_complaint(world), world.people[SUPERVISOR], T0 + timedelta(days=9))


def _major(world):
    complaint = _complaint(world)
    complaint.is_major = True
    return correct_record(
        complaint, by=world.people[Role.CLIENT_ASSISTANT], changed={"is_major": "major"}, now=T0
    )


def _one_scan_day(world):
    WebsiteScanFactory(office=world.office, scanned_at=datetime(2026, 11, 18, 9, tzinfo=SHANGHAI))


def _shift_change(world):
    ShiftFactory(office=world.office, starts_at=time(8, 0))
    ShiftFactory(office=world.office, starts_at=time(20, 0), name="晚班")
    DutyLogEntryFactory(
        office=world.office,
        recorder=world.people[Role.CLIENT_ASSISTANT],
        occurred_at=datetime(2026, 11, 18, 17, tzinfo=SHANGHAI),
    )


def _agreed_reply_in_2027(world):
    # An agreed reply inside the old limit; a make-up Saturday moves the limit before it.
    friday = datetime(2027, 3, 5, 10, tzinfo=SHANGHAI)
    complaint = _complaint(world, received_at=friday, entered_at=friday)
    complaint.reply_due = datetime(2027, 3, 10, 12, tzinfo=SHANGHAI)
    complaint.save()
    return friday


def _make_up_saturday(world, friday):
    CalendarOverride.objects.bulk_create(
        [CalendarOverride(day=date(2027, 3, 6), kind="working_day", branch=world.office.branch)]
    )
    recompute_reply_limits(branch_id=world.office.branch_id, now=friday)


SCENARIOS.update(
    {
        Kind.CLOSURE_WAITING: Scenario(
            MANAGER,
            _waiting_over_a_day,
            lambda w, c: closure_reminders(now=T0 + timedelta(days=3)),
        ),
        Kind.ESCALATED_LATE: Scenario(
            SUPERVISOR,
            _revisited_after_day_10,
            lambda w, c: reject_closure(
                c, by=w.people[MANAGER], reason="措施不具体", now=T0 + timedelta(days=11)
            ),
        ),
        Kind.SCANS_MISSED: Scenario(
            SUPERVISOR,
            _one_scan_day,
            lambda w, c: website_scan_check(now=datetime(2026, 11, 19, 8, tzinfo=SHANGHAI)),
        ),
        Kind.HANDOVER_MISSING: Scenario(
            SUPERVISOR,
            _shift_change,
            lambda w, c: handover_check(now=datetime(2026, 11, 18, 20, 30, tzinfo=SHANGHAI)),
        ),
        Kind.MAJOR_TO_LEADERSHIP: Scenario(
            Role.BRANCH_GM,
            _major,
            lambda w, c: report_major(
                c,
                by=w.people[MANAGER],
                report="已报告",
                answer_expected_at=T0 + timedelta(days=1),
                now=T0,
            ),
        ),
        Kind.MAJOR_UNREPORTED: Scenario(
            MANAGER, _major, lambda w, c: major_report_scan(now=T0 + timedelta(hours=2))
        ),
        Kind.REPLY_LIMIT_MOVED: Scenario(SUPERVISOR, _agreed_reply_in_2027, _make_up_saturday),
        Kind.CALENDAR_DUE: Scenario(
            Role.QUALITY_DEPARTMENT,
            lambda w: None,
            lambda w, c: calendar_check(now=datetime(2026, 12, 1, 9, tzinfo=SHANGHAI)),
        ),
    }
)


def test_every_kind_of_the_catalogue_has_its_scenario():
    assert set(SCENARIOS) == set(NOTICES)


def mails_to(outbox, user) -> list:
    return [message for message in outbox if user.email in message.to]


def about_the_old_place(user, world):
    """The user's notices except those of where they were moved to (their new office's own
    digest is theirs)."""
    return (
        Notification.objects.filter(recipient=user)
        .exclude(office=world.elsewhere)
        .exclude(branch=world.south)
    )


@pytest.mark.parametrize("mutation", MUTATIONS)
@pytest.mark.parametrize("kind", list(Kind))
def test_someone_who_left_before_the_notice_is_written_gets_nothing(
    world, kind, mutation, mailoutbox
):
    """Threat: the recipient rule reads who received the complaint, or who held the role
    once, instead of who holds it at the office now."""
    scenario = SCENARIOS[kind]
    recipient = world.people[scenario.recipient]
    context = scenario.prepare(world)
    MUTATIONS[mutation](recipient, world)
    scenario.cause(world, context)
    assert not about_the_old_place(recipient, world).filter(kind=kind).exists()
    send_pending()
    assert not about_the_old_place(recipient, world).filter(emailed_at__isnull=False).exists()
    new_place = Notification.objects.filter(recipient=recipient, emailed_at__isnull=False)
    assert len(mails_to(mailoutbox, recipient)) == new_place.count()


@pytest.mark.parametrize("mutation", MUTATIONS)
@pytest.mark.parametrize("kind", list(Kind))
def test_someone_who_left_after_the_notice_was_written_gets_no_e_mail(
    world, kind, mutation, mailoutbox
):
    """Threat: the mail sender e-mails whatever row is waiting, to a private address of a
    deactivated account or of someone now working for another branch."""
    scenario = SCENARIOS[kind]
    recipient = world.people[scenario.recipient]
    scenario.cause(world, scenario.prepare(world))
    written = Notification.objects.filter(recipient=recipient, kind=kind)
    assert written.exists()  # while they held the role
    MUTATIONS[mutation](recipient, world)
    send_pending()
    assert mails_to(mailoutbox, recipient) == []
    assert {(row.emailed_at, row.not_sent) for row in written} == {(None, WHY[mutation])}


def test_the_others_still_get_their_e_mail(world, mailoutbox):
    """The check withholds only the one who left: the supervisor of a late review still hears."""
    start = _late_review(world)
    flag_late_reviews(now=start + timedelta(minutes=31))
    deactivated(world.people[Role.CLIENT_ASSISTANT], world)
    assert send_pending() == 1
    assert mails_to(mailoutbox, world.people[SUPERVISOR])


def test_an_assistant_moved_to_another_branch_no_longer_reads_the_old_offices_notices(
    world, client
):
    """Threat: the inbox keeps showing the old office's complaints (number, customer) to an
    assistant who now works for another branch."""
    assistant = world.people[Role.CLIENT_ASSISTANT]
    _complaint(world)
    deadline_scan(now=T0 + timedelta(days=4))
    old = Notification.objects.filter(recipient=assistant).first()
    assert old is not None
    moved(assistant, world)
    client.force_login(assistant)
    page = client.get(reverse("followups:inbox"))
    assert page.status_code == 200
    assert old.title not in page.content.decode()
    assert page.context["unread_count"] == 0
    assert client.post(reverse("followups:inbox_read", args=[old.pk])).status_code == 404
