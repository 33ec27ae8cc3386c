"""The webhooks' trigger: a timeline event of the four kinds an integration may hear of,
written by any workflow function, records its deliveries in the same transaction
(integrations.webhooks). Imports point one way: complaints never imports integrations."""

from django.db.models.signals import post_save
from django.dispatch import receiver

from complaints.models import ComplaintEvent

from .models import Event
from .webhooks import record_deliveries

TOLD = {
    ComplaintEvent.Kind.RECORDED: Event.RECORDED,
    ComplaintEvent.Kind.ESCALATED: Event.ESCALATED,
    ComplaintEvent.Kind.REVISITED: Event.REVISITED,
    ComplaintEvent.Kind.CLOSED: Event.CLOSED,
}


@receiver(post_save, sender=ComplaintEvent, dispatch_uid="integrations.webhooks")
def tell_subscriptions(sender, instance, created, raw=False, **kwargs):
    event = TOLD.get(instance.kind)
    if not created or raw or event is None:
        return
    record_deliveries(
        event=event,
        complaint=instance.complaint,  # the step's own object: its office is at hand
        cause=f"event:{instance.pk}",
        at=instance.at,
    )
