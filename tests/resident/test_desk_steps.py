"""The desk's steps on a tracking link (#17 item 1): revoke and issue a new one."""

import pytest
from django.urls import reverse

from complaints.models import ComplaintEvent
from resident.links import issue_link, link_for_token
from resident.models import TrackingLink
from tests.factories import staff

pytestmark = pytest.mark.django_db


def test_the_complaint_page_shows_the_code_the_link_and_its_qr_code(record, supervisor_client):
    complaint = record()
    link, token = issue_link(complaint)
    page = supervisor_client.get(reverse("complaints:detail", args=[complaint.pk])).content.decode()
    assert link.display_code in page
    assert f"/t/{token}/" in page
    assert 'data-testid="tracking-qr"' in page and "data:image/svg+xml" in page


def test_issuing_a_new_link_revokes_the_old_one_with_a_line_on_the_timeline(
    record, supervisor, supervisor_client
):
    complaint = record()
    _old, old_token = issue_link(complaint)
    response = supervisor_client.post(reverse("resident:reissue", args=[complaint.pk]))
    assert response.status_code == 302
    assert link_for_token(old_token) is None
    new = TrackingLink.objects.live().get(complaint=complaint)
    assert new.created_by == supervisor
    assert complaint.events.filter(
        kind=ComplaintEvent.Kind.TRACKING_LINK, actor=supervisor
    ).exists()


def test_revoking_leaves_the_complaint_without_a_live_link(record, assistant, assistant_client):
    complaint = record()
    _link, token = issue_link(complaint)
    assistant_client.post(reverse("resident:revoke", args=[complaint.pk]))
    assert link_for_token(token) is None
    assert not TrackingLink.objects.live().filter(complaint=complaint).exists()
    assert complaint.events.filter(
        kind=ComplaintEvent.Kind.TRACKING_LINK_REVOKED, actor=assistant
    ).exists()


@pytest.mark.parametrize("step", ["resident:reissue", "resident:revoke"])
def test_another_offices_staff_cannot_touch_the_link(other_office, client_as, record, step):
    """Threat: staff of another office revoke or reissue a resident's link (404, nothing done)."""
    complaint = record()
    link, token = issue_link(complaint)
    client = client_as(staff("customer_supervisor", office=other_office))
    assert client.post(reverse(step, args=[complaint.pk])).status_code == 404
    assert link_for_token(token) == link


def test_the_branch_sees_the_link_but_only_the_office_changes_it(record, quality_client):
    """Threat: a branch role, who may read the complaint, revokes the office's link."""
    complaint = record()
    link, token = issue_link(complaint)
    page = quality_client.get(reverse("complaints:detail", args=[complaint.pk])).content.decode()
    assert link.display_code in page and 'data-testid="tracking-revoke"' not in page
    assert quality_client.post(reverse("resident:revoke", args=[complaint.pk])).status_code == 404
    assert link_for_token(token) == link


def test_a_get_changes_nothing(record, supervisor_client):
    complaint = record()
    link, token = issue_link(complaint)
    assert supervisor_client.get(reverse("resident:revoke", args=[complaint.pk])).status_code == 405
    assert link_for_token(token) == link
