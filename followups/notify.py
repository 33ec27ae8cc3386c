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
from django.utils.translation import override

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


def notify(recipient, *, kind: str, key: str, title: str, complaint=None, body: str = "", now=None):
    """Write one notification; the same (recipient, key) never notifies twice."""
    notification, created = Notification.objects.get_or_create(
        recipient=recipient,
        key=key,
        defaults={
            "kind": kind,
            "complaint": complaint,
            "title": title,
            "body": body,
            "created_at": now or timezone.now(),
        },
    )
    if created:
        _kick_sender_at_commit()
    return notification


def _kick_sender() -> None:
    """Ask a worker to send now; if the broker is down, the periodic sender will."""
    from .tasks import send_notifications

    try:
        send_notifications.delay()
    except Exception:  # noqa: BLE001 — any broker failure; the row is already safe
        log.warning("broker unavailable; notifications wait for the periodic sender", exc_info=True)


def send_pending(*, now: datetime | None = None, batch: int = 100) -> int:
    """E-mail unsent notifications, each row locked so two workers never send one twice."""
    sent = 0
    while True:
        with transaction.atomic():
            pending = list(
                Notification.objects.select_for_update(skip_locked=True)
                .filter(emailed_at__isnull=True)
                .exclude(recipient__email="")
                .select_related("recipient")
                .order_by("created_at")[:batch]
            )
            for notification in pending:
                with override("zh-hans"):
                    send_mail(
                        subject=one_line(notification.title),
                        message=notification.body or notification.title,
                        from_email=None,
                        recipient_list=[notification.recipient.email],
                    )
                notification.emailed_at = now or timezone.now()
            Notification.objects.bulk_update(pending, ["emailed_at"])
        sent += len(pending)
        if len(pending) < batch:
            return sent


def notify_many(rows: list[dict], *, now: datetime) -> int:
    """Write many notifications at once; rows whose (recipient, key) exists are skipped.

    Returns how many were new. The unique constraint keeps two workers from writing one twice."""
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
    """Every unread notification of `recipient`, in one statement; returns how many."""
    return Notification.objects.filter(recipient=recipient, read_at__isnull=True).update(
        read_at=now or timezone.now()
    )
