"""Webhook deliveries through a real Celery worker on Redis, to a real receiver on loopback
(docs/api.md, Webhooks): a receiver down for a while, one that answers slowly and one that
answers 500 (threat: another system's outage loses or repeats what the desk told it)."""

from datetime import datetime, timedelta

import pytest
from django.utils import timezone

from accounts.roles import Role
from complaints.models import Complaint
from complaints.workflow import record_complaint
from integrations.models import WebhookDelivery, WebhookSubscription
from tests.factories import (
    BuildingFactory,
    CategoryFactory,
    IntegrationTokenFactory,
    OfficeFactory,
    staff,
)
from tests.integrations.receiver import Receiver

from .conftest import children, wait_until

pytestmark = pytest.mark.django_db(transaction=True)

# The worker's webhook settings: a short timeout, a backoff of 1, 2, 2… seconds.
WORKER_ENV = {
    "WEBHOOK_ALLOW_PRIVATE_ADDRESSES": "true",
    "WEBHOOK_TIMEOUT": "1",
    "WEBHOOK_RETRY_BASE": "1",
    "WEBHOOK_RETRY_CAP": "2",
}


@pytest.fixture
def desk(settings):
    """An office's assistant, a token acting as them and its subscription to a receiver."""
    settings.WEBHOOK_ALLOW_PRIVATE_ADDRESSES = True
    office = OfficeFactory(code="HY")
    assistant = staff(Role.CLIENT_ASSISTANT, office=office)
    receiver = Receiver()
    subscription = WebhookSubscription.objects.create(
        token=IntegrationTokenFactory(user=assistant), url=receiver.url
    )
    receiver.secret = subscription.secret
    yield office, assistant, receiver
    receiver.stop()


def intake(office, by) -> Complaint:
    now = timezone.now()
    complaint = Complaint(
        office=office, complainant_name="王先生", phone="+8613800138000",
        building=BuildingFactory(office=office), room="1502", received_at=now,
        channel="phone", category=CategoryFactory(), description="楼上夜间装修",
        customer_request="停止夜间施工", reply_due=now + timedelta(days=1),
    )  # fmt: skip
    return record_complaint(complaint, by=by, now=now)


def start_worker(celery, **env):
    worker = celery("worker", "--loglevel", "INFO", "--concurrency", "1",
                    "--without-mingle", "--without-gossip", **WORKER_ENV, **env)  # fmt: skip
    wait_until(lambda: children(worker.pid), "the worker's pool process", log=celery.log)
    return worker


def delivery() -> WebhookDelivery:
    return WebhookDelivery.objects.get()


def test_a_receiver_down_for_a_while_gets_the_delivery_once_when_it_comes_back(
    desk, app_on, celery
):
    office, assistant, receiver = desk
    start_worker(celery)
    complaint = intake(office, assistant)  # the receiver is not listening yet

    wait_until(lambda: delivery().attempts >= 3, "three refused attempts", log=celery.log)
    refused = delivery()
    assert refused.delivered_at is None and refused.last_status_code is None
    assert "Connection refused" in refused.last_error or "ConnectionRefused" in refused.last_error
    assert refused.next_attempt_at > refused.last_attempt_at  # retried with a wait

    receiver.start()
    wait_until(lambda: delivery().delivered_at is not None, "the delivery", log=celery.log)
    (received,) = receiver.requests  # once, when it came back
    assert received.signed and received.json["complaint"]["number"] == complaint.number
    done = delivery()
    assert done.last_status_code == 200 and done.last_error == ""
    assert done.delivery_id == refused.delivery_id and done.attempts > refused.attempts


def test_a_slow_receiver_times_out_is_retried_and_the_log_says_so(desk, app_on, celery):
    office, assistant, receiver = desk
    receiver.delays = [3]  # longer than the worker's 1-second timeout, once
    receiver.start()
    start_worker(celery)
    intake(office, assistant)

    wait_until(lambda: delivery().delivered_at is not None, "the delivery", log=celery.log)
    done = delivery()
    assert done.attempts == 2 and done.last_status_code == 200
    first, second = receiver.requests
    # The receiver saw the late attempt too: the same delivery id lets it keep one.
    assert first.delivery == second.delivery == str(done.delivery_id)
    assert first.signed and second.signed
    celery.log.seek(0)
    assert "attempt 1: TimeoutError" in celery.log.read()


def test_a_receiver_answering_500_is_retried_then_given_up_with_its_answer_logged(
    desk, app_on, celery
):
    office, assistant, receiver = desk
    receiver.answers = [500] * 10
    receiver.start()
    start_worker(celery, WEBHOOK_MAX_ATTEMPTS="3")
    intake(office, assistant)

    wait_until(lambda: delivery().given_up_at is not None, "giving up", log=celery.log)
    given_up = delivery()
    assert (given_up.attempts, given_up.last_status_code) == (3, 500)
    assert len(receiver.requests) == 3 and given_up.next_attempt_at is None
    stamps = [datetime.fromtimestamp(int(r.headers["X-Desk-Timestamp"])) for r in receiver.requests]
    assert stamps[1] - stamps[0] >= timedelta(seconds=1)  # the backoff waited between them
