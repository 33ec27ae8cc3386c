"""The complaint desk's admin: scoped by office, and never a side door around the workflow."""

from datetime import date

import pytest
from django.urls import reverse

from accounts.roles import Role
from complaints.models import CalendarOverride, Complaint, ComplaintEvent
from tests.factories import (
    BranchFactory,
    ComplaintFactory,
    DutyLogEntryFactory,
    OfficeFactory,
    staff,
)

pytestmark = pytest.mark.django_db


def change_data(complaint: Complaint, **changes) -> dict:
    """The fields the change form posts for `complaint`, with `changes` applied."""
    data = {
        "complainant_name": complaint.complainant_name,
        "phone": complaint.phone,
        "email": complaint.email,
        "building": complaint.building_id or "",
        "unit": complaint.unit_id or "",
        "room": complaint.room,
        "address_note": complaint.address_note,
        "temperament": complaint.temperament,
        "channel": complaint.channel,
        "category": complaint.category_id or "",
        "classification": complaint.classification,
        "responsible_party": complaint.responsible_party,
        "severity": complaint.severity,
        "description": complaint.description,
        "customer_request": complaint.customer_request,
        "events-TOTAL_FORMS": "0",
        "events-INITIAL_FORMS": "0",
    }
    data.update(changes)
    return data


def test_a_managers_complaint_list_shows_only_their_office(manager_client, office, other_office):
    ours = ComplaintFactory(office=office)
    ComplaintFactory(office=other_office)
    response = manager_client.get(reverse("admin:complaints_complaint_changelist"))
    assert response.status_code == 200
    assert list(response.context["cl"].queryset) == [ours]


def test_the_office_filter_lists_only_offices_in_scope(quality_client, office, other_office):
    for each in (office, other_office, OfficeFactory(code="X")):  # X: an office of another branch
        ComplaintFactory(office=each)
    response = quality_client.get(reverse("admin:complaints_complaint_changelist"))
    office_filter = next(f for f in response.context["cl"].filter_specs if f.field_path == "office")
    assert {label for _pk, label in office_filter.lookup_choices} == {
        office.name,
        other_office.name,
    }


def test_another_offices_complaint_cannot_be_opened(manager_client, office, other_office):
    theirs = ComplaintFactory(office=other_office)
    response = manager_client.get(reverse("admin:complaints_complaint_change", args=[theirs.pk]))
    # The admin answers a missing object with a redirect to its index and a message.
    assert response.status_code == 302
    assert response["Location"] == reverse("admin:index")


def test_complaints_cannot_be_added_in_the_admin(superuser_client):
    # R-REC-1: intake goes through the workflow, which also writes the duty-log line.
    response = superuser_client.get(reverse("admin:complaints_complaint_add"))
    assert response.status_code == 403


def test_complaints_cannot_be_deleted_in_the_admin(superuser_client):
    complaint = ComplaintFactory()
    response = superuser_client.post(
        reverse("admin:complaints_complaint_delete", args=[complaint.pk]), {"post": "yes"}
    )
    assert response.status_code == 403
    assert Complaint.objects.filter(pk=complaint.pk).exists()


def test_the_bulk_delete_action_is_not_offered(superuser_client):
    ComplaintFactory()
    response = superuser_client.get(reverse("admin:complaints_complaint_changelist"))
    assert response.status_code == 200
    assert "delete_selected" not in response.text


def test_the_status_cannot_be_changed_in_the_admin(superuser_client):
    complaint = ComplaintFactory(status="in_progress")
    url = reverse("admin:complaints_complaint_change", args=[complaint.pk])
    assert "status" not in superuser_client.get(url).context["adminform"].form.fields
    response = superuser_client.post(
        url, change_data(complaint, status="closed", complainant_name="王女士")
    )
    assert response.status_code == 302
    complaint.refresh_from_db()
    assert complaint.complainant_name == "王女士"  # the post went through
    assert complaint.status == "in_progress"


def test_a_correction_in_the_admin_is_written_on_the_timeline(superuser_client, superuser):
    complaint = ComplaintFactory()
    superuser_client.post(
        reverse("admin:complaints_complaint_change", args=[complaint.pk]),
        change_data(complaint, phone="139 0013 9000"),
    )
    complaint.refresh_from_db()
    assert complaint.phone == "+8613900139000"  # stored normalised, found by the lookup
    event = complaint.events.get()
    assert event.kind == ComplaintEvent.Kind.EDITED
    assert event.actor == superuser
    assert event.data["fields"] == ["phone"]


