"""Workflow edges the outside test found open: each is a way to skew a clock, a figure of the
month's report, or a link the desk shows.

Threats, one per group below: an agreed reply time set before the receipt makes the reply
clock lie (R-REPLY-2); an assistant records the "received by the branch" channel without a
handler, so the branch's figures count what never reached the branch (R-QD-1, R-QD-2); a
duty-log line backdated by years rewrites what a past month's report counts (R-LOG-1); a
customer e-mail with a quoted local part adds a Bcc header to the `mailto:` link the desk shows.
"""

import re
from datetime import datetime, timedelta
from pathlib import Path
from urllib.parse import unquote, urlsplit
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import translation

from accounts.roles import Role
from complaints.dutylog import BACKDATE_WINDOW, DutyLogRefused, add_duty_log_line
from complaints.models import Channel, Complaint, DutyLogEntry
from complaints.workflow import IntakeRefused, record_complaint
from followups.models import Contact
from followups.workflow import StepRefused, record_contact
from tests.factories import (
    BuildingFactory,
    CategoryFactory,
    ComplaintFactory,
    OfficeFactory,
    staff,
)

pytestmark = pytest.mark.django_db
SHANGHAI = ZoneInfo("Asia/Shanghai")
NOW = datetime(2026, 11, 20, 10, 0, tzinfo=SHANGHAI)
ROOT = Path(__file__).resolve().parents[2]
HOSTILE_EMAIL = '"x?bcc=evil@e.x"@x.cn'


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def office():
    return OfficeFactory(code="HY")


@pytest.fixture
def assistant(office):
    return staff(Role.CLIENT_ASSISTANT, office=office)


def new_complaint(office, **fields) -> Complaint:
    return Complaint(
        **{
            "office": office,
            "complainant_name": "王先生",
            "phone": "+8613800138000",
            "building": BuildingFactory(office=office),
            "room": "1502",
            "received_at": NOW - timedelta(minutes=20),
            "channel": Channel.PHONE,
            "category": CategoryFactory(),
            "description": "楼上夜间装修",
            "customer_request": "停止夜间施工",
            "reply_due": NOW + timedelta(days=1),
            **fields,
        }
    )


# --- the agreed reply in a contact (R-REPLY-2) ---------------------------------------------


@pytest.fixture
def received(office, assistant):
    return ComplaintFactory(
        office=office, received_by=assistant, received_at=NOW - timedelta(hours=2)
    )


def _contact(complaint, by, next_reply_due):
    return record_contact(
        complaint,
        by=by,
        kind=Contact.Kind.PROGRESS,
        method=Contact.Method.PHONE,
        summary="the part is on order",
        next_reply_due=next_reply_due,
        now=NOW,
    )


def test_a_contact_cannot_agree_a_reply_before_the_receipt(received, assistant):
    """Threat: the contact step accepted 2020-01-01 as the next agreed reply (R-REPLY-2)."""
    with pytest.raises(StepRefused) as refused, translation.override("en"):
        _contact(received, assistant, datetime(2020, 1, 1, 9, 0, tzinfo=SHANGHAI))
    assert "before the time of receipt" in str(refused.value)
    received.refresh_from_db()
    assert received.reply_due > received.received_at and not received.contacts.exists()


def test_a_contact_cannot_agree_a_reply_already_past(received, assistant):
    """Threat: a reply "agreed" for an hour ago reads as already late, or as kept."""
    with pytest.raises(StepRefused) as refused, translation.override("en"):
        _contact(received, assistant, NOW - timedelta(hours=1))
    assert "before this contact" in str(refused.value)


def test_a_contact_agrees_a_reply_within_the_limit(received, assistant):
    """The sanity case: a later time within the limit is agreed and moves the reply clock."""
    agreed = NOW + timedelta(hours=4)
    _contact(received, assistant, agreed)
    received.refresh_from_db()
    assert received.reply_due == agreed


def test_the_contact_form_refuses_a_reply_before_the_receipt(client, received, assistant):
    """Threat as above, through the complaint page's contact form."""
    client.force_login(assistant)
    response = client.post(
        reverse("followups:contact", args=[received.pk]),
        {
            "contact-kind": "progress",
            "contact-method": "phone",
            "contact-summary": "the part is on order",
            "contact-signed": "on",
            "contact-next_reply_due": "2020-01-01T09:00",
        },
        follow=True,
    )
    assert response.status_code == 200
    received.refresh_from_db()
    assert not received.contacts.exists()
    assert received.reply_due.year == 2026


# --- the branch channel (R-QD-1, R-QD-2) ---------------------------------------------------


def test_an_assistant_cannot_record_the_branch_channel(office, assistant):
    """Threat: an assistant recorded "received by the branch" without a handler, counted in
    the branch's figures (R-QD-2) though the branch never had it."""
    with pytest.raises(IntakeRefused) as refused:
        record_complaint(new_complaint(office, channel=Channel.BRANCH), by=assistant, now=NOW)
    assert "channel" in refused.value.reasons
    assert not Complaint.objects.exists()


def test_the_intake_form_does_not_offer_office_staff_the_branch_channel(client, assistant):
    """Threat as above: the channel is not on offer, and a forged post is a field error."""
    client.force_login(assistant)
    page = client.get(reverse("complaints:intake")).content.decode()
    assert 'value="branch"' not in page


