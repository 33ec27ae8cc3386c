"""The rules the desk used to leave loose: website scans twice a day (R-CHAN-2), website
complaints answered on the website (R-REPLY-4), handovers signed at each shift change (R-LOG-2),
and the shift review's customer update counted as the contact it is (R-FUP-1 with R-URG-2)."""

from datetime import date, datetime, time, timedelta

import pytest
import time_machine
from django.urls import reverse

from accounts.roles import Role
from followups.clocks import handover_check, open_shift_reviews, website_scan_check
from followups.models import Contact, Notification, ShiftReviewItem
from followups.workflow import (
    StepRefused,
    record_contact,
    record_corrective_action,
    resolve,
    tick_review_item,
)
from reports.kpis import monthly_kpis
from tests.factories import (
    ComplaintFactory,
    DutyLogEntryFactory,
    ShiftFactory,
    ShiftHandoverFactory,
    WebsiteScanFactory,
    staff,
)

from .conftest import SHANGHAI, T0

pytestmark = pytest.mark.django_db
DAY = date(2026, 11, 18)  # a Wednesday
MORNING_AFTER = datetime(2026, 11, 19, 8, 0, tzinfo=SHANGHAI)


def scans(office, *hours):
    for hour in hours:
        WebsiteScanFactory(office=office, scanned_at=datetime.combine(DAY, time(hour), SHANGHAI))


# --- R-CHAN-2 ---------------------------------------------------------------------------


def test_a_day_with_one_website_scan_alerts_the_supervisor_next_morning(office, supervisor):
    scans(office, 10)
    assert website_scan_check(now=MORNING_AFTER - timedelta(minutes=1)) == 0
    assert website_scan_check(now=MORNING_AFTER) == 1
    note = Notification.objects.get(kind="scans_missed")
    assert note.recipient == supervisor and note.office == office
    assert website_scan_check(now=MORNING_AFTER + timedelta(hours=1)) == 0  # once a day


def test_a_day_with_two_website_scans_alerts_nobody(office, supervisor):
    scans(office, 10, 16)
    assert website_scan_check(now=MORNING_AFTER) == 0


def test_the_monthly_report_counts_the_days_short_of_scans(office, assistant):
    # R-CHAN-2 in R-RPT-1: 18 November had one scan, every other November day none.
    scans(office, 10, 16)  # the 18th is fine
    ComplaintFactory(office=office, received_by=assistant, received_at=T0)
    kpis = monthly_kpis(
        office.complaints.all(),
        month=date(2026, 11, 1),
        zone=SHANGHAI,
        now=datetime(2026, 12, 1, 0, 30, tzinfo=SHANGHAI),
    )
    assert kpis.days_short_of_scans == 29


# --- R-REPLY-4 --------------------------------------------------------------------------


def test_a_website_complaint_is_not_handled_before_a_website_reply(office, assistant):
    complaint = ComplaintFactory(office=office, received_by=assistant, channel="website")
    record_corrective_action(complaint, by=assistant, cause="c", correction="k", prevention="p")
    record_contact(complaint, by=assistant, kind="reply", method="phone", summary="已电话答复")
    with pytest.raises(StepRefused) as refused:
        resolve(complaint, by=assistant)
    assert any("R-REPLY-4" in reason for reason in refused.value.reasons)
    record_contact(
        complaint, by=assistant, kind="website_reply", method="website", summary="已在论坛回复",
        signed=False,
    )  # fmt: skip
    assert resolve(complaint, by=assistant).status == "resolved"


# --- R-LOG-2 ----------------------------------------------------------------------------


@pytest.fixture
def shifts(office):
    ShiftFactory(office=office, starts_at=time(8, 0))
    return ShiftFactory(office=office, starts_at=time(20, 0), name="晚班")


CHANGE = datetime(2026, 11, 18, 20, 0, tzinfo=SHANGHAI)


def test_a_shift_change_without_a_handover_alerts_the_outgoing_assistant_and_supervisor(
    office, assistant, supervisor, shifts
):
    other = staff(Role.CLIENT_ASSISTANT, office=office)
    DutyLogEntryFactory(office=office, recorder=assistant, occurred_at=CHANGE - timedelta(hours=3))
    assert handover_check(now=CHANGE + timedelta(minutes=29)) == 0
    handover_check(now=CHANGE + timedelta(minutes=30))
    told = set(
        Notification.objects.filter(kind="handover_missing").values_list("recipient", flat=True)
    )
    assert told == {assistant.pk, supervisor.pk}  # not the assistant who was not on shift
    assert other.pk not in told
    assert handover_check(now=CHANGE + timedelta(minutes=35)) == 0


def test_a_handover_not_countersigned_alerts_its_writer(office, assistant, supervisor, shifts):
    ShiftHandoverFactory(office=office, outgoing=assistant, handed_over_at=CHANGE)
    handover_check(now=CHANGE + timedelta(minutes=30))
    told = set(
        Notification.objects.filter(kind="handover_missing").values_list("recipient", flat=True)
    )
    assert told == {assistant.pk, supervisor.pk}


def test_a_signed_handover_alerts_nobody(office, assistant, supervisor, shifts):
    incoming = staff(Role.CLIENT_ASSISTANT, office=office)
    ShiftHandoverFactory(
        office=office,
        outgoing=assistant,
        incoming=incoming,
        handed_over_at=CHANGE - timedelta(minutes=5),
        incoming_signed_at=CHANGE + timedelta(minutes=10),
    )
    assert handover_check(now=CHANGE + timedelta(minutes=30)) == 0


# --- R-FUP-1 with R-URG-2 ---------------------------------------------------------------


@pytest.fixture
def review_item(office, assistant):
    ShiftFactory(office=office, starts_at=time(8, 0))
    ComplaintFactory(office=office, received_by=assistant, received_at=T0)
    open_shift_reviews(now=datetime(2026, 11, 20, 8, 0, tzinfo=SHANGHAI))
    return ShiftReviewItem.objects.get()


def test_ticking_customer_updated_records_the_contact_once_and_moves_the_clock(
    review_item, assistant
):
    at = datetime(2026, 11, 20, 8, 10, tzinfo=SHANGHAI)
    tick_review_item(
        review_item, by=assistant, note="已告知业主进度", customer_updated=True, now=at
    )
    contact = Contact.objects.get()
    assert (contact.kind, contact.at, contact.summary) == ("progress", at, "已告知业主进度")
    review_item.refresh_from_db()
    assert review_item.contact == contact
    assert review_item.complaint.next_contact_due == at + timedelta(days=3)
    with pytest.raises(StepRefused):
        tick_review_item(review_item, by=assistant, note="again", customer_updated=True, now=at)
    assert Contact.objects.count() == 1


def test_the_my_shift_tick_records_the_customer_update_from_the_form(
    client, review_item, assistant
):
    client.force_login(assistant)
    with time_machine.travel(datetime(2026, 11, 20, 8, 10, tzinfo=SHANGHAI), tick=False):
        response = client.post(
            reverse("followups:review_tick", args=[review_item.pk]),
            {"note": "已电话告知", "customer_updated": "on", "method": "phone"},
            headers={"HX-Request": "true"},
        )
    assert 'data-testid="review-contact"' in response.text
    assert Contact.objects.filter(complaint=review_item.complaint, method="phone").count() == 1


def test_ticking_without_the_customer_update_records_no_contact(review_item, assistant):
    tick_review_item(review_item, by=assistant, note="等待维修队", now=T0 + timedelta(days=4))
    assert not Contact.objects.exists()
