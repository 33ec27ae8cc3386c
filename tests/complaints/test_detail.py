"""A complaint's page: every field, its clocks with time left or overdue, the timeline."""

import re
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse

from accounts.roles import Role
from complaints.models import Complaint, ComplaintEvent
from complaints.workflow import record_complaint
from tests.factories import (
    BuildingFactory,
    CategoryFactory,
    ComplaintFactory,
    DutyLogEntryFactory,
    OfficeFactory,
    staff,
)

SHANGHAI = ZoneInfo("Asia/Shanghai")
NOW = datetime(2026, 11, 20, 10, 0, tzinfo=SHANGHAI)  # Friday
pytestmark = [pytest.mark.django_db, pytest.mark.frozen_at(NOW), pytest.mark.usefixtures("english")]


def page(client, complaint):
    return client.get(reverse("complaints:detail", args=[complaint.pk]))


def section(html: str, testid: str) -> str:
    """The HTML from the element marked `data-testid=testid` to the next card."""
    rest = html.split(f'data-testid="{testid}"', 1)[1]
    return re.split(r'<(?:div|section) class="card[ "]', rest)[0]


def deadline(html: str, key: str) -> str:
    """The line of one clock in the Deadlines card."""
    return html.split(f'data-testid="deadline-{key}"', 1)[1].split("</li>", 1)[0]


def test_the_page_needs_a_login(client, office):
    complaint = ComplaintFactory(office=office)
    response = page(client, complaint)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_another_offices_complaint_is_not_found(supervisor_client):
    theirs = ComplaintFactory(office=OfficeFactory(code="CH"))
    assert page(supervisor_client, theirs).status_code == 404


def test_an_unknown_complaint_is_not_found(supervisor_client):
    assert supervisor_client.get(reverse("complaints:detail", args=[999999])).status_code == 404


def test_a_branch_role_sees_complaints_of_every_office_of_the_branch(client, office):
    other = OfficeFactory(code="CH", branch=office.branch)
    complaint = ComplaintFactory(office=other)
    client.force_login(staff(Role.BRANCH_GM, branch=office.branch))
    assert page(client, complaint).status_code == 200


def test_the_page_shows_the_record(supervisor_client, record, office):
    building = BuildingFactory(office=office, name="3栋")
    complaint = record(
        complainant_name="王先生",
        phone="+8613800138000",
        email="wang@example.com",
        building=building,
        room="1502",
        category=CategoryFactory(name="装修噪音"),
        classification="to_improve",
        responsible_party="开发商",
        severity="serious",
        channel="visit",
        temperament="emotional",
        description="楼上夜间装修",
        customer_request="停止夜间施工",
    )
    text = page(supervisor_client, complaint).text
    for shown in [
        complaint.number,
        "王先生",
        "138 0013 8000",  # the stored +8613800138000, as the desk reads it
        "wang@example.com",
        "3栋",
        "1502",
        "装修噪音",
        "To improve",
        "开发商",
        "Serious",
        "Visit",
        "Emotional",
        "楼上夜间装修",
        "停止夜间施工",
        "2026-11-20 09:30",  # received, Shanghai time
    ]:
        assert shown in text, shown


def test_the_page_shows_every_deadline_in_shanghai_time(supervisor_client, record):
    complaint = record(
        urgent_kind="safety", reply_due=datetime(2026, 11, 23, 17, 0, tzinfo=SHANGHAI)
    )
    text = page(supervisor_client, complaint).text
    for key in ["entry", "dispatch", "reply", "contact", "alert", "report"]:
        assert f'data-testid="deadline-{key}"' in text, key
    reply = deadline(text, "reply")
    assert "2026-11-23 17:00" in reply
    assert "3 d 7 h left" in reply
    assert "2026-11-30 09:30" in deadline(text, "alert")  # R-FUP-2: day 10
    assert "2026-12-05 09:30" in deadline(text, "report")  # R-FUP-3: day 15


def test_a_passed_agreed_reply_shows_as_overdue(supervisor_client, record):  # R-REPLY-3
    complaint = record(
        received_at=datetime(2026, 11, 17, 10, 0, tzinfo=SHANGHAI),  # Tuesday
        reply_due=NOW - timedelta(hours=3),
    )
    reply = deadline(page(supervisor_client, complaint).text, "reply")
    assert 'data-state="overdue"' in reply
    assert "overdue by 3 h" in reply
    assert "text-danger" in reply


