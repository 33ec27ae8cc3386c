"""Intake guides instead of refusing late (issue 14): every refusal in one round, a phone with
letters refused, the checklist, answer script and deadlines before saving."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse

from accounts.roles import Role
from complaints.models import Complaint
from complaints.phones import normalise_phone
from tests.complaints.test_intake_views import form_data
from tests.factories import BuildingFactory, OfficeFactory, UnitFactory, staff

pytestmark = pytest.mark.django_db
SHANGHAI = ZoneInfo("Asia/Shanghai")
NOW = datetime(2026, 11, 20, 10, 0, tzinfo=SHANGHAI)  # Friday


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def office():
    return OfficeFactory(code="HY")


@pytest.fixture
def assistant(office, client):
    user = staff(Role.CLIENT_ASSISTANT, office=office)
    client.force_login(user)
    return user


def errors(response) -> dict:
    return response.context["form"].errors


def test_a_phone_with_letters_is_refused_not_read_as_a_keypad():
    # R-REC-3: the contact is the customer's number as they gave it, or nothing
    assert normalise_phone("139abc45678") is None
    assert normalise_phone("139 2224 5678") == "+8613922245678"


def test_intake_refuses_a_phone_with_letters_and_keeps_what_was_typed(client, office, assistant):
    response = client.post(reverse("complaints:intake"), form_data(office, phone="139abc45678"))

    assert response.status_code == 400
    assert "phone" in errors(response)
    assert 'value="139abc45678"' in response.text  # nothing typed is lost
    assert not Complaint.objects.exists()


def test_phone_or_email_is_refused_in_the_same_round_as_a_missing_name(client, office, assistant):
    # R-REC-3: every refusal at once, not the contact only on the second try
    data = form_data(office, phone="", email="", complainant_name="")

    found = errors(client.post(reverse("complaints:intake"), data))

    assert {"complainant_name", "phone"} <= set(found)


def test_to_improve_without_party_is_refused_with_the_field_errors(client, office, assistant):
    # R-CLS-2: the responsible party is named — said in the first round too
    data = form_data(office, classification="to_improve", description="")

    found = errors(client.post(reverse("complaints:intake"), data))

    assert {"description", "responsible_party"} <= set(found)


def test_the_unit_list_stays_narrowed_to_the_building_after_an_error(client, office, assistant):
    data = form_data(office, complainant_name="")
    building_id = data["building"]
    UnitFactory(building_id=building_id, name="1单元")
    UnitFactory(building=BuildingFactory(office=office, name="9栋"), name="2单元")

    response = client.post(reverse("complaints:intake"), data)

    units = response.context["form"].fields["unit"].queryset
    assert {unit.building_id for unit in units} == {building_id}


def test_every_part_a_complete_record_needs_is_marked(client, office, assistant):
    # R-REC-3: the request and the category are not required to save, but marked
    response = client.get(reverse("complaints:intake"))

    form = response.context["form"]
    for name in ("customer_request", "category", "room", "email", "phone"):
        assert getattr(form.fields[name], "record_part", False), name
    assert 'maxlength="10000"' in response.text  # the long texts carry their limit


def test_guide_lists_what_is_missing_before_saving(client, office, assistant):
    data = form_data(office, customer_request="", category="", phone="139abc45678")

    response = client.post(reverse("complaints:intake_guide"), data)

    missing = response.context["missing"]
    assert "客户要求" in " ".join(map(str, missing))
    assert response.context["typed_wrong"]  # the phone with letters, to be corrected
    assert not Complaint.objects.exists()  # the guide writes nothing


def test_guide_shows_the_answer_script_and_the_deadlines_of_an_urgent_complaint(
    client, office, assistant
):
    # R-CLS-5 (the script of the class), R-URG-1 (dispatch within 30 minutes), R-REPLY-2
    data = form_data(office, classification="invalid", urgent_kind="safety", reply_due="")

    response = client.post(reverse("complaints:intake_guide"), data)

    assert response.status_code == 200
    assert 'data-testid="answer-script"' in response.text
    assert "说明事实真相" in response.text  # the invalid class's script, not the apology
    assert "诚恳道歉" not in response.text
    complaint = response.context["complaint"]
    assert complaint.dispatch_due == datetime(2026, 11, 20, 10, 10, tzinfo=SHANGHAI)
    assert 'data-testid="guide-dispatch"' in response.text
    assert complaint.reply_latest.astimezone(SHANGHAI).date().isoformat() == "2026-11-25"


def test_guide_is_only_for_office_staff(client, office):
    client.force_login(staff(Role.BRANCH_GM, branch=office.branch))

    assert client.post(reverse("complaints:intake_guide"), form_data(office)).status_code == 403
