"""A year without an official calendar (R-REPLY-2): the quality department confirms each year,
is reminded from 1 December, and a calendar change recomputes the stored reply limits of open
complaints without ever moving a reply time agreed with the customer."""

from datetime import date, datetime, time
from zoneinfo import ZoneInfo

import pytest

from accounts.roles import Role
from complaints.calendar_changes import recompute_reply_limits
from complaints.models import CalendarOverride, CalendarYear, ComplaintEvent, confirmed_years
from followups.clocks import calendar_check
from followups.models import Notification
from tests.factories import ComplaintFactory, OfficeFactory, staff

pytestmark = pytest.mark.django_db
SHANGHAI = ZoneInfo("Asia/Shanghai")
RECEIVED = datetime(2027, 3, 1, 10, 0, tzinfo=SHANGHAI)  # a Monday: limit Thursday 23:59:59


def test_from_the_first_of_december_the_quality_department_is_asked_for_next_years_calendar():
    office = OfficeFactory()
    quality = staff(Role.QUALITY_DEPARTMENT, branch=office.branch)
    assert calendar_check(now=datetime(2026, 11, 30, 9, tzinfo=SHANGHAI)) == 0
    assert calendar_check(now=datetime(2026, 12, 1, 9, tzinfo=SHANGHAI)) == 1
    assert calendar_check(now=datetime(2026, 12, 2, 9, tzinfo=SHANGHAI)) == 0  # once
    assert Notification.objects.get(kind="calendar_due").recipient == quality


def test_a_confirmed_year_is_no_longer_chased_nor_provisional():
    office = OfficeFactory()
    staff(Role.QUALITY_DEPARTMENT, branch=office.branch)
    confirmer = staff(Role.QUALITY_DEPARTMENT, branch=office.branch)
    assert 2027 not in confirmed_years(office.branch_id)
    CalendarYear.objects.create(
        year=2027, branch=office.branch, confirmed_at=RECEIVED, confirmed_by=confirmer
    )
    assert 2027 in confirmed_years(office.branch_id)
    assert calendar_check(now=datetime(2026, 12, 1, 9, tzinfo=SHANGHAI)) == 0


def test_an_override_recomputes_the_stored_limit_of_open_complaints_with_an_event(
    django_capture_on_commit_callbacks,
):
    office = OfficeFactory()
    complaint = ComplaintFactory(office=office, received_at=RECEIVED, entered_at=RECEIVED)
    complaint.reply_due = datetime(2027, 3, 2, 12, tzinfo=SHANGHAI)
    complaint.save()
    with django_capture_on_commit_callbacks(execute=True):
        CalendarOverride.objects.create(day=date(2027, 3, 2), kind="day_off", branch=office.branch)
    complaint.refresh_from_db()
    assert complaint.reply_latest == datetime.combine(date(2027, 3, 5), time(23, 59, 59), SHANGHAI)
    event = complaint.events.get(kind=ComplaintEvent.Kind.DEADLINE_RECOMPUTED)
    assert event.data["agreed_kept"] is False


def test_an_agreed_reply_time_is_never_moved_and_the_customer_is_to_be_told():
    # Received Friday 5 March 2027: limit Wednesday the 10th; the customer agreed Wednesday noon.
    # A make-up working Saturday (the 6th) ends the limit on Tuesday: the agreed time stays and
    # the receiver and supervisor are asked to agree a new one with the customer.
    office = OfficeFactory()
    assistant = staff(Role.CLIENT_ASSISTANT, office=office)
    supervisor = staff(Role.CUSTOMER_SUPERVISOR, office=office)
    friday = datetime(2027, 3, 5, 10, tzinfo=SHANGHAI)
    agreed = datetime(2027, 3, 10, 12, tzinfo=SHANGHAI)
    complaint = ComplaintFactory(
        office=office, received_by=assistant, received_at=friday, entered_at=friday
    )
    complaint.reply_due = agreed
    complaint.save()
    CalendarOverride.objects.bulk_create(  # no signal: the recompute is called below
        [CalendarOverride(day=date(2027, 3, 6), kind="working_day", branch=office.branch)]
    )
    assert recompute_reply_limits(branch_id=office.branch_id, now=friday) == 1
    complaint.refresh_from_db()
    assert complaint.reply_due == agreed  # never moved without telling the customer
    event = complaint.events.get(kind=ComplaintEvent.Kind.DEADLINE_RECOMPUTED)
    assert event.data["agreed_kept"] is True
    told = set(Notification.objects.filter(kind="reply_moved").values_list("recipient", flat=True))
    assert told == {assistant.pk, supervisor.pk}


def test_the_complaint_page_shows_deadlines_of_an_unconfirmed_year_as_provisional(client):
    from django.urls import reverse

    office = OfficeFactory()
    assistant = staff(Role.CLIENT_ASSISTANT, office=office)
    complaint = ComplaintFactory(office=office, received_by=assistant)
    client.force_login(assistant)
    url = reverse("complaints:detail", args=[complaint.pk])
    assert 'data-testid="provisional"' in client.get(url).content.decode()
    year = complaint.reply_latest.astimezone(SHANGHAI).year
    CalendarYear.objects.create(
        year=year, confirmed_at=RECEIVED, confirmed_by=staff(Role.QUALITY_DEPARTMENT)
    )
    assert 'data-testid="provisional"' not in client.get(url).content.decode()
