"""Leaks the isolation sweep led to, each proven on its own (issue #7).

Threat: a record of one office carries a link to another office's record, and every page of
the first office then shows the second office's complaint number, status or website scan."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.roles import Role
from complaints.models import Complaint
from complaints.workflow import IntakeRefused, record_complaint
from tests.factories import (
    BuildingFactory,
    CategoryFactory,
    ComplaintFactory,
    OfficeFactory,
    WebsiteScanFactory,
    staff,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def offices():
    here = OfficeFactory(code="HERE", name="Office here")
    return here, OfficeFactory(code="NEXT", name="Office next door", branch=here.branch)


def branch_complaint(office, **fields) -> Complaint:
    """What the quality department records for `office` on the intake page (R-QD-1)."""
    now = timezone.now()
    return Complaint(
        office=office,
        channel="branch",
        complainant_name="Mr Wang",
        phone="+8613800138000",
        building=BuildingFactory(office=office),
        room="1502",
        received_at=now - timedelta(minutes=20),
        category=CategoryFactory(),
        description="noise at night",
        customer_request="stop it",
        reply_due=now + timedelta(days=1),
        handler=staff(Role.OFFICE_MANAGER, office=office),
        **fields,
    )


def test_a_complaint_cannot_follow_a_complaint_of_another_office(offices):
    # Threat: the quality department (who sees the whole branch, R-QD-1) links a complaint of
    # one office to another office's; that office's staff then read the other's number and
    # status on the complaint page ("Follows …").
    """Threat: a complaint linked to another office's complaint shows that office's record."""
    here, next_door = offices
    quality = staff(Role.QUALITY_DEPARTMENT, branch=here.branch)
    theirs = ComplaintFactory(office=next_door)
    with pytest.raises(IntakeRefused) as refused:
        record_complaint(branch_complaint(here, linked_to=theirs), by=quality)
    assert set(refused.value.reasons) == {"linked_to"}
    assert not Complaint.objects.filter(office=here).exists()


def test_a_complaint_cannot_come_from_another_offices_website_scan(offices):
    # Threat: as above, through the website scan a complaint was found in (R-CHAN-2): the
    # complaint page shows the scan's site and time to the other office.
    """Threat: a complaint naming another office's website scan shows that office's findings."""
    here, next_door = offices
    quality = staff(Role.QUALITY_DEPARTMENT, branch=here.branch)
    scan = WebsiteScanFactory(office=next_door, findings="a post about the lift")
    with pytest.raises(IntakeRefused) as refused:
        record_complaint(branch_complaint(here, website_scan=scan), by=quality)
    assert set(refused.value.reasons) == {"website_scan"}


def test_the_intake_page_explains_the_refused_link(client, offices):
    # The refusal is a form error on the page, never a server error (issue #7).
    """Threat: a refused link is a 500 or silently dropped instead of a message."""
    here, next_door = offices
    quality = staff(Role.QUALITY_DEPARTMENT, branch=here.branch)
    theirs = ComplaintFactory(office=next_door)
    complaint = branch_complaint(here)
    client.force_login(quality)
    response = client.post(
        reverse("complaints:intake"),
        {
            "office": here.pk,
            "channel": "branch",
            "complainant_name": complaint.complainant_name,
            "phone": "13800138000",
            "building": complaint.building.pk,
            "room": "1502",
            "received_at": timezone.localtime(complaint.received_at).strftime("%Y-%m-%dT%H:%M"),
            "category": complaint.category.pk,
            "classification": "valid",
            "severity": "general",
            "description": complaint.description,
            "customer_request": complaint.customer_request,
            "reply_due": timezone.localtime(complaint.reply_due).strftime("%Y-%m-%dT%H:%M"),
            "handler": complaint.handler.pk,
            "linked_to": theirs.pk,
        },
    )
    assert response.status_code == 400
    assert "linked_to" in response.context["form"].errors
    assert not Complaint.objects.filter(office=here).exists()


def test_a_users_page_in_the_admin_lists_only_memberships_in_scope(client):
    # Threat: an office manager opens the admin page of a colleague who also works for an
    # office of another branch, and its membership inline names that office (and that the
    # colleague works there): the membership list itself is scoped, the inline was not.
    """Threat: a user's admin page lists their memberships in offices the reader may not see."""
    here = OfficeFactory(code="HERE", name="Office here")
    elsewhere = OfficeFactory(code="FAR", name="Office far away")
    colleague = staff(Role.CLIENT_ASSISTANT, office=here)
    colleague.memberships.create(role=Role.CLIENT_ASSISTANT, office=elsewhere)
    client.force_login(staff(Role.OFFICE_MANAGER, office=here))
    response = client.get(reverse("admin:accounts_user_change", args=[colleague.pk]))
    assert response.status_code == 200
    assert "Office here" in response.text
    assert "Office far away" not in response.text


def test_a_complaint_is_not_received_by_staff_of_another_office(offices):
    # Threat: the quality department names another office's assistant as the one who received
    # the complaint; the deadline scan then tells that assistant about every passed deadline of
    # it, complainant and matter included, in their inbox and by e-mail.
    """Threat: naming another office's staff as receiver sends them this office's deadlines."""
    here, next_door = offices
    quality = staff(Role.QUALITY_DEPARTMENT, branch=here.branch)
    outsider = staff(Role.CLIENT_ASSISTANT, office=next_door)
    with pytest.raises(IntakeRefused) as refused:
        record_complaint(branch_complaint(here, received_by=outsider), by=quality)
    assert set(refused.value.reasons) == {"received_by"}


def test_the_quality_department_may_have_received_it_itself(offices):
    """The sanity case: the branch quality department may be the receiver of what it records."""
    here, _next_door = offices
    quality = staff(Role.QUALITY_DEPARTMENT, branch=here.branch)
    complaint = record_complaint(branch_complaint(here, received_by=quality), by=quality)
    assert complaint.received_by == quality
