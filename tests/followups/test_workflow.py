"""Contacts, dispatch, handling, revisit and closure (R-REPLY, R-URG, R-HND, R-REV, R-CLO, R-QD)."""

from datetime import timedelta

import pytest
from django.db import IntegrityError

from accounts.roles import Role
from complaints.models import Complaint, ComplaintEvent
from complaints.workflow import record_complaint
from followups.models import Contact, Notification, Revisit
from followups.workflow import (
    ClosureRefused,
    StepRefused,
    approve_closure,
    dispatch,
    record_contact,
    record_corrective_action,
    record_revisit,
    reject_closure,
    resolve,
)
from tests.factories import CategoryFactory, ComplaintFactory, staff

from .conftest import T0

pytestmark = pytest.mark.django_db


def handle(complaint, by, at):
    record_corrective_action(
        complaint,
        by=by,
        cause="施工队未遵守时间",
        correction="已制止",
        prevention="加强巡查",
        now=at,
    )
    return resolve(complaint, by=by, now=at + timedelta(minutes=1))


def test_a_contact_moves_the_three_day_contact_clock(complaint, assistant):
    at = T0 + timedelta(days=2)
    record_contact(
        complaint, by=assistant, kind="progress", method="phone", summary="告知进展", now=at
    )
    complaint.refresh_from_db()
    assert complaint.next_contact_due == at + timedelta(days=3)  # R-URG-2
    assert complaint.status == "in_progress"


def test_the_agreed_reply_settles_the_reply_deadline(complaint, assistant):
    record_contact(
        complaint,
        by=assistant,
        kind="reply",
        method="phone",
        summary="答复",
        now=T0 + timedelta(hours=3),
    )
    complaint.refresh_from_db()
    assert complaint.replied_at == T0 + timedelta(hours=3)  # R-REPLY-3
    assert not Complaint.objects.overdue("reply", now=T0 + timedelta(days=30)).exists()


def test_a_new_reply_time_cannot_pass_the_procedures_limit(complaint, assistant):
    with pytest.raises(StepRefused):
        record_contact(
            complaint, by=assistant, kind="progress", method="phone", summary="再约",
            next_reply_due=complaint.reply_latest + timedelta(hours=1), now=T0 + timedelta(hours=1),
        )  # fmt: skip


def test_a_contact_in_the_future_is_refused(complaint, assistant):
    with pytest.raises(StepRefused):
        record_contact(
            complaint, by=assistant, kind="reply", method="phone", summary="x",
            at=T0 + timedelta(days=1), now=T0,
        )  # fmt: skip


def test_dispatch_settles_the_urgent_deadline(office, assistant):
    urgent = ComplaintFactory(office=office, urgent_kind="facility", facility_kind="lift")
    assert Complaint.objects.overdue(
        "dispatch", now=urgent.dispatch_due + timedelta(minutes=1)
    ).exists()
    dispatch(
        urgent,
        by=assistant,
        department="engineering",
        instructions="电梯困人，立即处理",
        due_at=urgent.received_at + timedelta(hours=2),
        now=urgent.received_at + timedelta(minutes=10),
    )
    assert not Complaint.objects.overdue(
        "dispatch", now=urgent.dispatch_due + timedelta(minutes=1)
    ).exists()  # R-URG-1


def test_a_valid_complaint_needs_corrective_actions_before_it_is_resolved(complaint, assistant):
    with pytest.raises(StepRefused) as refused:
        resolve(complaint, by=assistant, now=T0 + timedelta(days=1))
    assert any("纠正" in str(r) or "corrective" in str(r) for r in refused.value.reasons)  # R-HND-1


def test_resolving_sets_the_revisit_due_in_24_hours(complaint, assistant):
    resolved = handle(complaint, assistant, T0 + timedelta(days=1))
    assert resolved.status == "resolved"
    assert resolved.revisit_due == resolved.resolved_at + timedelta(hours=24)  # R-REV-1


def test_an_invalid_complaint_needs_the_managers_explanation(office, assistant, supervisor):
    invalid = ComplaintFactory(office=office, classification="invalid")
    with pytest.raises(StepRefused):
        resolve(invalid, by=assistant, now=T0 + timedelta(days=1))  # R-HND-2
    with pytest.raises(StepRefused):  # an assistant does not give the explanation
        record_contact(
            invalid, by=assistant, kind="explanation", method="visit", summary="上门说明"
        )
    with pytest.raises(StepRefused):  # nor is it given by phone
        record_contact(
            invalid, by=supervisor, kind="explanation", method="phone", summary="电话说明"
        )
    record_contact(invalid, by=supervisor, kind="explanation", method="visit", summary="上门说明")
    assert resolve(invalid, by=assistant).status == "resolved"


def test_a_satisfied_revisit_waits_for_the_managers_approval(complaint, assistant, manager):
    handle(complaint, assistant, T0 + timedelta(days=1))
    record_revisit(
        complaint,
        by=assistant,
        method="phone",
        outcome="satisfied",
        courteous=True,
        now=T0 + timedelta(days=1, hours=3),
    )
    complaint.refresh_from_db()
    assert complaint.status == "revisited"
    assert Notification.objects.filter(
        recipient=manager, kind="closure", complaint=complaint
    ).exists()


def test_an_unreachable_customer_keeps_the_complaint_open_and_counts_the_attempt(
    complaint, assistant
):
    handle(complaint, assistant, T0 + timedelta(days=1))
    record_revisit(complaint, by=assistant, method="phone", outcome="unreachable")
    complaint.refresh_from_db()
    assert complaint.status == "resolved" and complaint.revisit_attempts == 1


