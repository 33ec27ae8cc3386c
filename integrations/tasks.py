"""Celery tasks of the webhooks: thin; the work is in integrations.webhooks."""

from celery import shared_task
from django.utils import timezone

from . import webhooks


@shared_task(bind=True, max_retries=None, acks_late=True)
def deliver_webhook(self, delivery_pk: int) -> bool:
    """One attempt; after a failure the same task comes back after the backoff (the row keeps
    the attempts and the next instant, so the sweep finds it if this message is lost)."""
    wait = webhooks.attempt(delivery_pk, now=timezone.now())
    if wait is not None:
        raise self.retry(countdown=wait.total_seconds())
    return True


@shared_task
def webhook_sweep() -> int:
    return webhooks.send_due(now=timezone.now())
