"""The webhook suites' pieces: a real receiver on loopback, subscriptions of an integration
token acting as one user, and the task queue recorded instead of published (these tests make
each attempt themselves; tests/reliability/test_webhooks.py runs a real worker)."""

import pytest

from integrations.models import WebhookSubscription
from tests.factories import IntegrationTokenFactory

from .receiver import Receiver


@pytest.fixture
def loopback_allowed(settings):
    settings.WEBHOOK_ALLOW_PRIVATE_ADDRESSES = True
    settings.WEBHOOK_TIMEOUT = 1.0


@pytest.fixture
def receiver(loopback_allowed):
    started = Receiver().start()
    yield started
    started.stop()


@pytest.fixture
def subscribe(receiver):
    """subscribe(user, **events): a token acting as `user` and its subscription to the
    receiver (every event unless told otherwise); the receiver checks with its secret."""

    def make(user, *, url=None, name="CRM", **events):
        token = IntegrationTokenFactory(name=name, user=user)
        subscription = WebhookSubscription.objects.create(
            token=token, url=url or receiver.url, **events
        )
        receiver.secret = subscription.secret
        return subscription

    return make


@pytest.fixture
def queued(monkeypatch):
    """The delivery ids the desk queued for the worker, in order."""
    from integrations.tasks import deliver_webhook

    ids = []
    monkeypatch.setattr(deliver_webhook, "delay", ids.append)
    return ids
