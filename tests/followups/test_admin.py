"""Closure approval in the admin (R-CLO-1..3) and the read-only follow-up records."""

from datetime import timedelta

import pytest
from django.contrib.admin import helpers
from django.contrib.messages import get_messages
from django.urls import reverse

from accounts.roles import Role
from followups.models import Contact
from followups.workflow import record_contact
from tests.factories import ComplaintFactory, OfficeFactory, staff

from .conftest import T0
from .states import revisited

NOW = T0 + timedelta(days=2)
pytestmark = [pytest.mark.django_db, pytest.mark.frozen_at(NOW), pytest.mark.usefixtures("english")]
QUEUE = reverse("admin:followups_closurerequest_changelist")


def run_action(client, action, *complaints, **data):
    return client.post(
        QUEUE,
        {"action": action, helpers.ACTION_CHECKBOX_NAME: [c.pk for c in complaints], **data},
    )


def said(response, level) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request) if m.level_tag == level]


def waiting(office, assistant, **fields):
    """A complaint revisited with a satisfied customer, waiting for approval."""
    complaint = ComplaintFactory(office=office, received_by=assistant, received_at=T0, **fields)
    return revisited(complaint, assistant, T0 + timedelta(days=1))


def listed(response) -> set[str]:
    return {row.number for row in response.context["cl"].result_list}


def test_the_manager_sees_only_the_revisited_complaints_of_their_office(
    client_as, office, assistant, manager
):
    ours = waiting(office, assistant)
    ComplaintFactory(office=office, received_by=assistant, received_at=T0)  # still in handling
    other_office = OfficeFactory(code="CH", branch=office.branch)
    theirs = waiting(other_office, staff(Role.CLIENT_ASSISTANT, office=other_office))
    response = client_as(manager).get(QUEUE)
    assert response.status_code == 200
    assert listed(response) == {ours.number}
    assert theirs.number not in response.text


def test_approving_through_the_admin_action_closes_the_complaint(
    client_as, office, assistant, manager
):
    complaint = waiting(office, assistant)
    response = run_action(client_as(manager), "approve", complaint, apply="yes")
    assert response.status_code == 302
    assert said(response, "success") == [f"{complaint.number}: closed."]
    complaint.refresh_from_db()
    assert complaint.status == "closed" and complaint.closed_by == manager  # R-CLO-3


def test_the_approve_action_refuses_a_valid_complaint_the_customer_only_understands(
    client_as, office, assistant, manager
):
    complaint = ComplaintFactory(office=office, received_by=assistant, received_at=T0)
    revisited(complaint, assistant, T0 + timedelta(days=1), outcome="understands")
    closable = waiting(office, assistant)
    response = run_action(client_as(manager), "approve", complaint, closable, apply="yes")
    errors = said(response, "error")
    assert len(errors) == 1 and complaint.number in errors[0]
    assert "a revisit where the customer is satisfied" in errors[0]  # R-CLO-1
    complaint.refresh_from_db()
    closable.refresh_from_db()
    assert complaint.status == "revisited" and closable.status == "closed"


def test_bulk_approval_first_lists_what_will_close_and_what_will_be_refused(
    client_as, office, assistant, manager
):
    # R-CLO-1, R-CLO-3: nothing closes before the manager has seen the list and confirmed
    refused = ComplaintFactory(office=office, received_by=assistant, received_at=T0)
    revisited(refused, assistant, T0 + timedelta(days=1), outcome="understands")
    closable = waiting(office, assistant)

    response = run_action(client_as(manager), "approve", refused, closable)

    assert response.status_code == 200
    will_close = response.text.split('data-testid="will-close"')[1].split("</div>")[0]
    will_refuse = response.text.split('data-testid="will-be-refused"')[1].split("</div>")[0]
    assert closable.number in will_close and refused.number not in will_close
    assert refused.number in will_refuse
    assert "a revisit where the customer is satisfied" in will_refuse  # and why
    assert (
        f'value="{refused.pk}"' not in response.text.split('name="apply"')[0].split("<form")[-1]
    )  # the confirmation carries only what will close
    refused.refresh_from_db()
    closable.refresh_from_db()
    assert refused.status == closable.status == "revisited"


def test_the_reject_action_first_asks_for_the_reason(client_as, office, assistant, manager):
    complaint = waiting(office, assistant)
    response = run_action(client_as(manager), "reject", complaint)
    assert response.status_code == 200
    assert 'name="reject-reason"' in response.text and complaint.number in response.text
    complaint.refresh_from_db()
    assert complaint.status == "revisited"


def test_rejecting_without_a_reason_is_asked_again(client_as, office, assistant, manager):
    complaint = waiting(office, assistant)
    response = run_action(
        client_as(manager), "reject", complaint, apply="yes", **{"reject-reason": " "}
    )
    assert response.status_code == 200 and "This field is required." in response.text
    complaint.refresh_from_db()
    assert complaint.status == "revisited"


def test_rejecting_with_a_reason_sends_the_complaint_back_to_handling(
    client_as, office, assistant, manager
):
    complaint = waiting(office, assistant)
    response = run_action(
        client_as(manager), "reject", complaint, apply="yes", **{"reject-reason": "措施不具体"}
    )
    assert response.status_code == 302
    complaint.refresh_from_db()
    assert complaint.status == "in_progress"  # R-CLO-3
    assert complaint.events.filter(kind="closure_rejected", note="措施不具体").exists()


