"""The duty log, the shift handover and the website scan through the workflow
(R-LOG-1..3, R-CHAN-2)."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts.roles import Role
from complaints.dutylog import (
    DutyLogRefused,
    add_duty_log_line,
    countersign_handover,
    hand_over_shift,
    purge_old_duty_log,
    record_website_scan,
    update_duty_log_line,
)
from complaints.models import Complaint, DutyLogEntry, ShiftHandover
from tests.factories import (
    ComplaintFactory,
    DutyLogEntryFactory,
    OfficeFactory,
    ShiftHandoverFactory,
    staff,
)

pytestmark = pytest.mark.django_db
SHANGHAI = ZoneInfo("Asia/Shanghai")
NOW = datetime(2026, 11, 20, 10, 0, tzinfo=SHANGHAI)


def add_inquiry(office, by, **fields):
    values = {"kind": "inquiry", "matter": "咨询停车月卡办理", **fields}
    return add_duty_log_line(by=by, office=office, now=NOW, **values)


@pytest.mark.parametrize("kind", ["inquiry", "repair", "other"])
def test_lines_that_are_not_complaints_are_added_to_the_duty_log(office, assistant, kind):
    line = add_inquiry(
        office,
        assistant,
        kind=kind,
        occurred_at=NOW - timedelta(minutes=5),
        customer_name="王先生",
        address="3栋1502",
        contact="13800138000",
    )
    # R-LOG-1: time, details, recorder
    line.refresh_from_db()
    assert line.kind == kind and line.complaint is None
    assert line.occurred_at == NOW - timedelta(minutes=5)
    assert (line.customer_name, line.address, line.contact) == ("王先生", "3栋1502", "13800138000")
    assert line.recorder == assistant and not line.done


def test_a_line_without_a_time_is_dated_now(office, assistant):
    assert add_inquiry(office, assistant).occurred_at == NOW  # R-LOG-1


def test_a_complaint_line_cannot_be_added_by_hand(office, assistant):
    # R-REC-1: complaint lines come with the complaint record, from intake
    with pytest.raises(DutyLogRefused) as refused:
        add_inquiry(office, assistant, kind="complaint")
    assert set(refused.value.reasons) == {"kind"}
    assert not DutyLogEntry.objects.exists()


def test_a_refused_line_names_every_reason(office, assistant):
    with pytest.raises(DutyLogRefused) as refused:
        add_inquiry(
            office, assistant, kind="complaint", matter="  ", occurred_at=NOW + timedelta(hours=1)
        )
    assert set(refused.value.reasons) == {"kind", "matter", "occurred_at"}


def test_an_assistant_of_another_office_cannot_add_a_line(office):
    outsider = staff(Role.CLIENT_ASSISTANT, office=OfficeFactory(code="CH"))
    with pytest.raises(DutyLogRefused) as refused:
        add_inquiry(office, outsider)
    assert set(refused.value.reasons) == {"office"}


def test_branch_roles_read_the_duty_log_but_do_not_keep_it(office):
    gm = staff(Role.BRANCH_GM, branch=office.branch)
    with pytest.raises(DutyLogRefused):
        add_inquiry(office, gm)


@pytest.mark.parametrize("role", [Role.CUSTOMER_SUPERVISOR, Role.OFFICE_MANAGER])
def test_supervisors_and_managers_of_the_office_keep_the_duty_log_too(office, role):
    assert add_inquiry(office, staff(role, office=office)).pk


def test_a_line_records_its_handler_handling_status_and_done(office, assistant):
    line = DutyLogEntryFactory(office=office)
    update_duty_log_line(
        line,
        by=assistant,
        handler="维修部张师傅",
        handling_status="已转维修部，下午上门",
        done=True,
    )
    line.refresh_from_db()  # R-LOG-1: handler, handling status, done
    assert (line.handler, line.handling_status, line.done) == (
        "维修部张师傅",
        "已转维修部，下午上门",
        True,
    )


def test_updating_one_column_leaves_the_others_as_they_are(office, assistant):
    line = DutyLogEntryFactory(office=office, handler="张师傅", handover_note="晚班回访")
    update_duty_log_line(line, by=assistant, done=True)
    line.refresh_from_db()
    assert line.done and line.handler == "张师傅" and line.handover_note == "晚班回访"


def test_an_assistant_of_another_office_cannot_update_a_line(office):
    line = DutyLogEntryFactory(office=office)
    outsider = staff(Role.CLIENT_ASSISTANT, office=OfficeFactory(code="CH"))
    with pytest.raises(DutyLogRefused):
        update_duty_log_line(line, by=outsider, done=True)
    line.refresh_from_db()
    assert not line.done


def test_the_outgoing_assistant_writes_and_signs_the_handover(office, assistant):
    handover = hand_over_shift(by=assistant, office=office, items="3栋电梯待修，晚班跟进", now=NOW)
    # R-LOG-2: the outgoing assistant signs; the incoming has not yet
    assert handover.outgoing == assistant and handover.handed_over_at == NOW
    assert handover.items == "3栋电梯待修，晚班跟进" and not handover.is_countersigned


def test_a_handover_without_items_is_refused(office, assistant):
    with pytest.raises(DutyLogRefused) as refused:
        hand_over_shift(by=assistant, office=office, items=" \n ", now=NOW)
    assert set(refused.value.reasons) == {"items"}  # R-LOG-2
    assert not ShiftHandover.objects.exists()


def test_the_incoming_assistant_countersigns_the_handover(office, assistant, colleague):
    handover = ShiftHandoverFactory(office=office, outgoing=assistant)
    countersign_handover(handover, by=colleague, now=NOW)
    handover.refresh_from_db()  # R-LOG-2: both sign
    assert handover.incoming == colleague and handover.incoming_signed_at == NOW


def test_the_outgoing_assistant_cannot_countersign_their_own_handover(office, assistant):
    handover = ShiftHandoverFactory(office=office, outgoing=assistant)
    with pytest.raises(DutyLogRefused) as refused:
        countersign_handover(handover, by=assistant, now=NOW)
    assert set(refused.value.reasons) == {"incoming"}  # R-LOG-2
    handover.refresh_from_db()
    assert not handover.is_countersigned


def test_a_handover_is_countersigned_only_once(office, assistant, colleague):
    handover = ShiftHandoverFactory(office=office, outgoing=assistant)
    countersign_handover(handover, by=colleague, now=NOW)
    third = staff(Role.CLIENT_ASSISTANT, office=office)
    with pytest.raises(DutyLogRefused) as refused:
        countersign_handover(handover, by=third, now=NOW + timedelta(minutes=5))
    assert set(refused.value.reasons) == {"incoming_signed_at"}  # R-LOG-2
    handover.refresh_from_db()
    assert handover.incoming == colleague and handover.incoming_signed_at == NOW


def test_an_assistant_of_another_office_cannot_countersign(office, assistant):
    handover = ShiftHandoverFactory(office=office, outgoing=assistant)
    outsider = staff(Role.CLIENT_ASSISTANT, office=OfficeFactory(code="CH"))
    with pytest.raises(DutyLogRefused) as refused:
        countersign_handover(handover, by=outsider, now=NOW)
    assert set(refused.value.reasons) == {"office"}


def test_a_website_scan_records_who_when_and_what_was_found(office, assistant):
    scan = record_website_scan(
        by=assistant, office=office, site=" 业主论坛 ", findings="帖子投诉3栋电梯", now=NOW
    )
    scan.refresh_from_db()  # R-CHAN-2
    assert (scan.scanned_by, scan.scanned_at) == (assistant, NOW)
    assert (scan.site, scan.findings) == ("业主论坛", "帖子投诉3栋电梯")


def test_an_assistant_of_another_office_cannot_record_its_scan(office):
    outsider = staff(Role.CLIENT_ASSISTANT, office=OfficeFactory(code="CH"))
    with pytest.raises(DutyLogRefused):
        record_website_scan(by=outsider, office=office, site="业主论坛", now=NOW)


def test_purge_deletes_the_lines_older_than_a_year_and_keeps_the_younger(office):
    expired = DutyLogEntryFactory(office=office, occurred_at=NOW - timedelta(days=365, seconds=1))
    kept = DutyLogEntryFactory(office=office, occurred_at=NOW - timedelta(days=364, hours=23))
    assert purge_old_duty_log(now=NOW) == 1  # R-LOG-3: kept for one year
    assert list(DutyLogEntry.objects.all()) == [kept]
    assert not DutyLogEntry.objects.filter(pk=expired.pk).exists()


def test_purge_keeps_the_complaints_of_the_deleted_lines(office, assistant):
    complaint = ComplaintFactory(office=office, received_at=NOW - timedelta(days=400))
    DutyLogEntryFactory(
        office=office, kind="complaint", complaint=complaint, occurred_at=complaint.received_at
    )
    assert purge_old_duty_log(now=NOW) == 1  # R-LOG-3 is about the duty log only
    assert Complaint.objects.filter(pk=complaint.pk).exists()


def test_purge_deletes_in_batches_until_none_is_left(office):
    for days in range(400, 405):
        DutyLogEntryFactory(office=office, occurred_at=NOW - timedelta(days=days))
    with CaptureQueriesContext(connection) as queries:
        assert purge_old_duty_log(now=NOW, batch_size=2) == 5  # R-LOG-3
    deletes = [q for q in queries.captured_queries if q["sql"].startswith("DELETE")]
    assert len(deletes) == 3  # 2 + 2 + 1
    assert not DutyLogEntry.objects.exists()


def test_a_second_purge_deletes_nothing(office):
    DutyLogEntryFactory(office=office, occurred_at=NOW - timedelta(days=500))
    purge_old_duty_log(now=NOW)
    assert purge_old_duty_log(now=NOW) == 0  # R-LOG-3: the daily job is idempotent
