"""Webhooks (issue #18 item 5, docs/api.md): an integration's URL told of a complaint
recorded (R-REC-1), escalated to the branch GM (R-FUP-3), revisited (R-REV-1) or closed
(R-CLO-3), signed, only about the complaints its token's user may see, never for a step
that was rolled back. The receiver is a real HTTP server on loopback; each attempt is made
here, the worker's retries are in tests/reliability/test_webhooks.py."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError
from django.db import transaction

from accounts.roles import Role
from complaints.models import Complaint
from complaints.workflow import record_complaint
from followups.models import Escalation
from followups.workflow import approve_closure, report_to_branch_gm
from integrations.models import WebhookDelivery, WebhookSubscription
from integrations.webhooks import attempt, backoff, url_refusals
from tests.factories import BuildingFactory, CategoryFactory, staff
from tests.followups.states import revisited

from .receiver import verified

SHANGHAI = ZoneInfo("Asia/Shanghai")
NOW = datetime(2026, 11, 16, 9, 0, tzinfo=SHANGHAI)
pytestmark = [pytest.mark.django_db, pytest.mark.frozen_at(NOW)]


def intake(office, by, **fields) -> Complaint:
    complaint = Complaint(
        office=office,
        complainant_name="王先生",
        phone="+8613800138000",
        building=BuildingFactory(office=office, name="3栋"),
        room="1502",
        received_at=NOW - timedelta(minutes=20),
        channel="phone",
        category=CategoryFactory(name="装修噪音"),
        description="楼上夜间装修",
        customer_request="停止夜间施工",
        reply_due=NOW + timedelta(days=1),
        **fields,
    )
    return record_complaint(complaint, by=by, now=NOW)


def test_a_recorded_complaint_is_posted_once_signed_with_the_subscriptions_secret(
    office, assistant, receiver, subscribe, queued, django_capture_on_commit_callbacks
):
    subscription = subscribe(assistant)
    with django_capture_on_commit_callbacks(execute=True):
        complaint = intake(office, assistant)
    delivery = WebhookDelivery.objects.get()
    assert queued == [delivery.pk]  # queued for the worker after the commit

    attempt(delivery.pk)

    (received,) = receiver.requests
    assert received.signed and received.path == "/desk-hooks"
    assert received.headers["X-Desk-Event"] == "recorded"
    assert received.headers["X-Desk-Delivery"] == str(delivery.delivery_id)
    assert received.headers["X-Desk-Timestamp"] == str(int(NOW.timestamp()))
    assert received.json == {
        "event": "recorded",
        "occurred_at": "2026-11-16T09:00:00+08:00",
        "complaint": {
            "id": complaint.pk,
            "number": complaint.number,
            "office": "HY",
            "status": "recorded",
            "api": f"/api/v1/complaints/{complaint.pk}/",
        },
    }
    delivery.refresh_from_db()
    assert (delivery.attempts, delivery.last_status_code, delivery.delivered_at) == (1, 200, NOW)
    assert delivery.subscription == subscription
    assert attempt(delivery.pk) is None and len(receiver.requests) == 1  # never twice


def test_revisited_and_closed_tell_the_status_the_step_left(
    office, assistant, supervisor, manager, receiver, subscribe, queued,
    django_capture_on_commit_callbacks,
):  # fmt: skip
    subscribe(assistant, on_recorded=False)
    with django_capture_on_commit_callbacks(execute=True):  # each step commits on its own
        complaint = intake(office, assistant)  # not subscribed: nobody told
    with django_capture_on_commit_callbacks(execute=True):
        revisited(complaint, supervisor, NOW)  # R-REV-1
    with django_capture_on_commit_callbacks(execute=True):
        approve_closure(complaint, by=manager, now=NOW + timedelta(hours=3))  # R-CLO-3
    for pk in queued:
        attempt(pk)
    told = [(r.json["event"], r.json["complaint"]["status"]) for r in receiver.requests]
    assert told == [("revisited", "revisited"), ("closed", "closed")]
    assert all(r.signed for r in receiver.requests)


def test_the_day_15_report_to_the_branch_gm_is_the_escalated_event(
    office, assistant, manager, branch_gm, receiver, subscribe, queued,
    django_capture_on_commit_callbacks,
):  # fmt: skip
    """R-FUP-3: the manager's report to the branch general manager."""
    complaint = intake(office, assistant)
    subscribe(assistant)
    escalation = Escalation.objects.create(complaint=complaint, level=15, at=NOW)
    with django_capture_on_commit_callbacks(execute=True):
        report_to_branch_gm(escalation, by=manager, report="施工方已整改")
    (pk,) = queued
    attempt(pk)
    (received,) = receiver.requests
    assert received.json["event"] == "escalated"
    assert received.json["complaint"]["number"] == complaint.number
    assert "施工方已整改" not in received.body.decode()  # the report stays on the desk