def test_the_quality_department_records_the_branch_channel_with_its_handler(office):
    """The sanity case (R-QD-1): the quality department records it and names the manager."""
    quality = staff(Role.QUALITY_DEPARTMENT, branch=office.branch)
    manager = staff(Role.OFFICE_MANAGER, office=office)
    complaint = record_complaint(
        new_complaint(office, channel=Channel.BRANCH, handler=manager), by=quality, now=NOW
    )
    assert complaint.channel == Channel.BRANCH and complaint.handler == manager


def test_the_database_refuses_a_branch_complaint_without_a_handler(office):
    """Threat: any other path (a script, a future form) stores the branch channel alone."""
    with pytest.raises(IntegrityError), transaction.atomic():
        ComplaintFactory(office=office, channel=Channel.BRANCH, handler=None)


def test_an_admin_correction_cannot_turn_a_complaint_into_a_branch_one(client, office):
    """Threat: an office manager corrects the channel to "branch" in the admin, no handler."""
    manager = staff(Role.OFFICE_MANAGER, office=office)
    complaint = ComplaintFactory(office=office, channel=Channel.PHONE)
    from complaints.admin import ComplaintAdminForm

    data = {name: getattr(complaint, name) for name in ComplaintAdminForm._meta.fields}
    data |= {"building": complaint.building_id, "unit": complaint.unit_id or ""}
    data |= {"category": complaint.category_id, "channel": Channel.BRANCH}
    form = ComplaintAdminForm(data=data, instance=complaint)
    assert not form.is_valid()
    assert "channel" in form.errors
    assert manager  # the role that could reach the admin form


# --- backdating the duty log (R-LOG-1) -----------------------------------------------------


def test_a_duty_log_line_cannot_be_dated_years_back(office, assistant):
    """Threat: a line dated 2000 (the window was the whole century) changes what the duty log
    of a past month shows, and what its report counted."""
    with pytest.raises(DutyLogRefused) as refused:
        add_duty_log_line(
            by=assistant,
            office=office,
            kind=DutyLogEntry.Kind.INQUIRY,
            matter="停车月卡",
            occurred_at=datetime(2000, 1, 1, 9, 0, tzinfo=SHANGHAI),
            now=NOW,
        )
    assert "occurred_at" in refused.value.reasons
    assert not DutyLogEntry.objects.exists()


def test_a_duty_log_line_can_be_dated_back_within_the_window_only(office, assistant):
    """The window is a week (docs/operations.md): its edge is accepted, a minute past refused."""
    edge = NOW - BACKDATE_WINDOW
    line = add_duty_log_line(
        by=assistant, office=office, kind="inquiry", matter="周末漏记", occurred_at=edge, now=NOW
    )
    assert line.occurred_at == edge
    with pytest.raises(DutyLogRefused):
        add_duty_log_line(
            by=assistant,
            office=office,
            kind="inquiry",
            matter="更早的",
            occurred_at=edge - timedelta(minutes=1),
            now=NOW,
        )


def test_the_duty_log_form_refuses_a_backdated_line_with_a_message(client, office, assistant):
    """Threat as above, through the duty-log page: a field error, nothing stored."""
    client.force_login(assistant)
    response = client.post(
        reverse("complaints:dutylog_add"),
        {
            "office": office.pk,
            "occurred_at": "2000-01-01T09:00",
            "kind": "inquiry",
            "matter": "咨询停车月卡办理",
            "day": "2026-11-20",
        },
    )
    assert response.status_code in (200, 400)
    assert not DutyLogEntry.objects.exists()


# --- mailto links ----------------------------------------------------------------------------


def test_intake_refuses_an_e_mail_that_would_add_a_header(office, assistant):
    """Threat: `"x?bcc=evil@e.x"@x.cn` is a valid address by the RFC (and Django); in a
    `mailto:` link its `?bcc=` copies the desk's mail to the caller's choice."""
    with pytest.raises(IntakeRefused) as refused:
        record_complaint(new_complaint(office, email=HOSTILE_EMAIL), by=assistant, now=NOW)
    assert "email" in refused.value.reasons


def test_a_stored_hostile_e_mail_gains_no_header_in_its_link(client, office, assistant):
    """Threat: an address stored before the rule (or by another path) still shows as a link;
    the link is encoded so it names the address and nothing else."""
    complaint = ComplaintFactory(office=office, received_by=assistant, email=HOSTILE_EMAIL)
    client.force_login(assistant)
    page = client.get(reverse("complaints:detail", args=[complaint.pk])).content.decode()
    links = re.findall(r'href="(mailto:[^"]*)"', page)
    assert links
    for link in links:
        parts = urlsplit(link.replace("&amp;", "&"))
        assert not parts.query and not parts.fragment, link  # no header, no fragment
        assert unquote(parts.path) == HOSTILE_EMAIL  # exactly the stored address


def test_every_mailto_in_the_templates_is_encoded():
    """Threat: a new template writes `mailto:{{ … }}` raw; every one must use `|mailto`."""
    for template in (ROOT / "templates").rglob("*.html"):
        for line in template.read_text().splitlines():
            assert "mailto:" not in line, f"{template.name}: use the mailto filter: {line}"


def test_a_plain_e_mail_is_recorded_and_linked(client, office, assistant):
    """The sanity case: an ordinary address is kept and its link works."""
    complaint = record_complaint(
        new_complaint(office, email="wang.li+desk@example.cn"), by=assistant, now=NOW
    )
    client.force_login(assistant)
    page = client.get(reverse("complaints:detail", args=[complaint.pk])).content.decode()
    assert 'href="mailto:wang.li+desk@example.cn"' in page
