"""The clocks: shift-start review, deadline scan, escalation ladder, digest (R-FUP-1..4)."""

from datetime import datetime, time, timedelta
from io import StringIO

import pytest
import time_machine
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts.roles import Role
from complaints.models import Complaint
from followups.clocks import (
    deadline_scan,
    escalation_scan,
    flag_late_reviews,
    open_shift_reviews,
    supervisor_digest,
)
from followups.models import Escalation, Notification, ShiftReview, ShiftReviewItem
from followups.notices import OVERDUE
from reports.schedule import JOBS
from tests.factories import ComplaintFactory, OfficeFactory, ShiftFactory, staff

from .conftest import SHANGHAI, T0

pytestmark = pytest.mark.django_db


def test_day_ten_alerts_the_manager_and_supervisor_not_a_minute_early(
    complaint, manager, supervisor
):
    assert escalation_scan(now=T0 + timedelta(days=10) - timedelta(minutes=1)) == 0
    assert escalation_scan(now=T0 + timedelta(days=10)) == 1  # R-FUP-2
    assert Escalation.objects.get().level == 10
    recipients = set(
        Notification.objects.filter(kind="escalation_10").values_list("recipient", flat=True)
    )
    assert recipients == {manager.pk, supervisor.pk}


def test_day_fifteen_goes_to_the_branch_gm(complaint, office, manager):
    gm = staff(Role.BRANCH_GM, branch=office.branch)
    escalation_scan(now=T0 + timedelta(days=15, minutes=1))
    assert set(Escalation.objects.values_list("level", flat=True)) == {10, 15}  # R-FUP-3
    assert Notification.objects.filter(recipient=gm, kind="escalation_15").exists()
    assert Notification.objects.filter(recipient=manager, kind="escalation_15").exists()


def test_escalation_scan_twice_creates_nothing_the_second_time(complaint, manager):
    at = T0 + timedelta(days=16)
    assert escalation_scan(now=at) == 2
    notes = Notification.objects.count()
    assert escalation_scan(now=at) == 0
    assert Notification.objects.count() == notes


def test_closed_complaints_are_not_escalated(complaint):
    Complaint.objects.filter(pk=complaint.pk).update(status="superseded")
    assert escalation_scan(now=T0 + timedelta(days=20)) == 0


def test_reply_clock_waits_over_national_day_until_the_makeup_saturday(office, assistant):
    # R-REPLY-2 with R-FUP clocks: received Wed 2026-09-30, reply due by Sat 2026-10-10.
    received = datetime(2026, 9, 30, 15, 0, tzinfo=SHANGHAI)
    with time_machine.travel(received + timedelta(minutes=10), tick=False):
        complaint = ComplaintFactory(office=office, received_by=assistant, received_at=received)
    assert complaint.reply_due == datetime(2026, 10, 10, 23, 59, 59, tzinfo=SHANGHAI)
    during_holiday = datetime(2026, 10, 9, 12, 0, tzinfo=SHANGHAI)
    deadline_scan(now=during_holiday)
    assert not Notification.objects.filter(key__startswith=f"reply:{complaint.pk}").exists()
    deadline_scan(now=datetime(2026, 10, 11, 0, 1, tzinfo=SHANGHAI))
    assert Notification.objects.filter(
        key__startswith=f"reply:{complaint.pk}", recipient=assistant
    ).exists()


def test_reply_received_friday_is_due_wednesday_across_the_weekend(office, assistant):
    friday = datetime(2026, 11, 20, 17, 0, tzinfo=SHANGHAI)
    with time_machine.travel(friday + timedelta(minutes=5), tick=False):
        complaint = ComplaintFactory(office=office, received_by=assistant, received_at=friday)
    deadline_scan(now=datetime(2026, 11, 25, 23, 0, tzinfo=SHANGHAI))
    assert not Notification.objects.filter(key__startswith=f"reply:{complaint.pk}").exists()
    deadline_scan(now=datetime(2026, 11, 26, 0, 0, 1, tzinfo=SHANGHAI))
    assert Notification.objects.filter(key__startswith=f"reply:{complaint.pk}").exists()


def test_deadline_scan_notifies_each_passed_deadline_once(complaint, assistant, supervisor):
    at = T0 + timedelta(days=4)  # contact (3 days) passed; reply (3 working days) passed
    created = deadline_scan(now=at)
    assert created == 4  # two deadlines × (receiver, supervisor)
    assert deadline_scan(now=at) == 0


