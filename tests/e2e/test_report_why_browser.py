"""The list behind a report's number says why each complaint missed (issue 14, item 6), at a
desk and on a phone."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from reports.workflow import generate_report
from tests.reports.october import GENERATED, OCTOBER, desk, october, september  # noqa: F401

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser]

DESK, PHONE = {"width": 1280, "height": 900}, {"width": 390, "height": 844}


@pytest.mark.parametrize("size", [DESK, PHONE], ids=["desk", "phone"])
def test_the_missed_list_explains_each_miss(page, login, size, desk, october, september):  # noqa: F811
    # R-REC-2: the complaint entered three hours after receipt, with both times named
    page.set_viewport_size(size)
    report, _ = generate_report(office=desk.office, month=OCTOBER, now=GENERATED)
    login(desk.manager)
    page.goto(reverse("reports:behind", args=[report.pk, "entered_on_time"]) + "?part=missed")

    row = page.get_by_test_id("behind-row")
    expect(row).to_have_count(1)
    expect(row.get_by_test_id("why-missed")).to_contain_text("应在")