def test_the_admin_search_finds_a_phone_typed_with_spaces(superuser_client):
    match = ComplaintFactory(phone="+8613800138000")
    ComplaintFactory(phone="+8613900139001")
    response = superuser_client.get(
        reverse("admin:complaints_complaint_changelist"), {"q": "138 0013 8000"}
    )
    assert list(response.context["cl"].queryset) == [match]


def test_the_timeline_cannot_be_added_to_or_edited_in_the_admin(superuser_client):
    complaint = ComplaintFactory()
    event = ComplaintEvent.objects.create(complaint=complaint, kind=ComplaintEvent.Kind.RECORDED)
    assert superuser_client.get(reverse("admin:complaints_complaintevent_add")).status_code == 403
    change_url = reverse("admin:complaints_complaintevent_change", args=[event.pk])
    assert superuser_client.post(change_url, {"kind": "closed"}).status_code == 403
    delete_url = reverse("admin:complaints_complaintevent_delete", args=[event.pk])
    assert superuser_client.post(delete_url, {"post": "yes"}).status_code == 403
    event.refresh_from_db()
    assert event.kind == ComplaintEvent.Kind.RECORDED


def test_the_timeline_lists_only_events_of_the_managers_office(
    manager_client, office, other_office
):
    ours = ComplaintEvent.objects.create(complaint=ComplaintFactory(office=office), kind="recorded")
    ComplaintEvent.objects.create(complaint=ComplaintFactory(office=other_office), kind="recorded")
    response = manager_client.get(reverse("admin:complaints_complaintevent_changelist"))
    assert list(response.context["cl"].queryset) == [ours]


def test_the_duty_log_lists_only_lines_of_the_managers_office(manager_client, office, other_office):
    ours = DutyLogEntryFactory(office=office)
    DutyLogEntryFactory(office=other_office)
    response = manager_client.get(reverse("admin:complaints_dutylogentry_changelist"))
    assert list(response.context["cl"].queryset) == [ours]


def test_calendar_overrides_of_another_branch_are_not_listed(client):
    own, other = BranchFactory(), BranchFactory()
    OfficeFactory(branch=own)
    everywhere = CalendarOverride.objects.create(day=date(2026, 10, 10), kind="working_day")
    ours = CalendarOverride.objects.create(day=date(2026, 10, 11), kind="day_off", branch=own)
    CalendarOverride.objects.create(day=date(2026, 10, 12), kind="day_off", branch=other)
    client.force_login(staff(Role.QUALITY_DEPARTMENT, branch=own))
    response = client.get(reverse("admin:complaints_calendaroverride_changelist"))
    assert set(response.context["cl"].queryset) == {everywhere, ours}


def test_a_new_calendar_override_offers_only_the_users_branch(client):
    own = BranchFactory()
    BranchFactory()
    OfficeFactory(branch=own)
    client.force_login(staff(Role.QUALITY_DEPARTMENT, branch=own))
    response = client.get(reverse("admin:complaints_calendaroverride_add"))
    assert list(response.context["adminform"].form.fields["branch"].queryset) == [own]


def test_categories_are_not_edited_in_the_list(client):
    """Threat: Django checks a list edit per model, not per row, so a branch's quality
    department could rename every branch's categories from the list (security.md)."""
    client.force_login(staff(Role.QUALITY_DEPARTMENT, branch=BranchFactory()))
    response = client.get(reverse("admin:complaints_category_changelist"))
    assert response.status_code == 200
    assert not response.context["cl"].list_editable


def test_a_manager_reads_their_offices_complaint_with_its_timeline(manager_client, office):
    complaint = ComplaintFactory(office=office)
    ComplaintEvent.objects.create(
        complaint=complaint, kind=ComplaintEvent.Kind.REPEAT_CALL, note="客户再次来电催促"
    )
    response = manager_client.get(reverse("admin:complaints_complaint_change", args=[complaint.pk]))
    assert response.status_code == 200
    assert complaint.number in response.text
    assert "客户再次来电催促" in response.text
