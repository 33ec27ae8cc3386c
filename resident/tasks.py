from celery import shared_task
from django.utils import timezone

from .mails import send_pending_mails


@shared_task
def send_resident_mails() -> int:
    """Send the resident's mails waiting; safe to repeat (each row is sent once)."""
    return send_pending_mails(now=timezone.now())
