"""The month's rules seen in a real browser: the office manager reports a major complaint to
the branch leadership from its page (R-SEV-1), and a resolved complaint says what it waits for
instead of counting down."""

from datetime import timedelta

import pytest
from django.utils import timezone

from accounts.roles import Role
from complaints.workflow import correct_record
from followups.models import MajorReport, Notification
from followups.workflow import record_corrective_action, resolve
from tests.factories import ComplaintFactory, OfficeFactory, staff

from .test_complaint_life_browser import submit_step

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser]


def test_the_manager_reports_a_major_complaint_to_the_branch_from_its_page(page, login):
    office = OfficeFactory(code="HY")
    assistant = staff(Role.CLIENT_ASSISTANT, office=office)
    manager = staff(Role.OFFICE_MANAGER, office=office)
    gm = staff(Role.BRANCH_GM, branch=office.branch)
    complaint = ComplaintFactory(office=office, received_by=assistant)
    complaint.is_major = True
    correct_record(complaint, by=assistant, changed={"is_major": "major"})

    login(manager)
    page.goto(f"/complaints/{complaint.pk}/")
    answer_by = timezone.localtime(timezone.now() + timedelta(days=1))
    submit_step(
        page,
        "major_report",
        {
            "#id_major-report": "涉及整栋停水，已电话上报总经理",
            "#id_major-answer_expected_at": f"{answer_by:%Y-%m-%dT%H:%M}",
        },
    )
    assert page.get_by_test_id("step-major_report").count() == 0
    assert MajorReport.objects.filter(complaint=complaint).exists()
    assert Notification.objects.filter(recipient=gm, kind="major_leadership").exists()


def test_a_resolved_complaint_says_it_waits_for_the_revisit(page, login):
    office = OfficeFactory(code="HY")
    assistant = staff(Role.CLIENT_ASSISTANT, office=office)
    complaint = ComplaintFactory(office=office, received_by=assistant)
    record_corrective_action(complaint, by=assistant, cause="c", correction="k", prevention="p")
    resolve(complaint, by=assistant)

    login(assistant)
    page.goto(f"/complaints/{complaint.pk}/")
    assert page.get_by_test_id("waiting-for").is_visible()
    assert page.get_by_test_id("deadline-contact").get_attribute("data-state") == "paused"
    page.goto("/complaints/")
    assert "等待回访" in page.get_by_test_id("waiting-for").first.inner_text()
