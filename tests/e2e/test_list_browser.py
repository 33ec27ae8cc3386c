"""A customer supervisor narrows the complaint list and opens a complaint's page."""

from zoneinfo import ZoneInfo

import pytest
from playwright.sync_api import expect

from accounts.roles import Role
from tests.factories import ComplaintFactory, OfficeFactory, staff

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser]


def test_supervisor_filters_by_class_and_sees_the_deadlines_of_a_complaint(page, login):
    office = OfficeFactory(code="HY", name="华苑管理处")
    supervisor = staff(Role.CUSTOMER_SUPERVISOR, office=office, full_name="赵主任")
    invalid = ComplaintFactory(
        office=office, classification="invalid", complainant_name="钱女士", received_by=supervisor
    )
    valid = ComplaintFactory(office=office, complainant_name="孙先生", received_by=supervisor)
    login(supervisor)

    page.get_by_role("link", name="投诉", exact=True).click()
    rows = page.get_by_test_id("complaint-row")
    expect(rows).to_have_count(2)

    page.select_option("#id_classification", "invalid")  # htmx refreshes only the table
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text(invalid.number)
    expect(page.get_by_text(valid.number)).to_have_count(0)
    assert "classification=invalid" in page.url  # the filtered list can be bookmarked

    page.get_by_role("link", name=invalid.number).click()
    expect(page.get_by_test_id("complaint-number")).to_have_text(invalid.number)
    deadlines = page.get_by_test_id("deadlines")
    expect(deadlines).to_be_visible()
    expect(deadlines.get_by_test_id("deadline-reply")).to_be_visible()
    expect(deadlines.get_by_test_id("deadline-contact")).to_be_visible()
    reply_due = invalid.reply_due.astimezone(ZoneInfo("Asia/Shanghai"))
    expect(deadlines.get_by_test_id("deadline-reply")).to_contain_text(
        reply_due.strftime("%Y-%m-%d %H:%M")
    )
