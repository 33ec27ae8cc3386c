"""The desk's check of a complaint from the community's page (complaints.community): the queue on
the assistant's home page, the check page scoped to the office, and what the check records
(R-REC-1, R-REC-2, R-REC-3, R-CLS-2, R-SEV-1, R-URG-1)."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse

from accounts.roles import Role
from complaints.community import CheckRefused, check_community_complaint
from complaints.models import Complaint, ComplaintEvent, DutyLogEntry
from followups.models import Notification
from tests.factories import BuildingFactory, CategoryFactory, staff
from tests.resident.community import fresh_limits, sent_from_community  # noqa: F401

SHANGHAI = ZoneInfo("Asia/Shanghai")
NOW = datetime(2026, 12, 2, 9, 0, tzinfo=SHANGHAI)
pytestmark = [pytest.mark.django_db, pytest.mark.frozen_at(NOW)]


def sent(office, *, at=NOW) -> Complaint:
    return sent_from_community(office, at=at, building=BuildingFactory(office=office, name="3栋"))


def values(**overrides):
    data = {
        "classification": "valid",
        "responsible_party": "",
        "category": CategoryFactory(name="公共设施故障").pk,
        "severity": "serious",
        "is_major": False,
        "urgent_kind": "",
        "facility_kind": "",
    }
    data.update(overrides)
    return data


def test_the_assistants_home_counts_what_waits_for_a_check(assistant_client, office):
    sent(office)
    response = assistant_client.get(reverse("home"))
    tile = next(t for t in response.context["queue"].tiles if t.name == "to_check")
    assert tile.count == 1 and tile.alarm
    listed = assistant_client.get(tile.url)
    assert [c.pk for c, _d, _w in listed.context["rows"]] == [Complaint.objects.get().pk]
    assert 'data-testid="badge-to-check"' in listed.text


def test_the_check_sets_class_category_severity_and_enters_the_record(
    assistant_client, assistant, office
):
    """R-REC-1..3: the checker received and entered it; the duty log has its line."""
    complaint = sent(office, at=NOW - timedelta(minutes=90))
    url = reverse("complaints:check", args=[complaint.pk])
    assert assistant_client.get(url).status_code == 200
    data = values()
    response = assistant_client.post(url, data)
    assert response.status_code == 302
    complaint.refresh_from_db()
    assert not complaint.awaiting_check
    assert complaint.classification == "valid" and complaint.severity == "serious"
    assert complaint.category_id == data["category"]
    assert complaint.received_by == assistant == complaint.entered_by
    assert complaint.entered_at == NOW and not complaint.entered_late  # within 2 hours
    assert complaint.received_at == NOW - timedelta(minutes=90)  # the submission stays
    assert complaint.is_complete
    assert complaint.events.filter(kind=ComplaintEvent.Kind.CHECKED, actor=assistant).exists()
    line = DutyLogEntry.objects.get(complaint=complaint)
    assert line.occurred_at == complaint.received_at and line.recorder == assistant
    assert "社区投诉页" in line.matter


def test_a_check_after_two_hours_marks_the_entry_late(assistant, office):
    """R-REC-2: the 2 hours run from the submission, not from the check."""
    complaint = sent(office, at=NOW - timedelta(hours=2, minutes=1))
    checked = check_community_complaint(complaint, by=assistant, values=_model_values())
    assert checked.entered_late
    assert Complaint.objects.overdue("entry").filter(pk=complaint.pk).exists()


def test_an_urgent_matter_is_due_for_dispatch_from_the_submission(assistant, office):
    """R-URG-1: a lift out of order is dispatched within the office's time of the submission."""
    complaint = sent(office, at=NOW - timedelta(minutes=10))
    checked = check_community_complaint(
        complaint,
        by=assistant,
        values=_model_values(urgent_kind="facility", facility_kind="lift"),
    )
    assert checked.dispatch_due == complaint.received_at + timedelta(
        minutes=office.dispatch_minutes
    )


def test_a_major_complaint_goes_to_the_office_manager_at_the_check(assistant, manager, office):
    """R-SEV-1: the manager is told when the desk finds it major."""
    checked = check_community_complaint(
        sent(office), by=assistant, values=_model_values(is_major=True)
    )
    assert checked.major_since == NOW
    assert Notification.objects.filter(recipient=manager, kind="major").exists()


