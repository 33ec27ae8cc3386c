"""The quality department opens a monthly report and downloads its workbook (R-RPT-1)."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from openpyxl import load_workbook

from accounts.roles import Role
from reports.workflow import generate_report
from tests.factories import ComplaintFactory, OfficeFactory, staff

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser]


def test_quality_department_opens_the_report_and_downloads_the_xlsx(page, login, tmp_path):
    office = OfficeFactory(code="HY", name="华苑管理处")
    now = datetime(2026, 12, 1, 0, 30, tzinfo=ZoneInfo("Asia/Shanghai"))
    report, _ = generate_report(office=office, month=date(2026, 11, 1), now=now)
    login(staff(Role.QUALITY_DEPARTMENT, branch=office.branch))
    page.get_by_role("link", name="月度报告").click()
    page.get_by_role("link", name="华苑管理处").click()
    assert page.get_by_test_id("kpis").is_visible()
    with page.expect_download() as download:
        page.get_by_test_id("download-xlsx").click()
    target = tmp_path / download.value.suggested_filename
    download.value.save_as(target)
    assert len(load_workbook(target).worksheets) == 3


def test_the_supervisor_follows_a_missed_figure_then_comments_and_sends(page, login):
    # R-RPT-1: from the number to the complaint behind it; commentary, then "sent".
    office = OfficeFactory(code="HY", name="华苑管理处")
    received = datetime(2026, 11, 9, 9, 0, tzinfo=ZoneInfo("Asia/Shanghai"))
    late = ComplaintFactory(
        office=office, received_at=received, entered_at=received.replace(hour=13)
    )
    ComplaintFactory(office=office, received_at=received)
    now = datetime(2026, 12, 1, 0, 30, tzinfo=ZoneInfo("Asia/Shanghai"))
    report, _ = generate_report(office=office, month=date(2026, 11, 1), now=now)
    login(staff(Role.CUSTOMER_SUPERVISOR, office=office))
    page.goto(f"/reports/{report.pk}/")
    page.get_by_test_id("kpi-entered_on_time").get_by_test_id("missed-link").click()
    rows = page.get_by_test_id("behind-row")
    assert rows.count() == 1 and rows.first.get_attribute("data-number") == late.number
    page.go_back()
    page.locator("textarea[name=commentary]").fill("本月录入超时一宗，已培训")
    page.get_by_test_id("save-commentary").click()
    page.get_by_test_id("mark-sent").click()
    assert "报送" in page.get_by_test_id("sent-badge").inner_text()
    assert "本月录入超时一宗" in page.get_by_test_id("commentary").inner_text()
