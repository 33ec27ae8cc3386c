"""The report page's numbers lead to the complaints behind them; the supervisor comments and
marks the report sent; a branch report compares its offices (R-RPT-1, R-QD-2)."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse

from accounts.roles import Role
from followups.models import Notification
from reports.models import MonthlyReport
from reports.selectors import measure_names
from reports.workflow import generate_report
from tests.factories import BranchFactory, ComplaintFactory, OfficeFactory, staff
from tests.reports.october import GENERATED, OCTOBER

pytestmark = pytest.mark.django_db
SHANGHAI = ZoneInfo("Asia/Shanghai")


@pytest.fixture
def report(desk, october, september):
    return generate_report(office=desk.office, month=OCTOBER, now=GENERATED)[0]


def listed(client, report, name, part):
    url = reverse("reports:behind", args=[report.pk, name])
    response = client.get(url, {"part": part})
    assert response.status_code == 200
    return [complaint.number for complaint in response.context["page"].object_list]


def test_every_figure_lists_as_many_complaints_as_it_counts(client, desk, report):
    # R-RPT-1: a click from the number to the list; met + missed = the denominator, and the
    # lists agree with the snapshot's numbers for every complaint-level standard.
    client.force_login(desk.manager)
    for name in measure_names():
        if name == "received":
            assert len(listed(client, report, name, "all")) == report.data["received"] == 8
            continue
        figure = report.data[name]
        met, missed = listed(client, report, name, "met"), listed(client, report, name, "missed")
        everything = listed(client, report, name, "all")
        assert not set(met) & set(missed), name
        assert sorted(met + missed) == sorted(everything), name
        if name != "courteous":  # counted over revisits, listed by complaint
            assert (len(met), len(everything)) == (figure["met"], figure["of"]), name


def test_the_missed_list_names_the_complaints_that_missed_it(client, desk, october, report):
    # WS3, R-REC-2: urgent_late was entered three hours after receipt.
    client.force_login(desk.manager)
    assert listed(client, report, "entered_on_time", "missed") == [october["urgent_late"].number]
    response = client.get(reverse("reports:detail", args=[report.pk]))
    assert reverse("reports:behind", args=[report.pk, "entered_on_time"]) in response.text


def test_the_list_behind_a_number_is_scoped_and_refuses_unknown_figures(client, desk, report):
    # Threat: reading another office's complaints through a report URL; bad input → 404.
    other = staff(Role.OFFICE_MANAGER, office=OfficeFactory(code="XY"))
    client.force_login(other)
    url = reverse("reports:behind", args=[report.pk, "entered_on_time"])
    assert client.get(url).status_code == 404
    client.force_login(desk.manager)
    assert client.get(reverse("reports:behind", args=[report.pk, "password"])).status_code == 404
    assert client.get(url, {"part": "office__branch"}).status_code == 404


def test_the_supervisor_comments_and_marks_the_report_sent(client, desk, report):
    # R-RPT-1: commentary before sending; the quality department is told; then it is frozen.
    supervisor = staff(Role.CUSTOMER_SUPERVISOR, office=desk.office)
    quality = staff(Role.QUALITY_DEPARTMENT, branch=desk.office.branch)
    client.force_login(supervisor)
    response = client.post(
        reverse("reports:commentary", args=[report.pk]), {"commentary": "夜间施工投诉集中"}
    )
    assert response.status_code == 302
    response = client.post(reverse("reports:sent", args=[report.pk]), follow=True)
    report.refresh_from_db()
    assert report.commentary == "夜间施工投诉集中"
    assert report.sent_by == supervisor and report.sent_at is not None
    assert "已标记为已报送" in response.text
    told = Notification.objects.get(recipient=quality, kind="report")
    assert told.body == "夜间施工投诉集中"
    # Sent: the page offers no form, and a late POST is refused with a reason, not a 500.
    assert 'data-testid="mark-sent"' not in response.text
    response = client.post(reverse("reports:commentary", args=[report.pk]), {"commentary": "改动"})
    assert response.status_code == 200 and "报告已报送" in response.text
    report.refresh_from_db()
    assert report.commentary == "夜间施工投诉集中"


def test_an_assistant_may_read_the_report_but_not_comment(client, desk, report):
    # R-RPT-1: the commentary is the supervisor's; an assistant's POST changes nothing.
    client.force_login(desk.assistant)
    response = client.get(reverse("reports:detail", args=[report.pk]))
    assert response.status_code == 200 and 'data-testid="mark-sent"' not in response.text
    response = client.post(reverse("reports:commentary", args=[report.pk]), {"commentary": "x"})
    assert response.status_code == 200
    client.post(reverse("reports:sent", args=[report.pk]))
    report.refresh_from_db()
    assert (report.commentary, report.sent_at) == ("", None)


def test_the_branch_report_shows_its_offices_side_by_side_and_the_trend(client):
    # R-QD-2: the quality department compares the branch's offices; the trend covers 12 months.
    branch = BranchFactory(code="SZ")
    offices = [OfficeFactory(code=code, branch=branch) for code in ("HY", "CH")]
    received = datetime(2026, 10, 9, 9, 0, tzinfo=SHANGHAI)
    late = datetime(2026, 10, 9, 13, 0, tzinfo=SHANGHAI)
    ComplaintFactory(office=offices[0], received_at=received)
    ComplaintFactory(office=offices[1], received_at=received, entered_at=late)
    for office in offices:
        generate_report(office=office, month=OCTOBER, now=GENERATED)
    branch_report, _ = generate_report(branch=branch, month=OCTOBER, now=GENERATED)
    client.force_login(staff(Role.QUALITY_DEPARTMENT, branch=branch))
    response = client.get(reverse("reports:detail", args=[branch_report.pk]))
    comparison = response.context["comparison"]
    assert [r.office.code for r in comparison["offices"]] == ["CH", "HY"]
    entry = next(row for row in comparison["rows"] if "标准 3" in str(row["label"]))
    assert [(cell["met"], cell["of"]) for cell in entry["cells"]] == [(1, 2), (0, 1), (1, 1)]
    assert 'data-testid="trend-chart"' in response.text
    assert [column.total for column in response.context["trend"]][-1] == 2
    assert MonthlyReport.objects.get(pk=branch_report.pk).data["trend"][-1]["month"] == "2026-10"


def test_an_office_report_has_no_comparison(client, desk, report):
    client.force_login(desk.manager)
    response = client.get(reverse("reports:detail", args=[report.pk]))
    assert response.context["comparison"] is None
    assert [column.label for column in response.context["trend"]][-2:] == ["26/09", "26/10"]


def test_the_branch_report_is_the_quality_departments_and_goes_to_the_gm(client, desk):
    # R-QD-2: the quality department comments on its branch's summary and sends it to the
    # branch GM; an office's supervisor may not edit the branch report.
    branch = desk.office.branch
    branch_report, _ = generate_report(branch=branch, month=OCTOBER, now=GENERATED)
    quality = staff(Role.QUALITY_DEPARTMENT, branch=branch)
    gm = staff(Role.BRANCH_GM, branch=branch)
    client.force_login(staff(Role.CUSTOMER_SUPERVISOR, office=desk.office))
    client.post(reverse("reports:sent", args=[branch_report.pk]))
    branch_report.refresh_from_db()
    assert branch_report.sent_at is None
    client.force_login(quality)
    client.post(reverse("reports:commentary", args=[branch_report.pk]), {"commentary": "汇总"})
    client.post(reverse("reports:sent", args=[branch_report.pk]))
    branch_report.refresh_from_db()
    assert (branch_report.commentary, branch_report.sent_by) == ("汇总", quality)
    assert Notification.objects.filter(recipient=gm, kind="report").exists()
    assert not Notification.objects.filter(recipient=quality, kind="report").exists()


def test_a_breakdown_count_lists_its_complaints(client, desk, october, report):
    # R-RPT-1: a click from "设施 1" or "engineering 2" to the complaints counted there.
    client.force_login(desk.manager)
    url = reverse("reports:behind", args=[report.pk, "by_category"])
    response = client.get(url, {"value": "设施"})
    assert [c.number for c in response.context["page"].object_list] == [
        october["last_minute"].number
    ]
    assert "设施" in response.text and 'data-testid="parts"' not in response.text
    url = reverse("reports:behind", args=[report.pk, "by_department"])
    numbers = {c.number for c in client.get(url, {"value": "engineering"}).context["page"]}
    assert numbers == {october["urgent_late"].number, october["last_minute"].number}
    response = client.get(reverse("reports:detail", args=[report.pk]))
    assert f"{reverse('reports:behind', args=[report.pk, 'by_channel'])}?value=visit" in (
        response.text
    )
    unknown = reverse("reports:behind", args=[report.pk, "by_password"])
    assert client.get(unknown, {"value": "x"}).status_code == 404


def test_every_missed_list_says_why_each_complaint_missed(client, desk, october, report):
    # Issue 14: the list behind a number explains each miss, so nobody opens each complaint
    client.force_login(desk.manager)
    url = reverse("reports:behind", args=[report.pk, "entered_on_time"])
    response = client.get(url, {"part": "missed"})
    ((complaint, reason),) = response.context["rows"]
    assert complaint == october["urgent_late"]
    assert "R-REC-2" in reason and "—" not in reason  # entered at, due by: both times named
    for name in measure_names():
        if name != "received":
            missed = client.get(
                reverse("reports:behind", args=[report.pk, name]), {"part": "missed"}
            )
            assert all(reason for _complaint, reason in missed.context["rows"]), name
