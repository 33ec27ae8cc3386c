"""The intake page at the front desk (R-REC-1..3, R-CLS-5, R-SEV-1, R-REPLY-2, R-CHAN-2)."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse

from accounts.roles import Role
from complaints.models import Complaint, ComplaintEvent, WebsiteScan
from tests.factories import (
    BuildingFactory,
    CategoryFactory,
    ComplaintFactory,
    OfficeFactory,
    UnitFactory,
    staff,
)

SHANGHAI = ZoneInfo("Asia/Shanghai")
NOW = datetime(2026, 11, 20, 10, 0, tzinfo=SHANGHAI)  # Friday
pytestmark = [pytest.mark.django_db, pytest.mark.frozen_at(NOW)]


def form_data(office, **overrides):
    building = BuildingFactory(office=office, name="3栋")
    data = {
        "office": office.pk,
        "channel": "phone",
        "complainant_name": "王先生",
        "phone": "138 0013 8000",
        "building": building.pk,
        "room": "1502",
        "received_at": "2026-11-20T09:40",
        "category": CategoryFactory(name="装修噪音").pk,
        "classification": "valid",
        "severity": "general",
        "description": "楼上夜间装修",
        "customer_request": "停止夜间施工",
        "reply_due": "2026-11-23T17:00",
    }
    data.update(overrides)
    return data


def test_the_form_proposes_the_latest_allowed_reply(assistant_client):
    response = assistant_client.get(reverse("complaints:intake"))
    assert response.status_code == 200
    # R-REPLY-2: received Friday 10:00, three working days later is Wednesday.
    assert 'value="2026-11-25T23:59"' in response.text
    assert response.context["form"]["classification"].value() == "valid"  # R-CLS-4
    assert 'value="2026-11-20T10:00"' in response.text


def test_saving_records_the_complaint_and_shows_the_answer_script(
    assistant_client, assistant, office
):
    response = assistant_client.post(reverse("complaints:intake"), form_data(office), follow=True)
    complaint = Complaint.objects.get()
    assert response.redirect_chain[-1][0] == reverse("complaints:recorded", args=[complaint.pk])
    assert complaint.phone == "+8613800138000"  # normalised
    assert complaint.received_by == assistant
    assert complaint.duty_log_entries.count() == 1  # R-REC-1
    assert complaint.number in response.text
    assert 'data-testid="answer-script"' in response.text


@pytest.mark.parametrize(
    "classification, extra, words",
    [
        ("valid", {}, "诚恳道歉"),
        ("to_improve", {"responsible_party": "开发商"}, "开发商"),
        ("invalid", {}, "说明事实"),
    ],
)
def test_the_answer_script_depends_on_the_class(
    assistant_client, office, classification, extra, words
):
    data = form_data(office, classification=classification, **extra)
    assistant_client.post(reverse("complaints:intake"), data)
    response = assistant_client.get(
        reverse("complaints:recorded", args=[Complaint.objects.get().pk])
    )
    script = response.text.split('data-testid="answer-script"')[1].split("</div>")[0]
    assert words in script  # R-CLS-5


def test_a_major_complaint_says_the_manager_has_been_told(assistant_client, office):
    response = assistant_client.post(
        reverse("complaints:intake"), form_data(office, is_major="on"), follow=True
    )
    assert 'data-testid="major-reported"' in response.text  # R-SEV-1
    assert Complaint.objects.get().events.filter(kind=ComplaintEvent.Kind.MAJOR_REPORTED).exists()


def test_an_invalid_phone_is_explained_and_nothing_typed_is_lost(assistant_client, office):
    response = assistant_client.post(reverse("complaints:intake"), form_data(office, phone="12345"))
    assert response.status_code == 400
    assert not Complaint.objects.exists()
    assert "不是有效的电话号码" in response.text
    assert 'value="12345"' in response.text
    assert "楼上夜间装修" in response.text and 'value="王先生"' in response.text


def test_a_future_receipt_time_is_refused_with_a_message(assistant_client, office):
    response = assistant_client.post(
        reverse("complaints:intake"), form_data(office, received_at="2026-11-20T11:00")
    )
    assert response.status_code == 400
    assert "不能晚于现在" in response.text


def test_a_reply_later_than_allowed_is_refused_naming_the_latest(assistant_client, office):
    response = assistant_client.post(
        reverse("complaints:intake"), form_data(office, reply_due="2026-11-26T09:00")
    )
    assert response.status_code == 400  # R-REPLY-2
    assert "2026-11-25 23:59" in response.text
    assert not Complaint.objects.exists()


def test_a_malformed_date_and_a_wrong_choice_get_messages_not_a_500(assistant_client, office):
    response = assistant_client.post(
        reverse("complaints:intake"),
        form_data(office, received_at="2026-13-45T99:99", channel="telepathy"),
    )
    assert response.status_code == 400
    assert response.context["form"].errors.keys() >= {"received_at", "channel"}


def test_earlier_complaints_of_the_caller_are_shown_open_ones_first(assistant_client, office):
    closed = ComplaintFactory(office=office, phone="+8613800138000")
    Complaint.objects.filter(pk=closed.pk).update(status="superseded")
    opened = ComplaintFactory(office=office, phone="+8613800138000")
    ComplaintFactory(office=OfficeFactory(code="CH"), phone="+8613800138000")  # out of scope
    response = assistant_client.get(reverse("complaints:lookup"), {"phone": "13800138000"})
    earlier = list(response.context["earlier"])
    assert earlier == [opened, Complaint.objects.get(pk=closed.pk)]


def test_earlier_complaints_are_found_by_building_and_room(assistant_client, office):
    complaint = ComplaintFactory(office=office, room="1502")
    response = assistant_client.get(
        reverse("complaints:lookup"), {"building": complaint.building_id, "room": "1502"}
    )
    assert list(response.context["earlier"]) == [complaint]


def test_a_repeat_call_is_added_to_the_open_complaint(assistant_client, office):
    complaint = ComplaintFactory(office=office)
    assistant_client.post(
        reverse("complaints:repeat_call", args=[complaint.pk]),
        form_data(office, description="再次来电催促"),
    )
    assert Complaint.objects.count() == 1
    repeat = complaint.events.get(kind=ComplaintEvent.Kind.REPEAT_CALL)
    assert repeat.note == "再次来电催促"


def test_a_new_complaint_can_be_linked_to_an_earlier_one(assistant_client, office):
    earlier = ComplaintFactory(office=office)
    assistant_client.post(reverse("complaints:intake"), form_data(office, linked_to=earlier.pk))
    assert Complaint.objects.exclude(pk=earlier.pk).get().linked_to == earlier


def test_another_offices_complaint_cannot_take_a_repeat_call(assistant_client, office):
    theirs = ComplaintFactory(office=OfficeFactory(code="CH"))
    response = assistant_client.post(
        reverse("complaints:repeat_call", args=[theirs.pk]), {"description": "x"}
    )
    assert response.status_code == 404


def test_another_offices_recorded_page_is_not_found(assistant_client):
    theirs = ComplaintFactory(office=OfficeFactory(code="CH"))
    assert assistant_client.get(reverse("complaints:recorded", args=[theirs.pk])).status_code == 404


def test_unit_choices_follow_the_building_within_the_office(assistant_client, office):
    unit = UnitFactory(building=BuildingFactory(office=office))
    theirs = UnitFactory(building=BuildingFactory(office=OfficeFactory(code="CH")))
    mine = assistant_client.get(reverse("complaints:units"), {"building": unit.building_id})
    assert unit.name in mine.text
    other = assistant_client.get(reverse("complaints:units"), {"building": theirs.building_id})
    assert theirs.name not in other.text


def test_a_website_finding_prefills_the_form(assistant_client, assistant, office):
    # R-CHAN-2: one click from the scan to the complaint
    scan = WebsiteScan.objects.create(
        office=office, scanned_by=assistant, findings="论坛帖子投诉电梯"
    )
    response = assistant_client.get(reverse("complaints:intake"), {"scan": scan.pk})
    form = response.context["form"]
    assert form["channel"].value() == "website"
    assert form["description"].value() == "论坛帖子投诉电梯"


def test_another_offices_scan_cannot_prefill(assistant_client):
    other = OfficeFactory(code="CH")
    scan = WebsiteScan.objects.create(
        office=other, scanned_by=staff(Role.CLIENT_ASSISTANT, office=other), findings="x"
    )
    assert assistant_client.get(reverse("complaints:intake"), {"scan": scan.pk}).status_code == 404


def test_staff_without_an_office_role_cannot_open_intake(client):
    client.force_login(staff(Role.BRANCH_GM))
    assert client.get(reverse("complaints:intake")).status_code == 403


def test_anonymous_visitors_are_sent_to_login(client):
    assert client.get(reverse("complaints:intake")).status_code == 302


def test_the_proposed_reply_follows_the_time_of_receipt(assistant_client, office):
    response = assistant_client.get(
        reverse("complaints:reply_latest"),
        {"office": office.pk, "received_at": "2026-09-30T14:20"},
    )
    assert 'value="2026-10-10T23:59"' in response.text  # R-REPLY-2, make-up Saturday


def test_intake_page_query_count(assistant_client, django_assert_max_num_queries):
    with django_assert_max_num_queries(15):
        assistant_client.get(reverse("complaints:intake"))


def test_quality_department_records_a_branch_complaint_naming_the_handler(client, office):
    # R-QD-1: recorded by the quality department, handled by an office manager it names
    manager = staff(Role.OFFICE_MANAGER, office=office)
    client.force_login(staff(Role.QUALITY_DEPARTMENT, branch=office.branch))
    page = client.get(reverse("complaints:intake"))
    assert list(page.context["form"].fields["handler"].queryset) == [manager]
    data = form_data(office, channel="branch", handler=manager.pk)
    response = client.post(reverse("complaints:intake"), data)
    assert response.status_code == 302
    complaint = Complaint.objects.get()
    assert (complaint.channel, complaint.handler) == ("branch", manager)


def test_a_branch_complaint_without_a_handler_is_refused(client, office):
    client.force_login(staff(Role.QUALITY_DEPARTMENT, branch=office.branch))
    response = client.post(reverse("complaints:intake"), form_data(office, channel="branch"))
    assert response.status_code == 400
    assert "handler" in response.context["form"].errors
    assert not Complaint.objects.exists()


def test_office_staff_do_not_name_a_handler(assistant_client):
    assert (
        "handler" not in assistant_client.get(reverse("complaints:intake")).context["form"].fields
    )
