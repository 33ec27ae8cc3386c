"""Mails to the resident (#17 item 6), through a real SMTP server on loopback (aiosmtpd):
the link when it is issued, then one mail per change of state, only where an e-mail is known."""

import email
import email.policy
import socket
from datetime import UTC, datetime, timedelta

import pytest
from aiosmtpd.controller import Controller

from complaints.models import Complaint
from complaints.workflow import record_complaint
from followups.workflow import record_contact
from resident.links import token_of
from resident.mails import send_pending_mails
from resident.models import ResidentMail, TrackingLink
from tests.factories import CategoryFactory, ComplaintFactory
from tests.followups.states import handled

NOW = datetime(2026, 11, 10, 2, 0, tzinfo=UTC)
pytestmark = [pytest.mark.django_db, pytest.mark.frozen_at(NOW)]


class Inbox:
    def __init__(self):
        self.messages = []

    async def handle_DATA(self, server, session, envelope):
        message = email.message_from_bytes(envelope.content, policy=email.policy.default)
        self.messages.append((envelope.rcpt_tos, message))
        return "250 OK"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def smtp(settings):
    """A real SMTP server on a free loopback port; Django's SMTP backend points at it."""
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=free_port())
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", controller.port
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
    settings.RESIDENT_BASE_URL = "https://desk.example.cn"
    yield inbox
    controller.stop()


def intake(office, supervisor, **fields):
    complaint = ComplaintFactory.build(
        office=office, received_by=supervisor, category=CategoryFactory(), **fields
    )
    complaint.received_at, complaint.answered_at_once, complaint.reply_due = NOW, True, None
    return record_complaint(complaint, by=supervisor, now=NOW)


def body_of(message) -> str:
    return message.get_body(preferencelist=("plain",)).get_content()


def test_a_recorded_complaint_mails_its_tracking_link(
    smtp, office, supervisor, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        complaint = intake(office, supervisor, email="wang@example.cn")
    assert send_pending_mails() == 1
    ((recipients, message),) = smtp.messages
    assert recipients == ["wang@example.cn"]
    assert complaint.number in message["Subject"] and "在线查询进度" in message["Subject"]
    link = TrackingLink.objects.live().get(complaint=complaint)
    body = body_of(message)
    assert f"https://desk.example.cn/t/{token_of(link)}/" in body
    assert link.display_code in body
    assert "我们已收到您的投诉" in body


def test_each_change_of_state_is_one_mail_and_a_contact_alone_none(
    smtp, office, supervisor, assistant, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        complaint = intake(office, supervisor, email="wang@example.cn")
    send_pending_mails()
    smtp.messages.clear()
    with django_capture_on_commit_callbacks(execute=True):  # recorded → in progress
        record_contact(
            complaint, by=assistant, kind="progress", method="phone", summary="进展", now=NOW
        )
    with django_capture_on_commit_callbacks(execute=True):  # still in progress: nothing to tell
        record_contact(
            complaint, by=assistant, kind="progress", method="phone", summary="再次", now=NOW
        )
    assert send_pending_mails() == 1
    with django_capture_on_commit_callbacks(execute=True):
        handled(complaint, supervisor, NOW + timedelta(hours=1))  # two events, one new state
    assert send_pending_mails() == 1
    subjects = [message["Subject"] for _to, message in smtp.messages]
    assert len(subjects) == 2 and all("最新进展" in subject for subject in subjects)
    assert "我们正在处理您的投诉" in body_of(smtp.messages[0][1])
    assert "您的投诉已处理完毕" in body_of(smtp.messages[1][1])


def test_no_email_known_no_mail(smtp, office, supervisor, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        intake(office, supervisor, email="")
    assert send_pending_mails() == 0
    assert not ResidentMail.objects.exists() and smtp.messages == []


def test_an_address_carrying_a_header_is_never_sent(
    smtp, office, supervisor, django_capture_on_commit_callbacks
):
    """Threat: an address with a line break injects a Bcc (or any header) into the mail."""
    with django_capture_on_commit_callbacks(execute=True):
        complaint = intake(office, supervisor, email="wang@example.cn")
    ResidentMail.objects.update(to="wang@example.cn\r\nBcc: thief@example.com")
    assert send_pending_mails() == 0
    assert smtp.messages == []
    assert ResidentMail.objects.get(complaint=complaint).not_sent == "bad_address"


def test_a_name_with_line_breaks_stays_in_the_body(
    smtp, office, supervisor, django_capture_on_commit_callbacks
):
    """Threat: the complainant's name (typed at the desk or the community form) forges a header."""
    with django_capture_on_commit_callbacks(execute=True):
        intake(
            office,
            supervisor,
            email="wang@example.cn",
            complainant_name="王\r\nBcc: thief@example.com",
        )
    send_pending_mails()
    ((recipients, message),) = smtp.messages
    assert recipients == ["wang@example.cn"] and message["Bcc"] is None


def test_the_mail_is_in_chinese_whatever_the_desk_browses_in(
    smtp, office, supervisor, english, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        intake(office, supervisor, email="wang@example.cn")
    send_pending_mails()
    assert "您的投诉" in smtp.messages[0][1]["Subject"]
    assert Complaint.objects.count() == 1


def test_a_complaint_without_a_link_is_told_its_state_without_one(
    smtp, record, assistant, django_capture_on_commit_callbacks
):
    """A complaint recorded before tracking links (or whose link was revoked) gets its state
    mail, saying to call the desk, not a mail promising a link it does not carry."""
    complaint = record(email="wang@example.cn")  # no link: made before the resident's side
    with django_capture_on_commit_callbacks(execute=True):
        record_contact(
            complaint, by=assistant, kind="progress", method="phone", summary="进展", now=NOW
        )
    assert send_pending_mails() == 1
    ((_to, message),) = smtp.messages
    assert "最新进展" in message["Subject"]
    assert "请致电客户服务中心" in body_of(message) and "/t/" not in body_of(message)
