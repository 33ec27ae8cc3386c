"""Notifications are rows written in the transaction of their cause, then e-mailed by a task:
a broker outage delays the e-mail and loses nothing (the periodic sender picks it up)."""

from __future__ import annotations

import contextvars
import logging
from contextlib import contextmanager
from datetime import datetime

from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone

from config.celery import delay_or_wait

from . import notices
from .models import Notification

log = logging.getLogger(__name__)
_kick_at_commit = contextvars.ContextVar("kick_sender_at_commit", default=True)


@contextmanager
def without_sending_at_once():
    """Write notifications without asking a worker to e-mail them at once: the demo seed writes
    ~180 for users without an address, and each would queue a task that sends nothing. The
    periodic sender still e-mails any row that has an address."""
    token = _kick_at_commit.set(False)
    try:
        yield
    finally:
        _kick_at_commit.reset(token)


def _kick_sender_at_commit() -> None:
    if _kick_at_commit.get():
        transaction.on_commit(_kick_sender)


def one_line(text: str) -> str:
    """A mail header from text that may hold a line break (an office named "A\nBcc: x"):
    Django refuses a header with one (BadHeaderError), which would stop every e-mail queued
    behind it; whitespace runs become one space (docs/security.md, hostile input)."""
    return " ".join(str(text).split())


def notify(
    recipient,
    kind: Notification.Kind,
    *,
    key: str,
    place=None,
    complaint=None,
    text: str = "",
    now=None,
    **params,
) -> Notification | None:
    """Write one notice of `kind`, composed by the catalogue (`followups.notices`), if
    `recipient` holds one of its roles at `place` (the complaint's office unless given) now.

    The same (recipient, key) never notifies twice. Returns the row, or None when the
    recipient is not an addressee (left the office, deactivated, another role)."""
    place = complaint.office if place is None else place
    if not notices.may_receive(recipient, kind, place):
        return None
    title, body = notices.compose(kind, text=text, **params)
    notification, created = Notification.objects.get_or_create(
        recipient=recipient,
        key=key,
        defaults={
            "kind": kind,
            "complaint": complaint,
            "title": title,
            "body": body,
            "created_at": now or timezone.now(),
            **notices.place_fields(kind, place),
        },
    )
    if created:
        _kick_sender_at_commit()
    return notification


def _kick_sender() -> None:
    """Ask a worker to send now; if the broker is down, the periodic sender will."""
    from .tasks import send_notifications

    delay_or_wait(send_notifications, log=log, waiting="notifications wait for the periodic sender")


def in_locked_batches(rows, send_batch, *, batch: int) -> int:
    """Send the unsent `rows` (a queryset) `batch` at a time, each batch locked in its own
    transaction with `skip_locked`, so two workers never send one row twice:
    `send_batch(rows)` sends and marks them and returns how many it sent. Returns the total.
    The notifications and the residents' mails are sent so (resident.mails)."""
    sent = 0
    while True:
        with transaction.atomic():
            pending = list(rows.select_for_update(skip_locked=True, of=("self",))[:batch])
            sent += send_batch(pending)
        if len(pending) < batch:
            return sent


def send_pending(*, now: datetime | None = None, batch: int = 100) -> int:
    """E-mail unsent notifications, each row locked so two workers never send one twice.

    The recipient is checked again first (issue of a moved or deactivated assistant): one who
    is no longer active, or no longer holds one of the notice's roles at its place, gets no
    e-mail, and the row says why (`not_sent`). Returns how many were e-mailed."""

    def send_batch(pending: list[Notification]) -> int:
        mailed, withheld = [], []
        for notification, addressed in zip(pending, notices.addressed(pending), strict=True):
            if not addressed:
                notification.not_sent = _why_not_sent(notification)
                withheld.append(notification)
                continue
            send_mail(
                subject=one_line(notification.title),
                message=notification.body or notification.title,
                from_email=None,
                recipient_list=[notification.recipient.email],
            )
            notification.emailed_at = now or timezone.now()
            mailed.append(notification)
        Notification.objects.bulk_update(mailed, ["emailed_at"])
        Notification.objects.bulk_update(withheld, ["not_sent"])
        return len(mailed)

    unsent = (
        Notification.objects.filter(emailed_at__isnull=True, not_sent="")
        .exclude(recipient__email="")
        .select_related("recipient")
        .order_by("created_at")
    )
    return in_locked_batches(unsent, send_batch, batch=batch)


def _why_not_sent(notification: Notification) -> str:
    if not notification.recipient.is_active:
        return Notification.NotSent.DEACTIVATED
    return Notification.NotSent.NOT_ADDRESSEE


def notify_many(rows: list[dict], *, now: datetime) -> int:
    """Write many notices at once (rows from `notices.row`); rows whose (recipient, key)
    exists, and rows whose recipient is not an addressee now, are skipped.

    Returns how many were new. The unique constraint keeps two workers from writing one twice."""
    rows = [row for row, ok in zip(rows, notices.addressed(rows), strict=True) if ok]
    if not rows:
        return 0
    keys = {row["key"] for row in rows}
    existing = set(Notification.objects.filter(key__in=keys).values_list("recipient_id", "key"))
    new = {
        (row["recipient_id"], row["key"]): Notification(created_at=now, **row)
        for row in rows
        if (row["recipient_id"], row["key"]) not in existing
    }
    Notification.objects.bulk_create(new.values(), ignore_conflicts=True, batch_size=500)
    if new:
        _kick_sender_at_commit()
    return len(new)


def mark_read(notification: Notification, *, now: datetime | None = None) -> Notification:
    """The recipient has seen it; reading it again changes nothing."""
    if notification.read_at is None:
        notification.read_at = now or timezone.now()
        notification.save(update_fields=["read_at"])
    return notification


def mark_all_read(recipient, *, now: datetime | None = None) -> int:
    """Every unread notification of `recipient` (those the inbox shows), in one statement;
    returns how many."""
    return (
        Notification.objects.addressed_to(recipient).unread().update(read_at=now or timezone.now())
    )