def test_shift_start_review_lists_old_open_and_overdue_complaints(office, assistant):
    ShiftFactory(office=office, starts_at=time(8, 0))
    old = ComplaintFactory(
        office=office, received_at=T0 - timedelta(days=4), entered_at=T0 - timedelta(days=4)
    )
    fresh = ComplaintFactory(office=office, received_at=T0, entered_at=T0)
    closed = ComplaintFactory(
        office=office, received_at=T0 - timedelta(days=5), entered_at=T0 - timedelta(days=5)
    )
    Complaint.objects.filter(pk=closed.pk).update(status="superseded")
    shift_start = datetime.combine((T0 + timedelta(days=1)).date(), time(8, 0), tzinfo=SHANGHAI)
    assert open_shift_reviews(now=shift_start + timedelta(minutes=2)) == 1  # R-FUP-1
    review = ShiftReview.objects.get()
    assert review.starts_at == shift_start and review.due_at == shift_start + timedelta(minutes=30)
    assert list(review.items.values_list("complaint", flat=True)) == [old.pk]
    assert fresh.pk not in review.items.values_list("complaint", flat=True)


def test_shift_review_is_opened_once_per_shift_start(office):
    ShiftFactory(office=office, starts_at=time(8, 0))
    ComplaintFactory(
        office=office, received_at=T0 - timedelta(days=4), entered_at=T0 - timedelta(days=4)
    )
    at = datetime(2026, 11, 17, 8, 3, tzinfo=SHANGHAI)
    assert open_shift_reviews(now=at) == 1
    assert open_shift_reviews(now=at + timedelta(minutes=5)) == 0
    assert ShiftReview.objects.count() == 1


def test_the_shift_start_review_takes_the_same_queries_for_three_offices_as_for_one(
    office, django_assert_num_queries
):
    # R-FUP-1 at scale (docs/performance.md): set-based, and a poll between shift starts stops
    # after finding every review already open.
    def open_office(o):
        ShiftFactory(office=o, starts_at=time(8, 0))
        ComplaintFactory(office=o, received_at=T0 - timedelta(days=4),
                         entered_at=T0 - timedelta(days=4))  # fmt: skip

    open_office(office)
    at = datetime(2026, 11, 17, 8, 3, tzinfo=SHANGHAI)
    with CaptureQueriesContext(connection) as one:
        assert open_shift_reviews(now=at) == 1
    for code in ("XY", "ZZ"):
        open_office(OfficeFactory(code=code))
    later = at + timedelta(days=1)
    with django_assert_num_queries(len(one)):
        assert open_shift_reviews(now=later) == 3
    with django_assert_num_queries(2):  # the shifts, the reviews already open
        assert open_shift_reviews(now=later + timedelta(minutes=5)) == 0
    assert ShiftReview.objects.filter(starts_at=later.replace(minute=0)).count() == 3


def test_unticked_review_items_are_flagged_after_30_minutes(office, supervisor):
    ShiftFactory(office=office, starts_at=time(8, 0))
    ComplaintFactory(
        office=office, received_at=T0 - timedelta(days=4), entered_at=T0 - timedelta(days=4)
    )
    start = datetime(2026, 11, 17, 8, 0, tzinfo=SHANGHAI)
    open_shift_reviews(now=start)
    assert flag_late_reviews(now=start + timedelta(minutes=29)) == 0
    assert flag_late_reviews(now=start + timedelta(minutes=31)) == 1
    assert Notification.objects.filter(recipient=supervisor, kind="review_late").exists()
    assert flag_late_reviews(now=start + timedelta(minutes=40)) == 0


def test_a_fully_ticked_review_is_not_flagged(office, assistant):
    ShiftFactory(office=office, starts_at=time(8, 0))
    ComplaintFactory(
        office=office, received_at=T0 - timedelta(days=4), entered_at=T0 - timedelta(days=4)
    )
    start = datetime(2026, 11, 17, 8, 0, tzinfo=SHANGHAI)
    open_shift_reviews(now=start)
    ShiftReviewItem.objects.update(
        reviewed_at=start + timedelta(minutes=10), reviewed_by=assistant, note="已回复客户"
    )
    assert flag_late_reviews(now=start + timedelta(minutes=31)) == 0


