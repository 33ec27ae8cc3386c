"""One definition of "the complaints of this report" (R-RPT-1, R-QD-2): every number of a report —
each work standard's met, missed and denominator, each breakdown's count — lists exactly as many
complaints as it counts, and the CSV and xlsx exports hold the same complaints, across the month
boundary in office time (a complaint at 23:30 UTC on 31 October is November's in Shanghai)."""

import csv
import io
from datetime import UTC, datetime

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from accounts.roles import Role
from reports.exports import breakdown_entries, report_csv, report_xlsx
from reports.selectors import RECEIVED, measure_names
from reports.workflow import generate_report
from tests.factories import BranchFactory, OfficeFactory, staff
from tests.reports.october import OCTOBER, Desk

pytestmark = pytest.mark.django_db
GENERATED = datetime(2026, 11, 1, 1, 0, tzinfo=UTC)


def utc(month, day, hour, minute=0):
    return datetime(2026, month, day, hour, minute, tzinfo=UTC)


@pytest.fixture
def branch():
    return BranchFactory(code="EA")


@pytest.fixture
def shanghai(branch):
    """An office in China time (UTC+8) with complaints on both sides of both month ends."""
    d = Desk(OfficeFactory(code="HY", branch=branch, time_zone="Asia/Shanghai"))
    c = {
        "sep_30_local": d.receive(utc(9, 30, 15, 30)),  # 30 Sep 23:30 local: September
        "oct_1_local": d.receive(utc(9, 30, 16, 30), logged=False),  # 1 Oct 00:30 local
        "mid_month": d.receive(utc(10, 14, 2), channel="visit"),
        "uncategorised": d.receive(utc(10, 20, 2), category=None, building=None),
        "oct_31_local": d.receive(
            utc(10, 31, 15, 30),
            urgent_kind="safety",
            classification="to_improve",
            responsible_party="开发商",
        ),  # fmt: skip  # 31 Oct 23:30 local
        "nov_1_local": d.receive(utc(10, 31, 23, 30)),  # 23:30 UTC on the 31st: November
    }
    d.send(c["oct_31_local"], "engineering", utc(10, 31, 15, 50))
    d.send(c["mid_month"], "cleaning", utc(10, 14, 3))
    d.revisit(c["mid_month"], utc(10, 15, 2), utc(10, 15, 4), "satisfied", courteous=True)
    d.close(c["mid_month"], utc(10, 15, 6))
    d.revisit(c["oct_1_local"], utc(10, 2, 2), utc(10, 4, 4), "understands", courteous=False)
    d.numbers = {name: complaint.number for name, complaint in c.items()}
    return d


@pytest.fixture
def urumqi(branch):
    """An office of the same branch in Xinjiang time (UTC+6): its own month is its local one,
    while the branch's month is read in China time."""
    d = Desk(OfficeFactory(code="UR", branch=branch, time_zone="Asia/Urumqi"))
    c = {
        "sep_30_local": d.receive(utc(9, 30, 17, 30)),  # 23:30 local; 1 Oct 01:30 in Shanghai
        "oct_31_local": d.receive(utc(10, 31, 17, 30)),  # 23:30 local; 1 Nov 01:30 in Shanghai
    }
    d.numbers = {name: complaint.number for name, complaint in c.items()}
    return d


def listed(client, report, name, **params):
    """The complaint numbers the page behind one number of `report` shows, every page of it."""
    url = reverse("reports:behind", args=[report.pk, name])
    numbers, page = [], 1
    while True:
        response = client.get(url, {**params, "page": page})
        assert response.status_code == 200, (name, params)
        numbers += [complaint.number for complaint in response.context["page"].object_list]
        if not response.context["page"].has_next():
            return numbers
        page += 1


