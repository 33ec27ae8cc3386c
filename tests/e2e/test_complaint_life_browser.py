"""The whole life of a complaint in a real browser: intake by the assistant, reply, corrective
actions, handling, revisit, and the office manager's approval in the admin (R-REC-1 … R-CLO-3)."""

import re

import pytest

from accounts.roles import Role
from complaints.models import Complaint
from tests.factories import BuildingFactory, CategoryFactory, OfficeFactory, staff

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser]


def open_step(page, key):
    step = page.get_by_test_id(f"step-{key}")
    toggle = step.locator(".accordion-button")
    if toggle.count() and "collapsed" in (toggle.get_attribute("class") or ""):
        toggle.click()
    return step


def submit_step(page, key, fields):
    step = open_step(page, key)
    for selector, value in fields.items():
        element = step.locator(selector)
        if element.evaluate("e => e.tagName") == "SELECT":
            element.select_option(value)
        else:
            element.fill(value)
    step.locator("button[type=submit]").click()
    page.wait_for_load_state()
    assert page.locator(".alert-success").first.is_visible(), page.locator(
        ".alert"
    ).all_inner_texts()


def test_a_complaint_from_intake_to_the_managers_approval(page, login):
    office = OfficeFactory(code="HY", name="华苑管理处")
    BuildingFactory(office=office, name="3栋")
    CategoryFactory(name="装修噪音")
    assistant = staff(Role.CLIENT_ASSISTANT, office=office, full_name="李娜")
    manager = staff(Role.OFFICE_MANAGER, office=office, full_name="杨建国")

    # Intake (R-REC-1..3)
    login(assistant)
    page.goto("/complaints/new/")
    page.fill("#id_phone", "13800138000")
    page.fill("#id_complainant_name", "王先生")
    page.select_option("#id_building", label="3栋")
    page.fill("#id_room", "1502")
    page.fill("#id_description", "楼上夜间装修噪音")
    page.fill("#id_customer_request", "停止夜间施工")
    page.select_option("#id_category", label="装修噪音")
    page.get_by_test_id("save-complaint").click()
    page.get_by_test_id("recorded").wait_for()
    complaint = Complaint.objects.get()
    page.get_by_role("link", name="查看投诉").click()
    page.wait_for_url(re.compile(rf"/complaints/{complaint.pk}/$"))

    # The agreed reply (R-REPLY-3), corrective actions (R-HND-1), handling finished (R-REV-1)
    submit_step(
        page,
        "contact",
        {
            "#id_contact-kind": "reply",
            "#id_contact-method": "phone",
            "#id_contact-summary": "已告知处理方案",
        },
    )
    submit_step(
        page,
        "corrective_action",
        {
            "#id_action-cause": "装修队夜间施工",
            "#id_action-correction": "已制止施工",
            "#id_action-prevention": "加强装修巡查",
        },
    )
    open_step(page, "resolve").locator("button[type=submit]").click()
    page.wait_for_load_state()
    complaint.refresh_from_db()
    assert complaint.status == "resolved"

    # The revisit: the customer is satisfied (R-REV-1, R-CLO-1)
    submit_step(
        page, "revisit", {"#id_revisit-method": "phone", "#id_revisit-outcome": "satisfied"}
    )
    assert page.get_by_test_id("waiting-for-approval").is_visible()
    complaint.refresh_from_db()
    assert complaint.status == "revisited"

    # The office manager approves the closure in the admin (R-CLO-3)
    page.get_by_role("button", name="退出").click()
    login(manager)
    page.goto("/admin/followups/closurerequest/")
    row = page.locator("#result_list tbody tr", has_text=complaint.number)
    row.locator("input[type=checkbox]").check()
    page.select_option("select[name=action]", "approve")
    page.locator("button[name=index]").click()
    page.wait_for_load_state()
    # The confirmation lists what will close before anything does (issue 14)
    assert complaint.number in page.get_by_test_id("will-close").inner_text()
    page.get_by_test_id("confirm-approve").click()
    page.wait_for_load_state()
    assert complaint.number in page.locator(".messagelist").inner_text()
    complaint.refresh_from_db()
    assert complaint.status == "closed" and complaint.closed_by == manager
    assert page.locator("#result_list tbody tr", has_text=complaint.number).count() == 0
