"""The quality department opens a monthly report and downloads its workbook (R-RPT-1)."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from openpyxl import load_workbook

from accounts.roles import Role
from reports.workflow import generate_report
from tests.factories import OfficeFactory, staff

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
