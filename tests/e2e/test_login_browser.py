"""A client assistant logs in through a real browser and sees the front-desk home page."""

import pytest

from accounts.roles import Role
from tests.factories import OfficeFactory, staff

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser]


def test_assistant_logs_in_and_sees_the_front_desk_home(page, login):
    office = OfficeFactory(name="华苑管理处")
    assistant = staff(Role.CLIENT_ASSISTANT, office=office, full_name="李娜")
    login(assistant)
    assert page.url.endswith("/")
    home = page.get_by_test_id("home-client_assistant")
    assert home.is_visible()
    # The front desk's home is its work queue (issue 14): the shift review and the intake key.
    assert "接班梳理" in home.inner_text()
    assert home.get_by_test_id("intake-key").is_visible()
    assert page.get_by_test_id("current-user").inner_text() == "李娜"
    assert "华苑管理处" in page.get_by_test_id("visible-offices").inner_text()
    # Bootstrap is served from the package: the navigation bar is styled.
    nav_colour = page.eval_on_selector("nav", "el => getComputedStyle(el).backgroundColor")
    assert nav_colour != "rgba(0, 0, 0, 0)"


def test_wrong_password_keeps_the_username_and_says_why(page, login):
    assistant = staff(Role.CLIENT_ASSISTANT)
    login(assistant, password="wrong-password")
    assert "/login/" in page.url
    assert page.input_value("input[name=username]") == assistant.username
    assert page.get_by_role("alert").is_visible()
