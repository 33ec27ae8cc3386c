"""Celery tasks: thin and idempotent; each calls one function with `now`."""

from celery import shared_task
from django.utils import timezone

from . import clocks
from .notify import send_pending


@shared_task
def send_notifications() -> int:
    return send_pending(now=timezone.now())


@shared_task
def shift_reviews() -> int:
    return clocks.open_shift_reviews(now=timezone.now()) + clocks.flag_late_reviews(
        now=timezone.now()
    )


@shared_task
def deadline_scan() -> int:
    return clocks.deadline_scan(now=timezone.now())


@shared_task
def escalation_scan() -> int:
    return clocks.escalation_scan(now=timezone.now())


@shared_task
def supervisor_digest() -> int:
    return clocks.supervisor_digest(now=timezone.now())


@shared_task
def closure_reminders() -> int:
    return clocks.closure_reminders(now=timezone.now())


@shared_task
def website_scan_check() -> int:
    return clocks.website_scan_check(now=timezone.now())


@shared_task
def handover_check() -> int:
    return clocks.handover_check(now=timezone.now())


@shared_task
def major_report_scan() -> int:
    return clocks.major_report_scan(now=timezone.now())


@shared_task
def calendar_check() -> int:
    return clocks.calendar_check(now=timezone.now())