def test_an_unsatisfied_customer_starts_a_new_linked_complaint(complaint, assistant):
    handle(complaint, assistant, T0 + timedelta(days=1))
    record_revisit(
        complaint, by=assistant, method="phone", outcome="unsatisfied", remarks="噪音仍在持续"
    )
    complaint.refresh_from_db()
    assert complaint.status == "superseded"  # R-REV-2
    successor = Complaint.objects.get(linked_to=complaint)
    assert successor.description == "噪音仍在持续" and successor.status == "recorded"
    assert successor.complainant_name == complaint.complainant_name


def test_an_unsatisfied_revisit_records_the_customers_words(complaint, assistant):
    handle(complaint, assistant, T0 + timedelta(days=1))
    with pytest.raises(StepRefused):
        record_revisit(complaint, by=assistant, method="phone", outcome="unsatisfied", remarks="")


def revisited(complaint, assistant, outcome="satisfied"):
    handle(complaint, assistant, T0 + timedelta(days=1))
    record_revisit(complaint, by=assistant, method="phone", outcome=outcome)
    complaint.refresh_from_db()
    return complaint


def test_the_office_manager_approves_the_closure(complaint, assistant, manager):
    closed = approve_closure(revisited(complaint, assistant), by=manager)
    assert closed.status == "closed" and closed.closed_by == manager  # R-CLO-3
    assert closed.events.filter(kind=ComplaintEvent.Kind.CLOSED, actor=manager).exists()


def test_an_assistant_cannot_approve_a_closure(complaint, assistant):
    with pytest.raises(ClosureRefused):
        approve_closure(revisited(complaint, assistant), by=assistant)


def test_a_manager_of_another_office_cannot_approve(complaint, assistant):
    from tests.factories import OfficeFactory

    outsider = staff(Role.OFFICE_MANAGER, office=OfficeFactory(code="CH"))
    with pytest.raises(ClosureRefused):
        approve_closure(revisited(complaint, assistant), by=outsider)


def test_a_valid_complaint_does_not_close_on_mere_understanding(complaint, assistant, manager):
    with pytest.raises(ClosureRefused) as refused:
        approve_closure(revisited(complaint, assistant, outcome="understands"), by=manager)
    assert refused.value.reasons  # R-CLO-1: names the missing satisfied revisit


def test_a_to_improve_complaint_closes_when_the_customer_understands(office, assistant, manager):
    complaint = ComplaintFactory(
        office=office, classification="to_improve", responsible_party="开发商"
    )
    assert (
        approve_closure(revisited(complaint, assistant, outcome="understands"), by=manager).status
        == "closed"
    )  # R-CLO-2


def test_closure_lists_every_missing_condition(office, assistant, manager):
    complaint = ComplaintFactory(office=office, customer_request="", building=None, room="")
    with pytest.raises(ClosureRefused) as refused:
        approve_closure(complaint, by=manager)
    assert len(refused.value.reasons) == 4  # not revisited, incomplete, no handling, no revisit


def test_a_closed_complaint_is_not_closed_twice(complaint, assistant, manager):
    approve_closure(revisited(complaint, assistant), by=manager)
    with pytest.raises(ClosureRefused):
        approve_closure(complaint, by=manager)


def test_rejecting_needs_a_reason_and_sends_it_back_to_handling(complaint, assistant, manager):
    complaint = revisited(complaint, assistant)
    with pytest.raises(StepRefused):
        reject_closure(complaint, by=manager, reason=" ")
    reject_closure(complaint, by=manager, reason="预防措施不具体")
    complaint.refresh_from_db()
    assert complaint.status == "in_progress"
    assert Notification.objects.filter(
        recipient=assistant, kind="rejected", body="预防措施不具体"
    ).exists()


def test_the_database_refuses_a_closure_without_an_approver(complaint):
    with pytest.raises(IntegrityError):
        Complaint.objects.filter(pk=complaint.pk).update(status="closed")  # R-CLO-3


def test_quality_department_records_a_branch_complaint_for_a_manager(office, manager):
    quality = staff(Role.QUALITY_DEPARTMENT, branch=office.branch)
    complaint = ComplaintFactory.build(
        office=office, handler=manager, channel="branch", category=CategoryFactory()
    )
    complaint.received_by = quality
    complaint.reply_due = None
    complaint.answered_at_once = True
    recorded = record_complaint(complaint, by=quality)  # R-QD-1
    assert recorded.handler == manager and recorded.channel == "branch"
    assert Notification.objects.filter(recipient=manager, kind="assigned").exists()


def test_a_branch_complaint_must_name_an_office_manager(office, assistant):
    quality = staff(Role.QUALITY_DEPARTMENT, branch=office.branch)
    complaint = ComplaintFactory.build(
        office=office, handler=assistant, channel="branch", category=CategoryFactory()
    )
    complaint.received_by = quality
    complaint.answered_at_once = True
    complaint.reply_due = None
    from complaints.workflow import IntakeRefused

    with pytest.raises(IntakeRefused) as refused:
        record_complaint(complaint, by=quality)
    assert "handler" in refused.value.reasons
    assert Contact.objects.count() == 0 and Revisit.objects.count() == 0


def test_the_day_15_report_is_sent_once(complaint, manager, office):
    from followups.clocks import escalation_scan
    from followups.models import Escalation
    from followups.workflow import report_to_branch_gm

    gm = staff(Role.BRANCH_GM, branch=office.branch)
    escalation_scan(now=T0 + timedelta(days=15, minutes=1))
    escalation = Escalation.objects.get(level=15)
    report_to_branch_gm(escalation, by=manager, report="已协调开发商处理")  # R-FUP-3
    assert Notification.objects.filter(recipient=gm, key=f"gm_report:{escalation.pk}").exists()
    with pytest.raises(StepRefused):
        report_to_branch_gm(escalation, by=manager, report="再次报告")
