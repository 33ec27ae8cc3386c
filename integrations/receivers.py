"""The webhooks' trigger: a timeline event of the four kinds an integration may hear of,
written by any workflow function, and a rung of the escalation ladder climbed by the scan
(day 10, day 15: followups.clocks.escalated), record their deliveries in the same transaction
(integrations.webhooks). Imports point one way: complaints and followups never import
integrations."""

from django.db.models.signals import post_save
from django.dispatch import receiver

from complaints.models import Complaint, ComplaintEvent
from followups.clocks import escalated

from .models import Event, WebhookSubscription
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


@receiver(escalated, dispatch_uid="integrations.webhooks.ladder")
def tell_of_the_ladder(sender, complaint_ids, level, at, **kwargs):
    """R-FUP-2/3: the day-10 and day-15 rungs are `escalated` events too; one query when
    nobody listens, whatever the number of complaints the scan escalated."""
    if not WebhookSubscription.objects.listening(Event.ESCALATED).exists():
        return
    for complaint in Complaint.objects.filter(pk__in=complaint_ids).select_related("office"):
        cause = f"ladder:{level}:{complaint.pk}"
        record_deliveries(event=Event.ESCALATED, complaint=complaint, cause=cause, at=at)