def test_supervisor_digest_counts_yesterdays_complaints(office, supervisor):
    ComplaintFactory(office=office, received_at=T0, entered_at=T0)
    assert supervisor_digest(now=T0 + timedelta(days=1)) == 1  # R-FUP-4
    digest = Notification.objects.get(kind="digest")
    assert digest.recipient == supervisor and "1" in digest.title
    assert supervisor_digest(now=T0 + timedelta(days=1, hours=1)) == 0


def test_the_digest_takes_the_same_queries_for_three_offices_as_for_one(
    office, supervisor, django_assert_num_queries
):
    # R-FUP-4 at scale (docs/performance.md): grouped queries, not a pair per office.
    ComplaintFactory(office=office, received_at=T0, entered_at=T0)
    with CaptureQueriesContext(connection) as one:
        supervisor_digest(now=T0 + timedelta(days=1))
    for code in ("XY", "ZZ"):
        other = OfficeFactory(code=code)
        staff(Role.CUSTOMER_SUPERVISOR, office=other)
        ComplaintFactory(office=other, received_at=T0, entered_at=T0)
    with django_assert_num_queries(len(one)):
        assert supervisor_digest(now=T0 + timedelta(days=1)) == 2
    assert Notification.objects.filter(kind="digest", key__startswith="digest:").count() == 3


def _open_complaint_in_a_new_office(code):
    other = OfficeFactory(code=code)
    staff(Role.OFFICE_MANAGER, office=other)
    staff(Role.CUSTOMER_SUPERVISOR, office=other)
    staff(Role.BRANCH_GM, branch=other.branch)
    receiver = staff(Role.CLIENT_ASSISTANT, office=other)
    return ComplaintFactory(office=other, received_by=receiver, received_at=T0,
                            entered_at=T0 + timedelta(minutes=10))  # fmt: skip


def test_the_deadline_scan_takes_the_same_queries_for_three_offices_as_for_one(
    complaint, supervisor, django_assert_num_queries
):
    # R-FUP-2 (contact every 3 days) at scale (docs/performance.md): the scan reads each kind
    # of deadline in one query for all offices, whatever their number.
    at = T0 + timedelta(days=4)
    with CaptureQueriesContext(connection) as one:
        assert deadline_scan(now=at) > 0
    for code in ("XY", "ZZ"):
        _open_complaint_in_a_new_office(code)
    with django_assert_num_queries(len(one)):
        assert deadline_scan(now=at + timedelta(minutes=5)) > 0
    overdue = Notification.objects.filter(kind__in=OVERDUE.values())
    chased = overdue.values_list("complaint", flat=True)
    assert len(set(chased)) == 3


def test_the_escalation_scan_takes_the_same_queries_for_three_offices_as_for_one(
    complaint, manager, supervisor, django_assert_num_queries
):
    # R-FUP-2/3 at scale (docs/performance.md): each level is one read, one write of the
    # escalations and one of the notifications for every office at once.
    at = T0 + timedelta(days=16)
    with CaptureQueriesContext(connection) as one:
        assert escalation_scan(now=at) == 2
    Escalation.objects.all().delete()
    Notification.objects.all().delete()
    for code in ("XY", "ZZ"):
        _open_complaint_in_a_new_office(code)
    with django_assert_num_queries(len(one)):
        assert escalation_scan(now=at) == 6
    assert Notification.objects.filter(kind="escalation_15").count() >= 3


def test_run_clocks_prints_each_job_and_creates_nothing_the_second_time(complaint, manager):
    at = (T0 + timedelta(days=11)).isoformat()
    first, second = StringIO(), StringIO()
    call_command("run_clocks", "--at", at, stdout=first)
    call_command("run_clocks", "--at", at, stdout=second)
    assert "escalation-scan: 1 created" in first.getvalue()
    lines = second.getvalue().strip().splitlines()
    assert len(lines) == len(JOBS) and all(line.endswith(": 0 created") for line in lines)


def test_escalation_alerts_are_written_in_chinese(complaint, manager):
    escalation_scan(now=T0 + timedelta(days=10))
    assert "已超过 10 天" in Notification.objects.get(recipient=manager).title  # R-FUP-2
