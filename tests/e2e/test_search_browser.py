"""A client assistant types a room the way the customer says it and finds the complaint, with
what matched (R-REC-3: the record names the address)."""

import os

import pytest
from playwright.sync_api import expect

from accounts.roles import Role
from tests.factories import BuildingFactory, ComplaintFactory, OfficeFactory, UnitFactory, staff

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser]


def test_assistant_finds_a_complaint_by_its_room_as_typed(page, login):
    office = OfficeFactory(code="HY", name="华苑管理处")
    assistant = staff(Role.CLIENT_ASSISTANT, office=office, full_name="周助理")
    second = BuildingFactory(office=office, name="2栋")
    match = ComplaintFactory(
        office=office, received_by=assistant, building=second,
        unit=UnitFactory(building=second, name="1单元"), room="703", description="楼上漏水",
    )  # fmt: skip
    ComplaintFactory(office=office, received_by=assistant, room="1502", description="电梯异响")
    login(assistant)

    page.get_by_role("link", name="投诉", exact=True).click()
    rows = page.get_by_test_id("complaint-row")
    expect(rows).to_have_count(2)
    page.locator("#id_q").press_sequentially("2-1-703")  # htmx searches as one types
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text(match.number)
    expect(rows.first.get_by_test_id("matched")).to_have_text("匹配： 地址")
    if shots := os.environ.get("SCREENSHOTS"):
        page.screenshot(path=f"{shots}/search.png", full_page=True)
    page.fill("#id_q", "漏水")
    page.locator("#id_q").press("Enter")
    expect(rows.first.get_by_test_id("matched")).to_have_text("匹配： 投诉内容")
