"""Records are completed on the desk (issue 14, R-REC-3): the assistant who recorded it during
the shift, the supervisor and the manager; each change in the timeline with before and after."""

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse

from accounts.models import Shift
from accounts.roles import Role
from complaints.models import ComplaintEvent
from complaints.workflow import RecordRefused, complete_record, may_complete_record
from tests.factories import CategoryFactory, ComplaintFactory, OfficeFactory, staff

pytestmark = pytest.mark.django_db
SHANGHAI = ZoneInfo("Asia/Shanghai")
NOW = datetime(2026, 11, 18, 10, 0, tzinfo=SHANGHAI)


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(NOW, tick=False):
        yield


def record_post(complaint, **changes) -> dict:
    data = {
        "complainant_name": complaint.complainant_name,
        "phone": complaint.phone,
        "email": complaint.email,
        "building": complaint.building_id or "",
        "unit": complaint.unit_id or "",
        "room": complaint.room,
        "address_note": complaint.address_note,
        "channel": complaint.channel,
        "category": complaint.category_id or "",
        "classification": complaint.classification,
        "responsible_party": complaint.responsible_party,
        "severity": complaint.severity,
        "temperament": complaint.temperament,
        "description": complaint.description,
        "customer_request": complaint.customer_request,
    }
    data.update(changes)
    return data


def test_supervisor_completes_a_record_and_the_timeline_shows_before_and_after(client):
    office = OfficeFactory()
    supervisor = staff(Role.CUSTOMER_SUPERVISOR, office=office)
    complaint = ComplaintFactory(office=office, customer_request="", category=None)
    assert not complaint.is_complete
    category = CategoryFactory(name="装修噪音")
    client.force_login(supervisor)

    response = client.post(
        reverse("complaints:record", args=[complaint.pk]),
        record_post(complaint, customer_request="停止夜间施工", category=category.pk),
    )

    assert response.status_code == 302
    complaint.refresh_from_db()
    assert complaint.is_complete  # R-REC-3: closure is no longer refused for it
    event = complaint.events.get(kind=ComplaintEvent.Kind.EDITED)
    assert event.actor == supervisor
    assert event.data["changes"]["customer_request"] == ["", "停止夜间施工"]
    assert event.data["changes"]["category"] == ["", "装修噪音"]
    assert "→" in event.note


def test_the_assistant_who_recorded_it_may_complete_it_until_the_next_shift_starts():
    office = OfficeFactory()
    Shift.objects.create(office=office, name="早班", starts_at=time(8, 0))
    Shift.objects.create(office=office, name="晚班", starts_at=time(20, 0))
    assistant = staff(Role.CLIENT_ASSISTANT, office=office)
    colleague = staff(Role.CLIENT_ASSISTANT, office=office)
    complaint = ComplaintFactory(
        office=office,
        received_by=assistant,
        received_at=NOW - timedelta(minutes=40),
        entered_at=NOW - timedelta(minutes=30),
    )

    assert may_complete_record(assistant, complaint, now=NOW)
    assert not may_complete_record(colleague, complaint, now=NOW)  # not theirs
    evening = NOW.replace(hour=20, minute=1)
    assert not may_complete_record(assistant, complaint, now=evening)  # the shift is over


def test_a_correction_keeps_the_rules_of_intake():
    # R-CLS-2: a to-improve complaint names the responsible party; a contact remains
    office = OfficeFactory()
    manager = staff(Role.OFFICE_MANAGER, office=office)
    complaint = ComplaintFactory(office=office)

    with pytest.raises(RecordRefused) as refused:
        complete_record(complaint, by=manager, values={"classification": "to_improve", "phone": ""})

    assert set(refused.value.reasons) == {"responsible_party", "phone"}
    assert not complaint.events.filter(kind=ComplaintEvent.Kind.EDITED).exists()


def test_a_refused_correction_comes_back_with_its_reasons_and_what_was_typed(client):
    office = OfficeFactory()
    client.force_login(staff(Role.OFFICE_MANAGER, office=office))
    complaint = ComplaintFactory(office=office)

    response = client.post(
        reverse("complaints:record", args=[complaint.pk]),
        record_post(complaint, phone="139abc45678", customer_request="新的要求"),
    )

    assert response.status_code == 400
    assert "phone" in response.context["record_form"].errors
    assert "新的要求" in response.text
    assert 'id="record" data-testid="record-card" open' in response.text


def test_the_branch_gm_and_an_assistant_of_another_shift_cannot_correct(client):
    office = OfficeFactory()
    complaint = ComplaintFactory(office=office)
    for user in (
        staff(Role.BRANCH_GM, branch=office.branch),
        staff(Role.CLIENT_ASSISTANT, office=office),
    ):
        client.force_login(user)
        url = reverse("complaints:record", args=[complaint.pk])
        assert client.post(url, record_post(complaint, room="9999")).status_code == 403
        assert (
            "record-form" not in client.get(reverse("complaints:detail", args=[complaint.pk])).text
        )
    complaint.refresh_from_db()
    assert complaint.room == "1502"
