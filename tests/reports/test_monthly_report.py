"""The monthly report: generated on the 1st, immutable versions, alert, export (R-RPT-1, R-QD-2)."""

import io
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core import mail
from django.core.management import call_command
from django.db import IntegrityError
from django.utils import translation
from openpyxl import load_workbook

from accounts.roles import Role
from followups.models import Notification
from reports.exports import breakdown_rows, kpi_rows, neutralise, report_csv, report_xlsx
from reports.mail import send_branch_report
from reports.models import MonthlyReport
from reports.workflow import (
    ReportRefused,
    add_commentary,
    alert_missing_reports,
    generate_due_reports,
    generate_report,
)
from tests.factories import ComplaintFactory, staff

pytestmark = pytest.mark.django_db
SHANGHAI = ZoneInfo("Asia/Shanghai")
FIRST = datetime(2026, 12, 1, 0, 30, tzinfo=SHANGHAI)
NOVEMBER = date(2026, 11, 1)


def received(office, when, **fields):
    return ComplaintFactory(
        office=office, received_at=when, entered_at=when + timedelta(minutes=5), **fields
    )


def test_on_the_first_each_office_and_branch_gets_last_months_report(office):
    received(office, datetime(2026, 11, 10, 9, 0, tzinfo=SHANGHAI))
    received(office, datetime(2026, 10, 10, 9, 0, tzinfo=SHANGHAI))  # October: not in it
    assert generate_due_reports(now=FIRST) == 2  # the office and its branch
    report = MonthlyReport.objects.get(office=office)
    assert report.month == NOVEMBER and report.version == 1
    assert report.data["received"] == 1
    assert MonthlyReport.objects.filter(branch=office.branch, month=NOVEMBER).exists()


def test_running_the_job_again_creates_nothing(office):
    generate_due_reports(now=FIRST)
    assert generate_due_reports(now=FIRST + timedelta(minutes=5)) == 0
    assert MonthlyReport.objects.count() == 2


def test_regenerating_writes_a_new_version_and_keeps_the_old_one(office):
    first, _ = generate_report(office=office, month=NOVEMBER, now=FIRST)
    received(office, datetime(2026, 11, 30, 23, 59, tzinfo=SHANGHAI))  # late record
    second, created = generate_report(office=office, month=NOVEMBER, now=FIRST, regenerate=True)
    assert created and second.version == 2
    first.refresh_from_db()
    assert (first.data["received"], second.data["received"]) == (0, 1)


def test_the_database_refuses_a_duplicate_version(office):
    generate_report(office=office, month=NOVEMBER, now=FIRST)
    with pytest.raises(IntegrityError):
        MonthlyReport.objects.create(
            office=office, month=NOVEMBER, version=1, generated_at=FIRST, data={}
        )


def test_a_missing_report_alerts_the_quality_department_after_nine(office):
    quality = staff(Role.QUALITY_DEPARTMENT, branch=office.branch)
    assert alert_missing_reports(now=FIRST.replace(hour=8, minute=59)) == 0
    assert alert_missing_reports(now=FIRST.replace(hour=9)) == 2  # office and branch missing
    assert Notification.objects.filter(recipient=quality).count() == 2
    assert alert_missing_reports(now=FIRST.replace(hour=10)) == 0  # once


def test_no_alert_when_the_reports_are_there(office):
    staff(Role.QUALITY_DEPARTMENT, branch=office.branch)
    generate_due_reports(now=FIRST)
    assert alert_missing_reports(now=FIRST.replace(hour=9)) == 0


def test_the_branch_report_is_mailed_to_the_quality_department_with_xlsx(office):
    staff(Role.QUALITY_DEPARTMENT, branch=office.branch, email="quality@example.com")
    generate_due_reports(now=FIRST)
    branch_report = MonthlyReport.objects.get(branch=office.branch)
    assert send_branch_report(branch_report.pk) == 1
    message = mail.outbox[0]
    assert message.to == ["quality@example.com"]
    assert len(message.attachments) == 2  # the branch's and the office's workbooks
    assert message.attachments[0][0].endswith(".xlsx")