def test_the_change_view_is_read_only_and_shows_what_is_missing(
    client_as, office, assistant, manager
):
    complaint = ComplaintFactory(office=office, received_by=assistant, received_at=T0)
    revisited(complaint, assistant, T0 + timedelta(days=1), outcome="understands")
    url = reverse("admin:followups_closurerequest_change", args=[complaint.pk])
    response = client_as(manager).get(url)
    assert response.status_code == 200
    assert "a revisit where the customer is satisfied" in response.text  # R-CLO-1
    assert "加强装修巡查" in response.text  # the corrective actions
    assert 'data-testid="closure-decision"' in response.text
    assert 'name="_save"' not in response.text
    assert client_as(manager).post(url, {}).status_code == 403


def test_the_closure_queue_has_no_add_or_delete(client, client_as, office, assistant, manager):
    waiting(office, assistant)
    client_as(manager)
    assert client.get(reverse("admin:followups_closurerequest_add")).status_code == 403
    actions = dict(client.get(QUEUE).context["action_form"].fields["action"].choices)
    assert "delete_selected" not in actions and {"approve", "reject"} <= set(actions)


def test_only_the_office_manager_has_the_closure_queue(client_as, office, supervisor):
    assert client_as(supervisor).get(QUEUE).status_code == 403


def test_a_supervisor_reads_the_contacts_of_the_office_but_cannot_add_one(
    client, client_as, office, complaint, assistant, supervisor
):
    record_contact(complaint, by=assistant, kind="reply", method="phone", summary="已答复", now=T0)
    client_as(supervisor)
    response = client.get(reverse("admin:followups_contact_changelist"))
    assert response.status_code == 200 and complaint.number in response.text
    assert client.get(reverse("admin:followups_contact_add")).status_code == 403
    contact = Contact.objects.get()
    change = client.get(reverse("admin:followups_contact_change", args=[contact.pk]))
    assert change.status_code == 200 and 'name="_save"' not in change.text


def test_the_branch_gm_reads_shift_reviews_and_escalations(client, client_as, office):
    gm = staff(Role.BRANCH_GM, branch=office.branch)
    client_as(gm)
    assert client.get(reverse("admin:followups_shiftreview_changelist")).status_code == 200
    assert client.get(reverse("admin:followups_escalation_changelist")).status_code == 200


def test_the_change_view_shows_the_last_revisit_in_shanghai_time(
    client_as, office, assistant, manager
):
    complaint = waiting(office, assistant)  # revisited on 2026-11-17 at 11:00, Shanghai
    url = reverse("admin:followups_closurerequest_change", args=[complaint.pk])
    response = client_as(manager).get(url)
    assert "Satisfied</strong> · Phone" in response.text
    assert "2026-11-17 11:00" in response.text


# Notices in the admin: each is its addressee's


def _notices_of_one_office(office, supervisor, manager):
    from followups.models import Notification
    from followups.notify import notify

    gm = staff(Role.BRANCH_GM, branch=office.branch)
    quality = staff(Role.QUALITY_DEPARTMENT, branch=office.branch)
    complaint = ComplaintFactory(office=office, received_at=T0)
    digest = notify(
        supervisor, Notification.Kind.DIGEST, key="digest", place=office, office=office.name,
        day="2026-11-17", total=1, open=1, urgent=0, major=0, late=0,
    )  # fmt: skip
    report = notify(
        gm, Notification.Kind.GM_REPORT, key="gm", complaint=complaint,
        text="业主情绪激动，需总经理出面", number=complaint.number,
    )  # fmt: skip
    closure = notify(
        manager, Notification.Kind.CLOSURE, key="closure", complaint=complaint,
        number=complaint.number,
    )  # fmt: skip
    return {"digest": digest, "report": report, "closure": closure, "quality": quality, "gm": gm}


def test_the_admin_lists_only_the_notices_addressed_to_the_user(
    client_as, office, supervisor, manager
):
    """Threat: every staff role of an office reads the notices to the others in the admin,
    the branch GM's day-15 report text included."""
    notices = _notices_of_one_office(office, supervisor, manager)
    url = reverse("admin:followups_notification_changelist")
    for user, own in (
        (manager, {"closure"}),
        (supervisor, {"digest"}),
        (notices["gm"], {"report"}),
        (notices["quality"], set()),
    ):
        response = client_as(user).get(url)
        assert response.status_code == 200
        shown = {row.pk for row in response.context["cl"].result_list}
        assert shown == {notices[name].pk for name in own}
    assert "业主情绪激动" not in client_as(notices["quality"]).get(url).content.decode()


def test_a_notice_to_someone_else_does_not_exist_for_the_user_in_the_admin(
    client_as, office, supervisor, manager
):
    """Threat: the change page of a colleague's notice, reached by its id, shows its text."""
    notices = _notices_of_one_office(office, supervisor, manager)
    for name in ("digest", "report"):
        url = reverse("admin:followups_notification_change", args=[notices[name].pk])
        response = client_as(manager).get(url)
        assert response.status_code == 302 and response.url == reverse("admin:index")
    own = reverse("admin:followups_notification_change", args=[notices["closure"].pk])
    assert client_as(manager).get(own).status_code == 200