def test_the_ladders_day_10_and_day_15_rungs_are_escalated_events_told_once(
    office, other_office, assistant, manager, receiver, subscribe, queued,
    django_capture_on_commit_callbacks,
):  # fmt: skip
    """R-FUP-2/3: the scan's escalations, bulk-created, are told as the manager's report is:
    once per rung, with the rungs climbed, and only to integrations that see the office."""
    from followups.clocks import escalation_scan

    complaint = intake(office, assistant)
    other = subscribe(staff(Role.OFFICE_MANAGER, office=other_office), name="CH CRM")
    subscribe(manager)  # last: the receiver checks with its secret
    day_10 = complaint.alert_due + timedelta(minutes=1)
    with django_capture_on_commit_callbacks(execute=True):
        assert escalation_scan(now=day_10) == 1
        assert escalation_scan(now=day_10 + timedelta(minutes=5)) == 0  # told once
    (pk,) = queued
    attempt(pk)
    (received,) = receiver.requests
    assert received.signed and received.json["event"] == "escalated"
    assert [r["level"] for r in received.json["complaint"]["escalations"]] == [10]
    with django_capture_on_commit_callbacks(execute=True):
        escalation_scan(now=complaint.report_due + timedelta(minutes=1))
    attempt(queued[1])
    rungs = receiver.requests[1].json["complaint"]["escalations"]
    assert [(r["level"], r["reported_to_branch_gm"]) for r in rungs] == [(10, False), (15, False)]
    assert len(queued) == 2 and not other.deliveries.exists()


def test_an_integration_of_office_a_is_not_told_of_office_bs_complaints(
    office, other_office, assistant, branch, receiver, subscribe, queued,
    django_capture_on_commit_callbacks,
):  # fmt: skip
    """As strict as the desk: the token's user sees their own office; a branch GM's token
    sees every office of the branch."""
    desk = subscribe(assistant, name="HY CRM")
    branch_wide = subscribe(staff(Role.BRANCH_GM, branch=branch), name="branch CRM")
    with django_capture_on_commit_callbacks(execute=True):
        intake(other_office, staff(Role.CLIENT_ASSISTANT, office=other_office))
    assert list(WebhookDelivery.objects.values_list("subscription", flat=True)) == [branch_wide.pk]
    assert not desk.deliveries.exists()
    attempt(queued[0])
    assert [r.json["complaint"]["office"] for r in receiver.requests] == ["CH"]


def test_a_rolled_back_step_tells_no_one(
    office, assistant, receiver, subscribe, queued, django_capture_on_commit_callbacks
):
    subscribe(assistant)
    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        intake(office, assistant)
        raise RuntimeError("the step fails after its event was written")
    assert callbacks == [] and queued == []
    assert not WebhookDelivery.objects.exists() and not Complaint.objects.exists()
    assert receiver.requests == []


def test_a_revoked_token_or_an_inactive_subscription_is_told_nothing(
    office, assistant, receiver, subscribe, queued, django_capture_on_commit_callbacks
):
    subscribe(assistant).token.revoke()
    paused = subscribe(assistant, name="paused")
    WebhookSubscription.objects.filter(pk=paused.pk).update(active=False)
    with django_capture_on_commit_callbacks(execute=True):
        intake(office, assistant)
    assert not WebhookDelivery.objects.exists() and queued == []


def test_a_receiver_answering_500_is_retried_after_a_doubling_wait_then_given_up(
    office, assistant, receiver, subscribe, queued, frozen, settings,
    django_capture_on_commit_callbacks,
):  # fmt: skip
    settings.WEBHOOK_RETRY_BASE, settings.WEBHOOK_RETRY_CAP = 30, 100
    settings.WEBHOOK_MAX_ATTEMPTS = 4
    receiver.answers = [500] * 4
    subscribe(assistant)
    with django_capture_on_commit_callbacks(execute=True):
        intake(office, assistant)
    (pk,) = queued
    waits = [attempt(pk)]
    assert attempt(pk) is None and len(receiver.requests) == 1  # not due yet: nothing sent
    for _ in range(3):
        frozen.shift(waits[-1])
        waits.append(attempt(pk))
    assert waits == [timedelta(seconds=30), timedelta(seconds=60), timedelta(seconds=100), None]
    delivery = WebhookDelivery.objects.get()
    assert (delivery.attempts, delivery.last_status_code, delivery.last_error) == (4, 500, "no")
    assert delivery.state == "given up" and delivery.next_attempt_at is None
    assert len({r.delivery for r in receiver.requests}) == 1  # one delivery id throughout
    assert len({r.headers["X-Desk-Timestamp"] for r in receiver.requests}) == 4  # signed anew


def test_backoff_doubles_up_to_its_cap(settings):
    settings.WEBHOOK_RETRY_BASE, settings.WEBHOOK_RETRY_CAP = 30, 3600
    assert [backoff(n).total_seconds() for n in (1, 2, 3, 8, 20)] == [30, 60, 120, 3600, 3600]