def test_the_supervisor_comments_before_it_is_sent_and_others_cannot(office):
    report, _ = generate_report(office=office, month=NOVEMBER, now=FIRST)
    add_commentary(
        report, by=staff(Role.CUSTOMER_SUPERVISOR, office=office), text="本月投诉主要集中在装修噪音"
    )
    report.refresh_from_db()
    assert report.commentary.startswith("本月")
    with pytest.raises(ReportRefused):
        add_commentary(report, by=staff(Role.CLIENT_ASSISTANT, office=office), text="x")


def test_formula_like_text_is_neutralised_in_xlsx_and_csv(office):
    received(
        office,
        datetime(2026, 11, 10, 9, 0, tzinfo=SHANGHAI),
        description='=HYPERLINK("http://evil","点我")',
    )
    report, _ = generate_report(office=office, month=NOVEMBER, now=FIRST)
    sheet = load_workbook(io.BytesIO(report_xlsx(report))).worksheets[2]  # every complaint
    cells = [cell.value for row in sheet.iter_rows(min_row=2) for cell in row]
    assert '\'=HYPERLINK("http://evil","点我")' in cells
    assert all(not (isinstance(v, str) and v.startswith("=")) for v in cells)
    assert "'=HYPERLINK" in report_csv(report)
    assert [neutralise(v) for v in ("+1", "-2", "@x", "ok", 3)] == ["'+1", "'-2", "'@x", "ok", 3]


def test_the_kpi_sheet_carries_every_work_standard_with_its_share(office):
    received(office, datetime(2026, 11, 10, 9, 0, tzinfo=SHANGHAI))
    late = datetime(2026, 11, 12, 9, 0, tzinfo=SHANGHAI)
    ComplaintFactory(office=office, received_at=late, entered_at=late + timedelta(hours=3))
    report, _ = generate_report(office=office, month=NOVEMBER, now=FIRST)
    with translation.override("zh-hans"):
        rows = {row[0]: row[1:] for row in kpi_rows(report.data)}
    assert len(rows) == 12  # the eight work standards, 4 and 5 in parts, and satisfaction
    assert rows["录入及时（标准 3）"] == (1, 2, 0.5)  # R-REC-2: one of two entered in 2 hours
    sheet = load_workbook(io.BytesIO(report_xlsx(report))).worksheets[0]
    assert sheet.max_row == 13 and sheet["D2"].number_format == "0.0%"


def test_the_command_writes_the_xlsx(office, tmp_path):
    target = tmp_path / "hy.xlsx"
    out = io.StringIO()
    call_command(
        "monthly_report", "--month", "2026-11", "--office", "HY", "--xlsx", str(target), stdout=out
    )
    book = load_workbook(target)
    assert len(book.worksheets) == 3  # KPIs, breakdowns, every complaint
    assert book.worksheets[2].max_row == 1  # November has no complaint: the header only
    assert "version 1" in out.getvalue()


def test_breakdowns_show_labels_not_keys(office):
    received(office, datetime(2026, 11, 10, 9, 0, tzinfo=SHANGHAI), classification="invalid")
    report, _ = generate_report(office=office, month=NOVEMBER, now=FIRST)
    with translation.override("zh-hans"):
        values = {value for _dimension, value, _count in breakdown_rows(report.data)}
    assert "无效投诉" in values and "invalid" not in values


def test_the_workbook_draws_the_trend_and_bars_the_shares(office):
    # R-RPT-1: the quality department reads the trend as a chart and the shares as bars.
    received(office, datetime(2026, 11, 10, 9, 0, tzinfo=SHANGHAI))
    report, _ = generate_report(office=office, month=NOVEMBER, now=FIRST)
    workbook = load_workbook(io.BytesIO(report_xlsx(report)))
    kpis, breakdowns = workbook.worksheets[0], workbook.worksheets[1]
    assert "D2:D13" in [str(rule.sqref) for rule in kpis.conditional_formatting]
    months = [breakdowns.cell(row=r, column=5).value for r in range(2, 14)]
    assert months[0] == "2025-12" and months[-1] == "2026-11"
    assert sum(breakdowns.cell(row=13, column=c).value for c in (6, 7, 8)) == 1
    assert len(breakdowns._charts) == 1
