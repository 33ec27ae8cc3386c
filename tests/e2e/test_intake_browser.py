"""A client assistant records a complaint from the intake page and finds it in the list."""

import pytest

from accounts.roles import Role
from complaints.models import Complaint
from tests.factories import BuildingFactory, CategoryFactory, OfficeFactory, UnitFactory, staff

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser]


def test_assistant_records_a_complaint_and_finds_it_in_the_list(page, login):
    office = OfficeFactory(code="HY", name="华苑管理处")
    UnitFactory(building=BuildingFactory(office=office, name="3栋"), name="2单元")
    CategoryFactory(name="装修噪音")
    login(staff(Role.CLIENT_ASSISTANT, office=office, full_name="李娜"))

    page.get_by_role("link", name="新建投诉").click()
    page.fill("#id_phone", "138 0013 8000")
    page.fill("#id_complainant_name", "王先生")
    page.select_option("#id_building", label="3栋")
    page.wait_for_function("document.querySelectorAll('#id_unit option').length > 1")
    page.select_option("#id_unit", label="2单元")
    page.fill("#id_room", "1502")
    page.fill("#id_description", "楼上夜间装修噪音")
    page.fill("#id_customer_request", "停止夜间施工")
    page.select_option("#id_category", label="装修噪音")
    page.keyboard.press("Control+Enter")  # the keyboard way to save

    recorded = page.get_by_test_id("recorded")
    recorded.wait_for()
    complaint = Complaint.objects.get()
    assert complaint.number in recorded.inner_text()
    assert complaint.unit.name == "2单元" and complaint.phone == "+8613800138000"
    assert page.get_by_test_id("answer-script").is_visible()

    page.get_by_role("link", name="投诉", exact=True).click()
    page.fill("input[name=q]", "13800138000")
    page.keyboard.press("Enter")
    page.wait_for_load_state()
    assert page.get_by_text(complaint.number).first.is_visible()


def test_a_repeat_caller_sees_the_earlier_complaint_while_typing(page, login):
    office = OfficeFactory(code="HY")
    assistant = staff(Role.CLIENT_ASSISTANT, office=office)
    from tests.factories import ComplaintFactory

    earlier = ComplaintFactory(office=office, phone="+8613800138000", received_by=assistant)
    login(assistant)
    page.goto("/complaints/new/")
    page.fill("#id_phone", "13800138000")
    lookup = page.get_by_test_id("earlier-complaints")
    lookup.wait_for()
    assert earlier.number in lookup.inner_text()


def test_invalid_input_keeps_what_was_typed(page, login):
    office = OfficeFactory(code="HY")
    login(staff(Role.CLIENT_ASSISTANT, office=office))
    page.goto("/complaints/new/")
    page.fill("#id_phone", "12345")
    page.fill("#id_complainant_name", "王先生")
    page.fill("#id_description", "电梯坏了")
    page.get_by_test_id("save-complaint").click()
    page.get_by_test_id("error-phone").wait_for()
    assert page.input_value("#id_complainant_name") == "王先生"
    assert page.input_value("#id_description") == "电梯坏了"
    assert not Complaint.objects.exists()
