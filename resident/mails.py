"""Mails to the resident (#17 item 6): the tracking link, then one per change of state.

Rows are written when their cause happens (`resident.receivers`) and sent by
`send_pending_mails`, run by a task after the commit; every row is locked while sent, so two
workers never send one twice. Written in Chinese whatever the language of the request that
caused them: the resident's page is Chinese."""

from __future__ import annotations

import logging
from datetime import datetime

from django.core.mail import BadHeaderError, EmailMessage
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation

from config.celery import delay_or_wait
from followups.notify import in_locked_batches

from .links import live_link, tracking_url
from .models import ResidentMail, TrackingLink
from .wording import state_words

log = logging.getLogger(__name__)
LANGUAGE = "zh-hans"


def _kick_sender() -> None:
    from .tasks import send_resident_mails

    delay_or_wait(send_resident_mails, log=log, waiting="resident mails wait for the next send")


def write_mail(complaint, *, kind: str, key: str, now: datetime | None = None) -> bool:
    """One row for the complaint's customer, if an e-mail is known; the sender is asked to run
    after the commit. Returns whether a row was written (a key is written once)."""
    if not complaint.email:
        return False
    _mail, created = ResidentMail.objects.get_or_create(
        key=key,
        defaults={
            "complaint": complaint,
            "kind": kind,
            "status": complaint.status,
            "to": complaint.email,
            "created_at": now or timezone.now(),
        },
    )
    if created:
        transaction.on_commit(_kick_sender)
    return created


def note_state(complaint_id: int, *, key: str) -> bool:
    """After a commit that wrote an event: one state mail if the state differs from the last
    one the customer was told (a link mail tells the state it was sent in); the first mail of
    a complaint is its link's (the link issued at intake writes no event of its own), unless it
    has none (recorded before tracking links, or revoked)."""
    from complaints.models import Complaint

    complaint = Complaint.objects.filter(pk=complaint_id).first()
    if complaint is None or not complaint.email:
        return False
    last = ResidentMail.objects.filter(complaint=complaint).order_by("-created_at", "-pk").first()
    if last is not None and last.status == complaint.status:
        return False
    first = last is None and TrackingLink.objects.live().filter(complaint=complaint).exists()
    kind = ResidentMail.Kind.LINK if first else ResidentMail.Kind.STATE
    return write_mail(complaint, kind=kind, key=key)


def compose(mail: ResidentMail) -> tuple[str, str]:
    """Subject and body, in Chinese, from the complaint as it is now."""
    complaint = mail.complaint
    link, token = live_link(complaint)
    context = {
        "complaint": complaint,
        "kind": mail.kind,
        "state": state_words(mail.status),
        "url": tracking_url(None, token) if token else "",
        "code": link.display_code if link else "",
        "zone": complaint.office.zone,
    }
    with translation.override(LANGUAGE):
        subject = render_to_string("resident/mail_subject.txt", context)
        body = render_to_string("resident/mail_body.txt", context)
    return " ".join(subject.split()), body


def send_pending_mails(*, now: datetime | None = None, batch: int = 50) -> int:
    """Send every unsent row; returns how many were sent."""

    def send_batch(pending: list[ResidentMail]) -> int:
        sent = 0
        for mail in pending:
            subject, body = compose(mail)
            try:
                EmailMessage(subject=subject, body=body, to=[mail.to]).send()
            except (BadHeaderError, ValueError):  # a line break: never a header injected
                mail.not_sent = ResidentMail.NotSent.BAD_ADDRESS
                mail.save(update_fields=["not_sent"])
                continue
            mail.sent_at = now or timezone.now()
            mail.save(update_fields=["sent_at"])
            sent += 1
        return sent

    unsent = (
        ResidentMail.objects.filter(sent_at__isnull=True, not_sent="")
        .select_related("complaint", "complaint__office")
        .order_by("created_at", "pk")
    )
    return in_locked_batches(unsent, send_batch, batch=batch)