def test_the_check_refuses_with_every_reason(assistant, office):
    """R-CLS-2: a to-improve complaint names its party; a category is chosen."""
    complaint = sent(office)
    with pytest.raises(CheckRefused) as refused:
        check_community_complaint(
            complaint,
            by=assistant,
            values=_model_values(classification="to_improve", category=None),
        )
    assert set(refused.value.reasons) == {"responsible_party", "category"}
    complaint.refresh_from_db()
    assert complaint.awaiting_check


def test_a_complaint_is_checked_once(assistant, office):
    complaint = sent(office)
    check_community_complaint(complaint, by=assistant, values=_model_values())
    with pytest.raises(CheckRefused) as refused:
        check_community_complaint(complaint, by=assistant, values=_model_values())
    assert "__all__" in refused.value.reasons
    assert ComplaintEvent.objects.filter(kind=ComplaintEvent.Kind.CHECKED).count() == 1


def test_another_offices_assistant_gets_404(client_as, office, other_office):
    theirs = staff(Role.CLIENT_ASSISTANT, office=other_office)
    complaint = sent(office)
    client = client_as(theirs)
    url = reverse("complaints:check", args=[complaint.pk])
    assert client.get(url).status_code == 404
    assert client.post(url, values()).status_code == 404
    complaint.refresh_from_db()
    assert complaint.awaiting_check


def test_the_branch_reads_it_but_does_not_check_it(branch_gm_client, office):
    complaint = sent(office)
    assert (
        branch_gm_client.get(reverse("complaints:detail", args=[complaint.pk])).status_code == 200
    )
    assert branch_gm_client.get(reverse("complaints:check", args=[complaint.pk])).status_code == 404


def test_a_checked_complaints_check_page_leads_to_the_complaint(
    assistant_client, assistant, office
):
    complaint = sent(office)
    check_community_complaint(complaint, by=assistant, values=_model_values())
    response = assistant_client.get(reverse("complaints:check", args=[complaint.pk]))
    assert response["Location"] == reverse("complaints:detail", args=[complaint.pk])


def test_the_detail_page_of_a_complaint_to_check_offers_the_check(assistant_client, office):
    complaint = sent(office)
    response = assistant_client.get(reverse("complaints:detail", args=[complaint.pk]))
    assert response.status_code == 200
    assert reverse("complaints:check", args=[complaint.pk]) in response.text
    assert "尚无人受理" in response.text


def _model_values(**overrides):
    data = values(**overrides)
    category = data.pop("category")
    from complaints.models import Category

    data["category"] = Category.objects.get(pk=category) if category else None
    return data


def test_the_record_is_completed_only_after_its_check(supervisor, assistant, office):
    """R-REC-3: the check sets class, category and severity; the record card waits for it."""
    from complaints.workflow import may_complete_record

    complaint = sent(office)
    assert not may_complete_record(supervisor, complaint)
    checked = check_community_complaint(complaint, by=assistant, values=_model_values())
    assert may_complete_record(supervisor, checked)


def test_the_complaint_is_announced_as_recorded_once_at_the_submission(assistant, office):
    """R-REC-1: one complaint, one `complaint_recorded` — the resident's tracking link is
    issued on it, and a second one at the check would revoke the link they were given."""
    from complaints.signals import complaint_recorded

    heard = []

    def listen(sender, complaint, by, now, **kwargs):
        heard.append((complaint.pk, by))

    complaint_recorded.connect(listen, dispatch_uid="test-community-once")
    try:
        complaint = sent(office)
        check_community_complaint(complaint, by=assistant, values=_model_values(is_major=True))
    finally:
        complaint_recorded.disconnect(dispatch_uid="test-community-once")
    assert heard == [(complaint.pk, None)]


def test_the_residents_link_outlives_the_check(client, assistant, office):
    """The link shown on the thank-you page still opens the complaint once it is checked."""
    from resident.models import TrackingLink
    from tests.resident.community import submission

    client.post(reverse("resident:community", args=[office.code]), submission(office))
    complaint = Complaint.objects.get()
    link = TrackingLink.objects.get(complaint=complaint)
    check_community_complaint(complaint, by=assistant, values=_model_values())
    link.refresh_from_db()
    assert link.is_live and TrackingLink.objects.filter(complaint=complaint).count() == 1