def test_a_reply_made_in_time_is_not_overdue(supervisor_client, record):
    complaint = record(
        received_at=datetime(2026, 11, 17, 10, 0, tzinfo=SHANGHAI),
        reply_due=NOW - timedelta(hours=3),
    )
    Complaint.objects.filter(pk=complaint.pk).update(replied_at=NOW - timedelta(hours=5))
    reply = deadline(page(supervisor_client, complaint).text, "reply")
    assert 'data-state="met"' in reply


def test_a_late_entry_is_flagged(supervisor_client, record):  # R-REC-2
    complaint = record(received_at=NOW - timedelta(hours=3), entered_at=NOW)
    text = page(supervisor_client, complaint).text
    assert 'data-testid="badge-entered-late"' in text
    entry = deadline(text, "entry")
    assert 'data-state="met_late"' in entry
    assert "met 1 h late" in entry


def test_an_entry_in_time_is_not_flagged(supervisor_client, record):  # R-REC-2
    text = page(supervisor_client, record()).text
    assert 'data-testid="badge-entered-late"' not in text
    assert 'data-state="met"' in deadline(text, "entry")


def test_an_incomplete_record_lists_what_is_missing(supervisor_client, record):  # R-REC-3
    complaint = record(customer_request="", category=None)
    missing = section(page(supervisor_client, complaint).text, "missing-parts")
    assert "what the customer asks for" in missing
    assert "category" in missing


def test_urgent_and_major_complaints_carry_their_badges(supervisor_client, record):
    text = page(supervisor_client, record(urgent_kind="safety", is_major=True)).text
    assert 'data-testid="badge-urgent"' in text
    assert 'data-testid="badge-major"' in text


def test_the_timeline_shows_the_recorded_event(supervisor_client, office):
    assistant = staff(Role.CLIENT_ASSISTANT, office=office, full_name="李娜")
    complaint = record_complaint(
        Complaint(
            office=office,
            channel="phone",
            complainant_name="王先生",
            phone="+8613800138000",
            received_at=NOW - timedelta(minutes=20),
            description="楼上夜间装修",
            reply_due=NOW + timedelta(days=1),
        ),
        by=assistant,
    )
    timeline = section(page(supervisor_client, complaint).text, "timeline")
    assert 'data-kind="recorded"' in timeline
    assert "李娜" in timeline
    assert "2026-11-20 10:00" in timeline


def test_the_timeline_shows_a_repeat_call_with_its_note(supervisor_client, record, supervisor):
    complaint = record()
    ComplaintEvent.objects.create(
        complaint=complaint,
        kind=ComplaintEvent.Kind.REPEAT_CALL,
        actor=supervisor,
        note="客户再次来电催促",
    )
    timeline = section(page(supervisor_client, complaint).text, "timeline")
    assert 'data-kind="repeat_call"' in timeline
    assert "客户再次来电催促" in timeline


def test_linked_complaints_are_shown_both_ways(supervisor_client, record):  # R-REV-2
    first = record()
    second = record(linked_to=first)
    assert second.number in section(page(supervisor_client, first).text, "linked")
    assert first.number in section(page(supervisor_client, second).text, "linked")


def test_the_duty_log_lines_of_the_complaint_are_shown(
    supervisor_client, record, office
):  # R-REC-1
    complaint = record()
    DutyLogEntryFactory(
        office=office, kind="complaint", complaint=complaint, matter="投诉：楼上夜间装修"
    )
    DutyLogEntryFactory(office=office, matter="咨询停车月卡办理")
    duty_log = section(page(supervisor_client, complaint).text, "duty-log")
    assert "投诉：楼上夜间装修" in duty_log
    assert "咨询停车月卡办理" not in duty_log


def test_the_page_offers_the_office_staff_the_next_steps(supervisor_client, record):
    text = page(supervisor_client, record(status="in_progress")).text
    assert 'data-testid="complaint-actions"' in text
    assert 'data-testid="complaint-followups"' in text
