"""Recording a complaint through the workflow (R-REC-1..3, R-CLS, R-SEV-1, R-URG-1, R-REPLY-2)."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db import IntegrityError

from accounts.roles import Role
from complaints.models import Complaint, ComplaintEvent, DutyLogEntry
from complaints.workflow import IntakeRefused, log_repeat_call, record_complaint
from tests.factories import BuildingFactory, CategoryFactory, ComplaintFactory, OfficeFactory, staff

pytestmark = pytest.mark.django_db
SHANGHAI = ZoneInfo("Asia/Shanghai")
NOW = datetime(2026, 11, 20, 10, 0, tzinfo=SHANGHAI)


def new_complaint(office, **fields) -> Complaint:
    values = {
        "office": office,
        "complainant_name": "王先生",
        "phone": "+8613800138000",
        "building": BuildingFactory(office=office, name="3栋"),
        "room": "1502",
        "received_at": NOW - timedelta(minutes=20),
        "channel": "phone",
        "category": CategoryFactory(name="装修噪音"),
        "description": "楼上夜间装修",
        "customer_request": "停止夜间施工",
        "reply_due": NOW + timedelta(days=1),
        **fields,
    }
    return Complaint(**values)


def record(office, by, **fields):
    return record_complaint(new_complaint(office, **fields), by=by, now=NOW)


def test_recording_writes_the_complaint_its_first_event_and_a_duty_log_line(office, assistant):
    complaint = record(office, assistant)  # R-REC-1
    assert complaint.events.get().kind == ComplaintEvent.Kind.RECORDED
    line = DutyLogEntry.objects.get(complaint=complaint)
    assert line.kind == DutyLogEntry.Kind.COMPLAINT
    assert line.customer_name == "王先生" and complaint.number in line.matter
    assert line.recorder == assistant


def test_numbers_are_readable_and_run_per_office_and_month(office, assistant):
    first, second = record(office, assistant), record(office, assistant)
    assert (first.number, second.number) == ("HY-202611-0001", "HY-202611-0002")
    other = OfficeFactory(code="CH")
    assert record(other, staff(Role.CLIENT_ASSISTANT, office=other)).number == "CH-202611-0001"


def test_the_month_of_the_number_is_the_month_of_receipt_in_office_time(office, assistant):
    # 2026-10-31 23:50 in Shanghai is still October, although entered in November.
    received = datetime(2026, 10, 31, 23, 50, tzinfo=SHANGHAI)
    with time_machine.travel(datetime(2026, 11, 1, 0, 30, tzinfo=SHANGHAI), tick=False):
        complaint = record_complaint(
            new_complaint(office, received_at=received, answered_at_once=True), by=assistant
        )
    assert complaint.number == "HY-202610-0001"


def test_entry_within_two_hours_is_on_time(office, assistant):
    complaint = record(office, assistant, received_at=NOW - timedelta(hours=1, minutes=59))
    assert not complaint.entered_late  # R-REC-2
    assert complaint.entered_at == NOW
    assert complaint.entry_due == NOW - timedelta(hours=1, minutes=59) + timedelta(hours=2)


def test_entry_after_two_hours_is_flagged_late(office, assistant):
    complaint = record(office, assistant, received_at=NOW - timedelta(hours=2, minutes=1))
    assert complaint.entered_late  # R-REC-2


def test_a_receipt_time_in_the_future_is_refused(office, assistant):
    with pytest.raises(IntakeRefused) as refused:
        record(office, assistant, received_at=NOW + timedelta(minutes=5))
    assert "received_at" in refused.value.reasons


def test_an_agreed_reply_later_than_three_working_days_is_refused(office, assistant):
    # R-REPLY-2: received Fri 2026-11-20, the latest reply is Wed 2026-11-25.
    with pytest.raises(IntakeRefused) as refused:
        record(office, assistant, reply_due=datetime(2026, 11, 26, 9, 0, tzinfo=SHANGHAI))
    assert "2026-11-25 23:59" in refused.value.reasons["reply_due"]


def test_a_reply_is_agreed_unless_answered_at_once(office, assistant):
    with pytest.raises(IntakeRefused) as refused:
        record(office, assistant, reply_due=None)  # R-REPLY-1/2
    assert "reply_due" in refused.value.reasons
    answered = record(office, assistant, reply_due=None, answered_at_once=True)
    assert answered.reply_due is None


def test_class_defaults_to_valid():
    assert Complaint().classification == "valid"  # R-CLS-4


def test_a_to_improve_complaint_names_the_responsible_party(office, assistant):
    with pytest.raises(IntakeRefused) as refused:
        record(office, assistant, classification="to_improve", responsible_party=" ")
    assert "responsible_party" in refused.value.reasons  # R-CLS-2
    complaint = record(office, assistant, classification="to_improve", responsible_party="开发商")
    assert complaint.responsible_party == "开发商"


def test_the_database_also_refuses_to_improve_without_a_party(office):
    complaint = ComplaintFactory(office=office)
    Complaint.objects.filter(pk=complaint.pk).update(classification="valid")
    with pytest.raises(IntegrityError):
        Complaint.objects.filter(pk=complaint.pk).update(classification="to_improve")


def test_urgent_matters_get_a_dispatch_deadline(office, assistant):
    complaint = record(office, assistant, urgent_kind="facility", facility_kind="lift")
    assert complaint.dispatch_due == complaint.received_at + timedelta(minutes=30)  # R-URG-1


def test_a_facility_fault_names_the_facility(office, assistant):
    with pytest.raises(IntakeRefused) as refused:
        record(office, assistant, urgent_kind="facility")
    assert "facility_kind" in refused.value.reasons


def test_a_major_complaint_is_marked_reported_to_the_manager(office, assistant):
    complaint = record(office, assistant, is_major=True)  # R-SEV-1
    assert complaint.events.filter(kind=ComplaintEvent.Kind.MAJOR_REPORTED).exists()


def test_a_record_without_address_or_request_is_incomplete(office, assistant):
    complaint = record(office, assistant, building=None, room="", customer_request="")
    assert not complaint.is_complete  # R-REC-3
    assert set(complaint.missing_record_fields()) == {"address", "customer_request"}


def test_a_full_record_is_complete(office, assistant):
    assert record(office, assistant).is_complete  # R-REC-3


def test_staff_of_another_office_cannot_record_here(office):
    outsider = staff(Role.CLIENT_ASSISTANT, office=OfficeFactory(code="CH"))
    with pytest.raises(IntakeRefused):
        record(office, outsider)


def test_branch_roles_do_not_record_at_an_office_desk(office):
    quality = staff(Role.QUALITY_DEPARTMENT, branch=office.branch)
    with pytest.raises(IntakeRefused):
        record(office, quality)


def test_a_repeat_call_is_added_to_the_complaint_not_recorded_twice(office, assistant):
    complaint = record(office, assistant)
    log_repeat_call(complaint, by=assistant, note="又来电催促", now=NOW + timedelta(hours=1))
    assert Complaint.objects.count() == 1
    assert complaint.events.filter(kind=ComplaintEvent.Kind.REPEAT_CALL, note="又来电催促").exists()
    assert DutyLogEntry.objects.filter(complaint=complaint).count() == 2  # R-REC-1
