"""The webhooks in the admin (docs/api.md, Webhooks): a superuser subscribes an integration
and sees its secret once; the delivery log shows every attempt and can send one again."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse

from integrations.models import WebhookDelivery, WebhookSubscription
from integrations.webhooks import attempt

from .test_webhooks import intake

SHANGHAI = ZoneInfo("Asia/Shanghai")
NOW = datetime(2026, 11, 16, 9, 0, tzinfo=SHANGHAI)
pytestmark = [pytest.mark.django_db, pytest.mark.frozen_at(NOW)]
ADD = reverse("admin:integrations_webhooksubscription_add")
LOG = reverse("admin:integrations_webhookdelivery_changelist")


def test_the_signing_secret_is_shown_once_when_the_subscription_is_made(
    superuser_client, assistant, subscribe, english
):
    token = subscribe(assistant).token
    response = superuser_client.post(
        ADD,
        {"token": token.pk, "url": "https://crm.example.com/desk-hooks", "on_closed": "on",
         "active": "on"},
        follow=True,
    )  # fmt: skip
    made = WebhookSubscription.objects.get(url="https://crm.example.com/desk-hooks")
    assert made.created_by.is_superuser
    assert (made.on_closed, made.on_recorded) == (True, False)
    assert "shown this once only" in response.content.decode()
    assert made.secret in response.content.decode()
    change = reverse("admin:integrations_webhooksubscription_change", args=[made.pk])
    assert made.secret not in superuser_client.get(change).content.decode()


def test_a_refused_url_says_why_and_keeps_what_was_typed(
    superuser_client, assistant, subscribe, english
):
    token = subscribe(assistant).token
    typed = "ftp://crm.example.com/desk-hooks"
    response = superuser_client.post(ADD, {"token": token.pk, "url": typed, "active": "on"})
    page = response.content.decode()
    assert response.status_code == 200
    assert "must start with http:// or https://" in page and typed in page
    assert WebhookSubscription.objects.count() == 1  # only the fixture's


def test_the_delivery_log_shows_each_attempt_and_redelivers(
    superuser_client, office, assistant, receiver, subscribe, queued, settings, english,
    django_capture_on_commit_callbacks,
):  # fmt: skip
    settings.WEBHOOK_MAX_ATTEMPTS = 1
    receiver.answers = [500]
    subscribe(assistant)
    with django_capture_on_commit_callbacks(execute=True):
        complaint = intake(office, assistant)
    attempt(queued.pop())
    delivery = WebhookDelivery.objects.get()
    assert delivery.state == "given up"

    page = superuser_client.get(LOG).content.decode()
    assert complaint.number in page and "given up" in page and "500" in page
    detail = reverse("admin:integrations_webhookdelivery_change", args=[delivery.pk])
    page = superuser_client.get(detail).content.decode()
    assert str(delivery.delivery_id) in page and "&quot;status&quot;: &quot;recorded&quot;" in page

    with django_capture_on_commit_callbacks(execute=True):
        response = superuser_client.post(
            LOG, {"action": "redeliver", "_selected_action": [delivery.pk]}, follow=True
        )
    assert "1 deliveries queued again." in response.content.decode()
    assert queued == [delivery.pk]
    attempt(delivery.pk)
    delivery.refresh_from_db()
    assert (delivery.state, delivery.attempts, delivery.last_status_code) == ("delivered", 2, 200)
    assert len({r.delivery for r in receiver.requests}) == 1 and len(receiver.requests) == 2
    assert delivery.delivered_at == NOW