def exported(report) -> tuple[list[str], list[str]]:
    """The complaint numbers of the CSV and of the xlsx's complaint sheet."""
    in_csv = [row[0] for row in csv.reader(io.StringIO(report_csv(report)))][1:]
    sheet = load_workbook(io.BytesIO(report_xlsx(report))).worksheets[2]
    in_xlsx = [row[0] for row in sheet.iter_rows(min_row=2, values_only=True)]
    return in_csv, in_xlsx


def assert_every_number_lists_its_complaints(client, report, *, dispatched=True) -> set[str]:
    received = listed(client, report, RECEIVED, part="all")
    assert len(received) == report.data["received"]
    for name in measure_names():
        if name == RECEIVED:
            continue
        figure = report.data[name]
        met = listed(client, report, name, part="met")
        missed = listed(client, report, name, part="missed")
        denominator = listed(client, report, name, part="all")
        assert sorted(met + missed) == sorted(denominator), name
        assert set(denominator) <= set(received), name
        if name != "courteous":  # counted over revisits, listed by complaint
            assert (len(met), len(denominator)) == (figure["met"], figure["of"]), name
    entries = breakdown_entries(report.data)
    dimensions = {"by_category", "by_channel"} | ({"by_department"} if dispatched else set())
    assert {name for name, *_rest in entries} >= dimensions
    for name, key, _label, count in entries:
        behind = listed(client, report, name, value=key)
        assert len(behind) == count, (name, key)
        assert set(behind) <= set(received), (name, key)
    in_csv, in_xlsx = exported(report)
    assert sorted(in_csv) == sorted(in_xlsx) == sorted(received)
    return set(received)


def test_an_office_report_counts_and_lists_its_local_month(client, shanghai, urumqi):
    # R-RPT-1: 1 Oct 00:30 and 31 Oct 23:30 Shanghai time are October's; 30 Sep 23:30 and
    # 23:30 UTC on 31 Oct (1 Nov 07:30 local) are not — in the figures, the lists and exports.
    report = generate_report(office=shanghai.office, month=OCTOBER, now=GENERATED)[0]
    client.force_login(shanghai.manager)
    received = assert_every_number_lists_its_complaints(client, report)
    assert received == {
        shanghai.numbers[name]
        for name in ("oct_1_local", "mid_month", "uncategorised", "oct_31_local")
    }
    assert report.data["by_category"] == {"噪音": 3, "null": 1}


def test_an_office_report_reads_the_month_in_its_own_time_zone(client, urumqi):
    # R-RPT-1: an office's month is its own local month, Xinjiang time here.
    report = generate_report(office=urumqi.office, month=OCTOBER, now=GENERATED)[0]
    client.force_login(urumqi.manager)
    received = assert_every_number_lists_its_complaints(client, report, dispatched=False)
    assert received == {urumqi.numbers["oct_31_local"]}


def test_a_branch_report_counts_and_lists_the_month_in_china_time(client, branch, shanghai, urumqi):
    # R-QD-2: the branch's month is read in China time for all its offices, in every figure,
    # list and export alike.
    report = generate_report(branch=branch, month=OCTOBER, now=GENERATED)[0]
    client.force_login(staff(Role.QUALITY_DEPARTMENT, branch=branch))
    received = assert_every_number_lists_its_complaints(client, report)
    assert received == {
        shanghai.numbers["oct_1_local"],
        shanghai.numbers["mid_month"],
        shanghai.numbers["uncategorised"],
        shanghai.numbers["oct_31_local"],
        urumqi.numbers["sep_30_local"],
    }


def test_a_branch_reports_lists_are_not_an_office_managers(client, branch, shanghai):
    # Threat: reading a whole branch's complaints through its report's lists; an office's
    # manager reads their office's reports, not the branch's (R-QD-2).
    report = generate_report(branch=branch, month=OCTOBER, now=GENERATED)[0]
    client.force_login(shanghai.manager)
    response = client.get(reverse("reports:behind", args=[report.pk, RECEIVED]), {"part": "all"})
    assert response.status_code == 404
