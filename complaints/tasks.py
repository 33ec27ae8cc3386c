"""Periodic jobs of the complaints app: thin, each calls one workflow function, idempotent."""

from celery import shared_task
from django.utils import timezone

from .dutylog import purge_old_duty_log


@shared_task
def purge_duty_log() -> int:
    """R-LOG-3: delete the duty-log lines older than one year; daily at 03:15 (beat)."""
    return purge_old_duty_log(now=timezone.now())
