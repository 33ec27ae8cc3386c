"""A client assistant keeps the duty log: adds an inquiry line and marks it done in place."""

import pytest

from accounts.roles import Role
from complaints.models import DutyLogEntry
from tests.factories import OfficeFactory, staff

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser]


def test_assistant_adds_an_inquiry_line_and_marks_it_done(page, login):
    office = OfficeFactory(code="HY", name="华苑管理处")
    login(staff(Role.CLIENT_ASSISTANT, office=office, full_name="李娜"))

    page.get_by_role("link", name="值班记录").click()  # the navigation's "Duty log"
    page.select_option("#id_kind", "inquiry")
    page.fill("#id_customer_name", "王先生")
    page.fill("#id_address", "3栋1502")
    page.fill("#id_matter", "咨询停车月卡办理")
    page.get_by_test_id("add-line-submit").click()

    lines = page.get_by_test_id("dutylog-lines")
    lines.get_by_text("咨询停车月卡办理").wait_for()  # R-LOG-1: the line is in today's list
    line = DutyLogEntry.objects.get()
    assert (line.kind, line.recorder.full_name) == ("inquiry", "李娜")
    assert "李娜" in page.get_by_test_id(f"line-{line.pk}").inner_text()

    url = page.url
    page.get_by_test_id(f"mark-done-{line.pk}").click()
    page.locator(f'[data-testid="line-{line.pk}-done"][data-done="true"]').wait_for()
    assert page.url == url  # updated in place, no reload
    assert not page.get_by_test_id(f"mark-done-{line.pk}").is_visible()
    line.refresh_from_db()
    assert line.done
