"""Home is the work queue of the role (issue 14): each number links to the list behind it,
and that list holds exactly the complaints counted."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse

from accounts.roles import Role
from complaints.models import ComplaintEvent, Status
from followups.models import ShiftReview
from tests.factories import (
    ComplaintFactory,
    OfficeFactory,
    ShiftFactory,
    ShiftHandoverFactory,
    WebsiteScanFactory,
    staff,
)

pytestmark = pytest.mark.django_db
SHANGHAI = ZoneInfo("Asia/Shanghai")
NOW = datetime(2026, 11, 18, 10, 0, tzinfo=SHANGHAI)


def tiles(response) -> dict[str, tuple[int, str]]:
    queue = response.context["queue"]
    return {tile.name: (tile.count, tile.url) for tile in queue.tiles}


def listed(client, url) -> set[str]:
    response = client.get(url)
    return {c.number for c, _deadline, _waiting in response.context["rows"]}


@time_machine.travel(NOW, tick=False)
def test_assistant_home_counts_what_is_due_today_and_links_to_that_list(client):
    # R-URG-2 / R-REPLY-3: the 3-day contact and the agreed reply, due today or overdue
    office = OfficeFactory()
    assistant = staff(Role.CLIENT_ASSISTANT, office=office)
    overdue = ComplaintFactory(office=office, received_at=NOW - timedelta(days=5))
    due_tonight = ComplaintFactory(office=office, received_at=NOW - timedelta(days=2, hours=12))
    ComplaintFactory(office=office, received_at=NOW - timedelta(hours=1))  # due in 3 days
    ComplaintFactory(received_at=NOW - timedelta(days=5))  # another office's
    client.force_login(assistant)

    response = client.get(reverse("home"))

    count, url = tiles(response)["due_contact"]
    assert count == 2
    assert listed(client, url) == {overdue.number, due_tonight.number}
    nearest = [row.complaint.number for row in response.context["queue"].nearest]
    assert nearest[0] == overdue.number  # nearest first: the overdue one leads


@time_machine.travel(NOW, tick=False)
def test_assistant_home_shows_handovers_to_sign_and_scans_of_the_day(client):
    # R-LOG-2 (the incoming assistant countersigns), R-CHAN-2 (two scans a day)
    office = OfficeFactory()
    assistant = staff(Role.CLIENT_ASSISTANT, office=office)
    colleague = staff(Role.CLIENT_ASSISTANT, office=office)
    ShiftHandoverFactory(office=office, outgoing=colleague)
    ShiftHandoverFactory(office=office, outgoing=assistant)  # their own: not theirs to sign
    WebsiteScanFactory(office=office, scanned_by=assistant, scanned_at=NOW - timedelta(hours=1))
    WebsiteScanFactory(office=office, scanned_by=assistant, scanned_at=NOW - timedelta(days=1))
    client.force_login(assistant)

    found = tiles(client.get(reverse("home")))

    assert found["handovers"][0] == 1
    assert found["scans"][0] == 1


@time_machine.travel(NOW, tick=False)
def test_manager_home_lists_rejected_closures_back_in_handling(client):
    # R-CLO-3: a rejected closure goes back to handling; the manager sees it come back
    office = OfficeFactory()
    manager = staff(Role.OFFICE_MANAGER, office=office)
    rejected = ComplaintFactory(office=office, status=Status.IN_PROGRESS)
    ComplaintEvent.objects.create(
        complaint=rejected, kind=ComplaintEvent.Kind.CLOSURE_REJECTED, actor=manager, at=NOW
    )
    ComplaintFactory(office=office, status=Status.IN_PROGRESS)
    old = ComplaintFactory(office=office, received_at=NOW - timedelta(days=16))
    client.force_login(manager)

    found = tiles(client.get(reverse("home")))

    count, url = found["rejected_back"]
    assert (count, listed(client, url)) == (1, {rejected.number})
    count, url = found["day_15"]  # R-FUP-3
    assert (count, listed(client, url)) == (1, {old.number})


@time_machine.travel(NOW, tick=False)
def test_supervisor_home_counts_the_days_complaints_in_office_time(client):
    # R-FUP-4: the supervisor keeps track of the day's complaints
    office = OfficeFactory()
    supervisor = staff(Role.CUSTOMER_SUPERVISOR, office=office)
    today = ComplaintFactory(office=office, received_at=NOW.replace(hour=0, minute=5))
    ComplaintFactory(office=office, received_at=NOW.replace(hour=0) - timedelta(minutes=5))
    client.force_login(supervisor)

    found = tiles(client.get(reverse("home")))

    count, url = found["received_today"]
    assert (count, listed(client, url)) == (1, {today.number})
    assert found["late_reviews"][0] == 0  # R-FUP-1: none flagged late this week


@time_machine.travel(NOW, tick=False)
def test_quality_department_sees_each_office_of_the_branch(client):
    office = OfficeFactory()
    other = OfficeFactory(branch=office.branch)
    quality = staff(Role.QUALITY_DEPARTMENT, branch=office.branch)
    ComplaintFactory(office=office)
    ComplaintFactory(office=other, received_at=NOW - timedelta(days=5))
    client.force_login(quality)

    rows = client.get(reverse("home")).context["queue"].offices

    assert {row["office"].pk: row["open"].count for row in rows} == {office.pk: 1, other.pk: 1}
    assert {row["office"].pk: row["overdue"].count for row in rows} == {office.pk: 0, other.pk: 1}


@pytest.mark.parametrize(
    "role", [Role.CLIENT_ASSISTANT, Role.CUSTOMER_SUPERVISOR, Role.OFFICE_MANAGER]
)
def test_home_query_count_does_not_grow_with_the_complaints(
    client, role, django_assert_max_num_queries
):
    # Queries are counted (constant): 3 complaints or 30, the same number of queries.
    office = OfficeFactory()
    user = staff(role, office=office)
    client.force_login(user)
    ComplaintFactory.create_batch(3, office=office, received_at=NOW - timedelta(days=5))
    with django_assert_max_num_queries(30) as few:
        client.get(reverse("home"))
    ComplaintFactory.create_batch(27, office=office, received_at=NOW - timedelta(days=5))
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(reverse("home"))


def test_quality_home_query_count_does_not_grow_with_the_offices(
    client, django_assert_max_num_queries
):
    office = OfficeFactory()
    quality = staff(Role.QUALITY_DEPARTMENT, branch=office.branch)
    client.force_login(quality)
    ComplaintFactory(office=office)
    with django_assert_max_num_queries(30) as few:
        client.get(reverse("home"))
    for _ in range(4):
        ComplaintFactory(office=OfficeFactory(branch=office.branch))
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(reverse("home"))


@time_machine.travel(NOW, tick=False)
def test_supervisor_home_counts_the_weeks_late_shift_reviews(client):
    # R-FUP-1: a review with items still unticked 30 minutes after the shift start is late
    office = OfficeFactory()
    supervisor = staff(Role.CUSTOMER_SUPERVISOR, office=office)
    shift = ShiftFactory(office=office)
    for days, flagged in ((1, True), (2, False), (9, True)):  # the 9-day-old one is out
        start = NOW - timedelta(days=days)
        ShiftReview.objects.create(
            office=office,
            shift=shift,
            starts_at=start,
            due_at=start + timedelta(minutes=30),
            flagged_at=start + timedelta(minutes=30) if flagged else None,
        )
    client.force_login(supervisor)

    assert tiles(client.get(reverse("home")))["late_reviews"][0] == 1