@pytest.mark.parametrize(
    "url",
    [
        "ftp://crm.example.com/hooks",
        "file:///etc/passwd",
        "javascript:alert(1)",
        "http://127.0.0.1:8080/hooks",
        "http://localhost/hooks",
        "http://10.0.0.5/hooks",
        "http://[::1]/hooks",
        "http://169.254.169.254/latest/meta-data/",
        "https://user:secret@crm.example.com/hooks",
    ],
)
def test_a_url_that_is_not_http_or_points_inside_the_network_is_refused(url, english):
    assert url_refusals(url)
    subscription = WebhookSubscription(url=url)
    with pytest.raises(ValidationError) as refused:
        subscription.clean()
    assert "url" in refused.value.message_dict


def test_private_receivers_need_the_setting_and_link_local_is_never_called(settings):
    assert url_refusals("https://crm.example.com/hooks") == []
    settings.WEBHOOK_ALLOW_PRIVATE_ADDRESSES = True  # on-premise receivers, the tests
    assert url_refusals("http://127.0.0.1:8080/hooks") == []
    assert url_refusals("http://10.0.0.5/hooks") == []
    assert url_refusals("http://169.254.169.254/") != []  # cloud metadata: never


def test_the_address_is_checked_again_at_each_attempt(
    office, assistant, receiver, subscribe, queued, settings, django_capture_on_commit_callbacks
):
    """Threat: a receiver allowed once (or a name that later resolves inside the network)
    is called after the setting changed: the attempt is refused and logged, nothing sent."""
    subscribe(assistant)
    with django_capture_on_commit_callbacks(execute=True):
        intake(office, assistant)
    settings.WEBHOOK_ALLOW_PRIVATE_ADDRESSES = False
    attempt(queued[0])
    delivery = WebhookDelivery.objects.get()
    assert receiver.requests == []
    assert delivery.last_error.startswith("refused: 127.0.0.1") and delivery.state == "pending"


def test_the_documented_verification_refuses_a_changed_body_an_old_timestamp_or_another_key(
    office, assistant, receiver, subscribe, queued, frozen, django_capture_on_commit_callbacks
):
    """Threat: a forged or replayed request reaches the integration as the desk's."""
    subscription = subscribe(assistant)
    with django_capture_on_commit_callbacks(execute=True):
        intake(office, assistant)
    attempt(queued[0])
    (received,) = receiver.requests
    assert verified(subscription.secret, received.headers, received.body)
    assert not verified(subscription.secret, received.headers, received.body + b" ")
    assert not verified("another secret", received.headers, received.body)
    frozen.shift(timedelta(minutes=6))  # the same request replayed later
    assert not verified(subscription.secret, received.headers, received.body)


def test_a_token_revoked_after_the_event_stops_the_delivery_queued_before(
    office, assistant, receiver, subscribe, queued, django_capture_on_commit_callbacks
):
    """Threat: an integration cut off (its token revoked) is still told what was queued."""
    subscription = subscribe(assistant)
    with django_capture_on_commit_callbacks(execute=True):
        intake(office, assistant)
    subscription.token.revoke()
    assert attempt(queued[0]) is None
    delivery = WebhookDelivery.objects.get()
    assert receiver.requests == [] and delivery.state == "given up"
    assert delivery.last_error.startswith("stopped:")


def test_a_delivery_the_broker_did_not_take_is_queued_by_the_sweep(
    office, assistant, receiver, subscribe, monkeypatch, django_capture_on_commit_callbacks
):
    from integrations.tasks import deliver_webhook
    from integrations.webhooks import send_due

    def broker_down(pk):
        raise ConnectionError("the broker is down")

    monkeypatch.setattr(deliver_webhook, "delay", broker_down)
    subscribe(assistant)
    with django_capture_on_commit_callbacks(execute=True):
        complaint = intake(office, assistant)  # the step itself succeeds
    assert Complaint.objects.filter(pk=complaint.pk).exists()
    delivery = WebhookDelivery.objects.get()
    assert delivery.state == "pending" and delivery.payload["event"] == "recorded"

    queued = []
    monkeypatch.setattr(deliver_webhook, "delay", queued.append)
    assert send_due(now=NOW + timedelta(seconds=30)) == 0  # its own message may still come
    assert send_due(now=NOW + timedelta(minutes=2)) == 1 and queued == [delivery.pk]


def test_the_trigger_costs_one_query_without_subscriptions_and_three_with_them(
    office, assistant, receiver, subscribe, django_assert_num_queries
):
    from integrations.webhooks import record_deliveries

    complaint = intake(office, assistant)
    with django_assert_num_queries(1):  # who listens: nobody
        record_deliveries(event="closed", complaint=complaint, cause="a", at=NOW)
    for name in ("CRM", "call centre"):
        subscribe(assistant, name=name)
    subscribe(staff(Role.CUSTOMER_SUPERVISOR, office=office), name="mini-program")
    # who listens, which of their users see the office (one query for any number), the rows
    with django_assert_num_queries(3):
        record_deliveries(event="closed", complaint=complaint, cause="b", at=NOW)
    assert WebhookDelivery.objects.filter(cause="b").count() == 3
