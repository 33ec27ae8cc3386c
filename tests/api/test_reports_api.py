"""The monthly reports (issue #18): `GET /api/v1/reports/`, one report's frozen figures as JSON,
and its xlsx — scoped as the report pages: an office's report for its staff, a branch's for its
branch roles (R-RPT-1).

Threat: an office reads another office's figures, or the branch's, through the API."""

from datetime import date, datetime
from io import BytesIO
from zoneinfo import ZoneInfo

import pytest
from openpyxl import load_workbook

from reports.workflow import generate_report

pytestmark = pytest.mark.django_db

LIST = "/api/v1/reports/"
OCTOBER = date(2026, 10, 1)
FIRST = datetime(2026, 11, 1, 8, 0, tzinfo=ZoneInfo("Asia/Shanghai"))


@pytest.fixture
def reports(office, other_office, branch):
    return {
        "mine": generate_report(office=office, month=OCTOBER, now=FIRST)[0],
        "other": generate_report(office=other_office, month=OCTOBER, now=FIRST)[0],
        "branch": generate_report(branch=branch, month=OCTOBER, now=FIRST)[0],
    }


def test_office_staff_list_their_offices_reports_only(supervisor_client, reports):
    response = supervisor_client.get(LIST)
    assert response.status_code == 200
    assert [row["id"] for row in response.json()["results"]] == [reports["mine"].pk]


def test_the_quality_department_lists_the_branch_and_its_offices(quality_client, reports):
    ids = {row["id"] for row in quality_client.get(LIST).json()["results"]}
    assert ids == {report.pk for report in reports.values()}


def test_a_report_is_its_snapshot(supervisor_client, reports):
    report = reports["mine"]
    response = supervisor_client.get(f"{LIST}{report.pk}/")
    assert response.status_code == 200
    body = response.json()
    assert body["month"] == "2026-10-01" and body["office"] == report.office.code
    assert body["data"] == report.data


def test_the_xlsx_is_the_report_pages_workbook(supervisor_client, reports):
    response = supervisor_client.get(f"{LIST}{reports['mine'].pk}/xlsx/")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert "attachment" in response["Content-Disposition"]
    assert len(load_workbook(BytesIO(response.content)).sheetnames) == 3


@pytest.mark.parametrize("whose", ["other", "branch"])
def test_another_offices_or_the_branchs_report_is_a_404(supervisor_client, reports, whose):
    report = reports[whose]
    assert supervisor_client.get(f"{LIST}{report.pk}/").status_code == 404
    assert supervisor_client.get(f"{LIST}{report.pk}/xlsx/").status_code == 404


def test_the_list_costs_the_same_queries_for_1_and_for_6_months(
    quality_client, office, reports, django_assert_max_num_queries
):
    with django_assert_max_num_queries(12) as few:
        assert quality_client.get(LIST).status_code == 200
    for month in range(4, 9):
        generate_report(office=office, month=date(2026, month, 1), now=FIRST)
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert len(quality_client.get(LIST).json()["results"]) == 8
