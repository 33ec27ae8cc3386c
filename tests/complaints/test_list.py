"""The complaint list: filters, search, pages, scope and a constant number of queries."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.roles import Role
from tests.factories import (
    BuildingFactory,
    CategoryFactory,
    ComplaintFactory,
    OfficeFactory,
    UnitFactory,
    staff,
)

SHANGHAI = ZoneInfo("Asia/Shanghai")
NOW = datetime(2026, 11, 20, 10, 0, tzinfo=SHANGHAI)  # Friday
pytestmark = [pytest.mark.django_db, pytest.mark.frozen_at(NOW)]
URL = reverse("complaints:list")


def listed(response) -> set[str]:
    """The numbers of the rows the page shows."""
    assert response.status_code == 200
    return {complaint.number for complaint, _deadline, _waiting in response.context["rows"]}


def test_the_list_needs_a_login(client):
    response = client.get(URL)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_another_offices_complaints_are_never_listed(supervisor_client, record, office):
    ours = record(complainant_name="王先生")
    theirs = ComplaintFactory(office=OfficeFactory(code="CH"), complainant_name="王先生")
    assert listed(supervisor_client.get(URL)) == {ours.number}
    assert listed(supervisor_client.get(URL, {"q": "王先生"})) == {ours.number}
    assert listed(supervisor_client.get(URL, {"q": theirs.number})) == set()


def test_the_list_shows_an_empty_state_when_nothing_matches(supervisor_client, record):
    record(complainant_name="王先生")
    response = supervisor_client.get(URL, {"q": "没有这个人"})
    assert listed(response) == set()
    assert 'data-testid="empty-state"' in response.text


@pytest.mark.parametrize(
    "params, wanted, other",
    [
        ({"status": "in_progress"}, {"status": "in_progress"}, {"status": "recorded"}),
        ({"classification": "invalid"}, {"classification": "invalid"}, {}),
        ({"channel": "visit"}, {"channel": "visit"}, {"channel": "phone"}),
        ({"severity": "serious"}, {"severity": "serious"}, {"severity": "minor"}),
        # R-REC-2: received three hours before it was entered
        ({"overdue": "entry"}, {"received_at": NOW - timedelta(hours=3), "entered_at": NOW}, {}),
        # R-REPLY-2: the agreed reply of a complaint received a week ago has passed
        ({"overdue": "reply"}, {"received_at": NOW - timedelta(days=7)}, {}),
    ],
    ids=["status", "class", "channel", "severity", "overdue-entry", "overdue-reply"],
)
def test_a_filter_keeps_only_the_matching_complaints(
    supervisor_client, record, params, wanted, other
):
    match = record(**wanted)
    record(**other)
    assert listed(supervisor_client.get(URL, params)) == {match.number}


def test_the_category_filter_keeps_that_category(supervisor_client, record):
    noise = CategoryFactory(name="装修噪音")
    match = record(category=noise)
    record(category=CategoryFactory(name="虫鼠害"))
    assert listed(supervisor_client.get(URL, {"category": noise.pk})) == {match.number}


def test_the_building_filter_keeps_that_building(supervisor_client, record, office):
    third = BuildingFactory(office=office, name="3栋")
    match = record(building=third)
    record(building=BuildingFactory(office=office, name="5栋"))
    assert listed(supervisor_client.get(URL, {"building": third.pk})) == {match.number}


def test_the_open_status_filter_leaves_out_superseded_complaints(supervisor_client, record):
    match = record(status="in_progress")
    record(status="superseded")
    assert listed(supervisor_client.get(URL, {"status": "open"})) == {match.number}


def test_received_between_reads_the_dates_in_shanghai_time(supervisor_client, record):
    # 23:30 and 00:30 Shanghai time fall on the same UTC day (15:30 and 16:30 UTC).
    late_evening = record(received_at=datetime(2026, 11, 18, 23, 30, tzinfo=SHANGHAI))
    record(received_at=datetime(2026, 11, 19, 0, 30, tzinfo=SHANGHAI))
    params = {"received_from": "2026-11-18", "received_to": "2026-11-18"}
    assert listed(supervisor_client.get(URL, params)) == {late_evening.number}


def test_search_finds_a_complaint_by_its_number_or_its_start(supervisor_client, record, office):
    match = record()
    ComplaintFactory(office=OfficeFactory(code="BH"))
    assert listed(supervisor_client.get(URL, {"q": match.number})) == {match.number}
    assert listed(supervisor_client.get(URL, {"q": "hy-2026"})) == {match.number}


def test_search_finds_a_phone_typed_with_spaces(supervisor_client, record):
    match = record(phone="+8613800138000")
    record(phone="+8613900139001")
    assert listed(supervisor_client.get(URL, {"q": "138 0013 8000"})) == {match.number}


def test_search_finds_a_phone_by_part_of_its_digits(supervisor_client, record):
    match = record(phone="+8613800138000")
    record(phone="+8613900139001")
    assert listed(supervisor_client.get(URL, {"q": "0013 8000"})) == {match.number}


def test_search_finds_the_complainant_by_name(supervisor_client, record):
    match = record(complainant_name="欧阳女士")
    record(complainant_name="王先生")
    assert listed(supervisor_client.get(URL, {"q": "欧阳"})) == {match.number}


def test_search_finds_words_of_what_happened_or_what_is_asked(supervisor_client, record):
    leak = record(description="厨房水管漏水", customer_request="上门维修")
    lift = record(description="电梯异响", customer_request="检修电梯并赔偿")
    record(description="夜间装修", customer_request="停止施工")
    assert listed(supervisor_client.get(URL, {"q": "漏水"})) == {leak.number}
    assert listed(supervisor_client.get(URL, {"q": "赔偿"})) == {lift.number}


def test_the_list_is_paged_by_25_and_shows_50_on_request(supervisor_client, supervisor, office):
    ComplaintFactory.create_batch(30, office=office, received_by=supervisor)
    assert len(listed(supervisor_client.get(URL))) == 25
    assert len(listed(supervisor_client.get(URL, {"page": 2}))) == 5
    assert len(listed(supervisor_client.get(URL, {"per_page": 50}))) == 30


def test_the_list_sorts_by_a_whitelisted_field(supervisor_client, record):
    first = record(received_at=NOW - timedelta(hours=5))
    second = record(received_at=NOW - timedelta(hours=1))
    response = supervisor_client.get(URL, {"sort": "received_at"})
    assert [c.number for c, _d, _w in response.context["rows"]] == [first.number, second.number]
    response = supervisor_client.get(URL)  # newest first by default
    assert [c.number for c, _d, _w in response.context["rows"]] == [second.number, first.number]


@pytest.mark.parametrize(
    "params",
    [
        {"status": "bogus"},
        {"received_from": "2026-13-45"},
        {"sort": "office__branch__name"},
        {"per_page": "7"},
        {"received_from": "2026-11-20", "received_to": "2026-11-01"},
    ],
    ids=["status", "date", "sort", "page-size", "dates-reversed"],
)
def test_a_bad_filter_value_is_explained_and_ignored(supervisor_client, record, params):
    complaint = record()
    response = supervisor_client.get(URL, params)
    assert response.status_code == 200
    assert 'data-testid="filter-errors"' in response.text
    assert listed(response) == {complaint.number}


def test_another_offices_building_is_not_a_valid_filter(supervisor_client, record, office):
    ours = record()
    theirs = ComplaintFactory(office=OfficeFactory(code="CH"))
    response = supervisor_client.get(URL, {"building": theirs.building_id})
    assert 'data-testid="filter-errors"' in response.text
    assert listed(response) == {ours.number}


def test_a_page_number_out_of_range_shows_the_last_page(supervisor_client, supervisor, office):
    ComplaintFactory.create_batch(3, office=office, received_by=supervisor)
    assert len(listed(supervisor_client.get(URL, {"page": "99"}))) == 3
    assert len(listed(supervisor_client.get(URL, {"page": "abc"}))) == 3


def test_an_overdue_next_deadline_is_highlighted(supervisor_client, record):
    # R-URG-2: received a week ago, nobody has contacted the customer for over 3 days
    late = record(received_at=NOW - timedelta(days=7))
    record()
    response = supervisor_client.get(URL)
    assert f'data-number="{late.number}" data-overdue="contact"' in response.text
    assert response.text.count("data-overdue=") == 1


def test_an_htmx_request_gets_only_the_results(supervisor_client, record):
    complaint = record()
    response = supervisor_client.get(URL, {"q": complaint.number}, headers={"HX-Request": "true"})
    assert response.status_code == 200
    assert complaint.number in response.text
    assert "<html" not in response.text
    assert 'data-testid="complaint-filters"' not in response.text


def test_the_list_costs_the_same_queries_for_5_and_40_complaints(
    supervisor_client, record, office, django_assert_max_num_queries
):
    def record_many(count):
        # Each with its own category, building and unit.
        for _ in range(count):
            building = BuildingFactory(office=office)
            record(building=building, unit=UnitFactory(building=building))

    record_many(5)
    with CaptureQueriesContext(connection) as five:
        response = supervisor_client.get(URL, {"per_page": 100})
    assert len(listed(response)) == 5
    # session, user, roles, visible offices, count, page, category and building choices
    assert len(five) <= 10

    record_many(35)
    with django_assert_max_num_queries(len(five)):
        response = supervisor_client.get(URL, {"per_page": 100})
    assert len(listed(response)) == 40


def test_the_branch_wide_list_costs_the_same_queries_for_2_and_8_offices(
    client, office, django_assert_max_num_queries
):
    # The quality department reads every office of its branch (R-QD-2): the list is one
    # count and one page however many offices the branch has (docs/performance.md).
    client.force_login(staff(Role.QUALITY_DEPARTMENT, branch=office.branch))
    ComplaintFactory(office=office)
    ComplaintFactory(office=OfficeFactory(code="O1", branch=office.branch))
    with CaptureQueriesContext(connection) as two:
        response = client.get(URL)
    assert len(listed(response)) == 2
    # The filter selects (the offices, their buildings) are read in one plain query each:
    # Django's own iterator is a server-side cursor on PostgreSQL (DECLARE … WITH HOLD, FETCH,
    # CLOSE) for a few rows.
    assert f'<option value="{office.pk}">' in response.text
    assert not [q["sql"] for q in two if q["sql"].lstrip().upper().startswith("DECLARE")]
    for i in range(2, 8):
        ComplaintFactory(office=OfficeFactory(code=f"O{i}", branch=office.branch))
    with django_assert_max_num_queries(len(two)):
        response = client.get(URL)
    assert len(listed(response)) == 8


def test_a_branch_role_sees_every_office_of_the_branch_but_no_intake_button(client, office):
    other = OfficeFactory(code="CH", branch=office.branch)
    ours, theirs = ComplaintFactory(office=office), ComplaintFactory(office=other)
    client.force_login(staff(Role.BRANCH_GM, branch=office.branch))
    response = client.get(URL)
    assert listed(response) == {ours.number, theirs.number}
    assert reverse("complaints:intake") not in response.text  # intake is for office staff


@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_the_rows_labels_are_those_of_the_model_in_the_users_language(language):
    # The list's rows say class, severity and status through a cached filter (one catalogue
    # lookup per value and language): the words must stay the model's own.
    from django.utils import translation

    from complaints.models import Classification, Complaint, Severity, Status
    from complaints.templatetags.complaint_display import display

    with translation.override(language):
        for name, choices in (
            ("status", Status),
            ("classification", Classification),
            ("severity", Severity),
        ):
            for value in choices.values:
                complaint = Complaint(**{name: value})
                assert display(complaint, name) == getattr(complaint, f"get_{name}_display")()
