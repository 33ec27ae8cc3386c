"""Report pages and downloads, each scoped (R-RPT-1, R-QD-2)."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse

from accounts.roles import Role
from reports.workflow import generate_report
from tests.factories import BranchFactory, OfficeFactory, staff

pytestmark = pytest.mark.django_db
NOW = datetime(2026, 12, 1, 0, 30, tzinfo=ZoneInfo("Asia/Shanghai"))
NOVEMBER = date(2026, 11, 1)


@pytest.fixture
def november():
    branch = BranchFactory(code="SZ")
    mine, theirs = OfficeFactory(code="HY", branch=branch), OfficeFactory(code="CH", branch=branch)
    return {
        "mine": generate_report(office=mine, month=NOVEMBER, now=NOW)[0],
        "theirs": generate_report(office=theirs, month=NOVEMBER, now=NOW)[0],
        "branch": generate_report(branch=branch, month=NOVEMBER, now=NOW)[0],
        "office": mine,
        "branch_obj": branch,
        "elsewhere": generate_report(office=OfficeFactory(code="BJ"), month=NOVEMBER, now=NOW)[0],
    }


URLS = ["reports:detail", "reports:xlsx", "reports:csv"]


@pytest.mark.parametrize("url_name", URLS)
def test_a_manager_opens_their_office_report_but_not_another(client, november, url_name):
    client.force_login(staff(Role.OFFICE_MANAGER, office=november["office"]))
    assert client.get(reverse(url_name, args=[november["mine"].pk])).status_code == 200
    assert client.get(reverse(url_name, args=[november["theirs"].pk])).status_code == 404
    assert client.get(reverse(url_name, args=[november["branch"].pk])).status_code == 404


@pytest.mark.parametrize("url_name", URLS)
def test_the_quality_department_opens_every_report_of_its_branch_only(client, november, url_name):
    client.force_login(staff(Role.QUALITY_DEPARTMENT, branch=november["branch_obj"]))
    for report in ("mine", "theirs", "branch"):
        assert client.get(reverse(url_name, args=[november[report].pk])).status_code == 200
    assert client.get(reverse(url_name, args=[november["elsewhere"].pk])).status_code == 404


@pytest.mark.parametrize("url_name", URLS)
def test_anonymous_visitors_are_sent_to_login(client, november, url_name):
    assert client.get(reverse(url_name, args=[november["mine"].pk])).status_code == 302


def test_the_archive_lists_only_what_the_user_may_see(client, november):
    client.force_login(staff(Role.CUSTOMER_SUPERVISOR, office=november["office"]))
    listed = list(client.get(reverse("reports:archive")).context["reports"])
    assert listed == [november["mine"]]


def test_the_report_page_shows_every_work_standard_with_a_chart(client, november):
    client.force_login(staff(Role.OFFICE_MANAGER, office=november["office"]))
    response = client.get(reverse("reports:detail", args=[november["mine"].pk]))
    assert len(response.context["kpis"]) == 12  # standard 5 in four parts
    assert response.text.count("<svg") >= 10
    assert "录入及时（标准 3）" in response.text


def test_the_xlsx_download_is_a_workbook_named_for_the_report(client, november):
    client.force_login(staff(Role.OFFICE_MANAGER, office=november["office"]))
    response = client.get(reverse("reports:xlsx", args=[november["mine"].pk]))
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert "2026-11" in response["Content-Disposition"]
    assert response.content[:2] == b"PK"  # a zip container, as xlsx is


def test_the_manager_of_a_branchs_only_office_does_not_see_the_branch_report(client):
    branch = BranchFactory(code="ZH")
    office = OfficeFactory(code="ZH1", branch=branch)
    branch_report, _ = generate_report(branch=branch, month=NOVEMBER, now=NOW)
    client.force_login(staff(Role.OFFICE_MANAGER, office=office))
    assert client.get(reverse("reports:detail", args=[branch_report.pk])).status_code == 404


def test_a_branch_without_offices_shows_its_report_to_nobody_outside(client):
    empty = BranchFactory(code="EM")
    report, _ = generate_report(branch=empty, month=NOVEMBER, now=NOW)
    client.force_login(staff(Role.QUALITY_DEPARTMENT, branch=BranchFactory(code="OT")))
    assert client.get(reverse("reports:detail", args=[report.pk])).status_code == 404


@pytest.mark.parametrize("url_name", ["reports:commentary", "reports:sent"])
def test_commentary_and_sent_answer_404_outside_the_scope(client, november, url_name):
    # Threat: writing on another office's report by guessing its id.
    client.force_login(staff(Role.CUSTOMER_SUPERVISOR, office=november["office"]))
    response = client.post(reverse(url_name, args=[november["theirs"].pk]), {"commentary": "x"})
    assert response.status_code == 404
    november["theirs"].refresh_from_db()
    assert (november["theirs"].commentary, november["theirs"].sent_at) == ("", None)


@pytest.mark.parametrize("name", ["received", "entered_on_time", "by_category"])
def test_the_complaints_behind_a_figure_answer_404_outside_the_scope(client, november, name):
    client.force_login(staff(Role.OFFICE_MANAGER, office=november["office"]))
    assert (
        client.get(reverse("reports:behind", args=[november["mine"].pk, name])).status_code == 200
    )
    assert (
        client.get(reverse("reports:behind", args=[november["theirs"].pk, name])).status_code == 404
    )
    client.logout()
    assert (
        client.get(reverse("reports:behind", args=[november["mine"].pk, name])).status_code == 302
    )
