"""Demo follow-ups: walk the demo complaints through the procedure, each through the workflow,
so the desk shows every state — in progress, resolved, revisited, closed, superseded."""

import random
from datetime import timedelta

from django.db.models import Q
from django.utils import timezone

from accounts.roles import Role
from accounts.staffing import staff
from complaints.models import Complaint

from . import workflow

SEED = 20261123
REMARKS = ["噪音问题仍未解决", "维修后问题又出现了", "对处理结果不满意"]


def _staff(office, role):
    return list(staff(office, role).order_by("username"))


def seed_followups(complaint_ids) -> int:
    """Advance the given demo complaints according to their age; return how many moved."""
    rng = random.Random(SEED)
    now = timezone.now()
    moved = 0
    complaints = Complaint.objects.filter(pk__in=complaint_ids).select_related("office")
    for complaint in complaints.order_by("received_at"):
        age = now - complaint.received_at
        assistants = _staff(complaint.office, Role.CLIENT_ASSISTANT)
        supervisor = _staff(complaint.office, Role.CUSTOMER_SUPERVISOR)[0]
        manager = _staff(complaint.office, Role.OFFICE_MANAGER)[0]
        by = rng.choice(assistants)
        step = complaint.received_at + timedelta(hours=rng.randint(2, 20))
        if age < timedelta(days=1) or step > now:
            continue
        try:
            if not complaint.answered_at_once:
                workflow.record_contact(
                    complaint,
                    by=by,
                    kind="reply",
                    method="phone",
                    summary="已答复客户处理方案",
                    now=step,
                )
            if age < timedelta(days=4) and rng.random() < 0.5:
                moved += 1
                continue  # still being handled
            step += timedelta(hours=rng.randint(4, 40))
            if step > now - timedelta(hours=2):
                continue
            if complaint.classification == "invalid":
                workflow.record_contact(
                    complaint,
                    by=supervisor,
                    kind="explanation",
                    method="visit",
                    summary="上门说明事实真相",
                    now=step,
                )
            else:
                workflow.record_corrective_action(
                    complaint,
                    by=by,
                    cause="现场核实后确认原因",
                    correction="已安排相关部门处理完毕",
                    prevention="纳入日常巡查，防止再次发生",
                    now=step,
                )
            if age > timedelta(days=12) and rng.random() < 0.15:
                moved += 1
                continue  # an old one still open: the escalation ladder shows it
            workflow.resolve(complaint, by=by, now=step + timedelta(minutes=5))
            visit_at = step + timedelta(hours=rng.randint(1, 30))
            if visit_at > now:
                moved += 1
                continue
            outcome = rng.choices(
                ["satisfied", "understands", "unsatisfied", "unreachable"], weights=[75, 12, 6, 7]
            )[0]
            if complaint.classification == "valid" and outcome == "understands":
                outcome = "satisfied"
            workflow.record_revisit(
                complaint,
                by=rng.choice([by, supervisor]),
                method=rng.choice(["phone", "visit"]),
                outcome=outcome,
                courteous=rng.random() < 0.95,
                remarks=rng.choice(REMARKS) if outcome == "unsatisfied" else "",
                now=visit_at,
            )
            complaint.refresh_from_db()
            if (
                complaint.status == "revisited"
                and rng.random() < 0.8
                and visit_at + timedelta(hours=4) < now
            ):
                workflow.approve_closure(complaint, by=manager, now=visit_at + timedelta(hours=4))
            moved += 1
        except workflow.StepRefused:
            continue
    return moved


def demo_complaint_ids():
    return Complaint.objects.filter(Q(office__code__in=["HY", "CH", "BH"])).values_list(
        "pk", flat=True
    )
