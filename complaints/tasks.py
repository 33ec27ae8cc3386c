"""Periodic jobs of the complaints app: thin, each calls one workflow function, idempotent."""

from celery import shared_task
from django.utils import timezone

from .dutylog import purge_old_duty_log


@shared_task
def purge_duty_log() -> int:
    """R-LOG-3: delete the duty-log lines older than one year; daily at 03:15 (beat)."""
    return purge_old_duty_log(now=timezone.now())


@shared_task
def make_thumbnail(attachment_id: int) -> bool:
    """The thumbnail of a photo just attached; queued after the upload's commit."""
    from .attachments import make_thumbnail as make
    from .models import Attachment

    attachment = Attachment.objects.filter(pk=attachment_id).first()
    return make(attachment) if attachment is not None else False
