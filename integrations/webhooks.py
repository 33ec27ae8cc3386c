"""Webhooks (issue #18): an integration's URL told of a complaint recorded, escalated,
revisited or closed (docs/api.md, Webhooks).

- `record_deliveries` runs inside the step's transaction when its timeline event is written:
  it decides, then and there, which subscriptions may hear of the complaint (their token's
  user sees its office) and writes one delivery row each; after the commit the payload is
  fixed and the task queued (`after_commit`). A step rolled back leaves no row and no task.
- `attempt` makes one signed POST of a delivery and records its outcome; the Celery task
  (`tasks.deliver_webhook`) calls it and retries with a capped exponential backoff.
- Addresses: only http(s) URLs; private, loopback and link-local receivers are refused unless
  `WEBHOOK_ALLOW_PRIVATE_ADDRESSES` (loopback and private networks then, never link-local,
  where cloud metadata lives). The address is checked when the URL is saved and again when
  the name is resolved for each attempt, and the connection goes to the address checked.
"""

from __future__ import annotations

import hashlib
import hmac
import http.client
import ipaddress
import json
import logging
import socket
import ssl
from datetime import datetime, timedelta
from urllib.parse import urlsplit

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.scoping import who_sees
from complaints.models import Complaint
from config.celery import delay_or_wait
from followups.models import Escalation

from .models import WebhookDelivery, WebhookSubscription

log = logging.getLogger(__name__)

SIGNATURE_HEADER = "X-Desk-Signature"
TIMESTAMP_HEADER = "X-Desk-Timestamp"
DELIVERY_HEADER = "X-Desk-Delivery"
EVENT_HEADER = "X-Desk-Event"
USER_AGENT = "complaint-desk-webhooks/1"
ERROR_LENGTH = 500  # what the log keeps of a receiver's answer or an error


class AddressRefused(Exception):
    """The receiver's address is one the desk does not call."""


# ---------------------------------------------------------------------------------- addresses
def _address_refusal(address: ipaddress.IPv4Address | ipaddress.IPv6Address) -> str | None:
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped:
        address = address.ipv4_mapped
    if address.is_link_local or address.is_multicast or address.is_unspecified:
        return _("%(address)s is a link-local, multicast or unspecified address.") % {
            "address": address
        }
    if address.is_global:
        return None
    if (address.is_loopback or address.is_private) and settings.WEBHOOK_ALLOW_PRIVATE_ADDRESSES:
        return None
    return _("%(address)s is a private or loopback address.") % {"address": address}


def url_refusals(url: str) -> list[str]:
    """Why the desk would not call `url`, checked without the network (the name is resolved
    and checked again at each attempt)."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https"):
        return [_("The receiver's URL must start with http:// or https://.")]
    reasons = []
    if not parts.hostname:
        reasons.append(_("The receiver's URL names no host."))
    if parts.username or parts.password:
        reasons.append(_("The receiver's URL may not carry a user name or password."))
    host = parts.hostname or ""
    if host == "localhost" or host.endswith(".localhost"):
        host = "127.0.0.1"
    try:
        refusal = _address_refusal(ipaddress.ip_address(host))
    except ValueError:
        refusal = None  # a name: resolved at each attempt
    if refusal:
        reasons.append(refusal)
    return reasons


def _checked_address(host: str, port: int) -> str:
    """The address to connect to: every address the name resolves to must be allowed (a name
    answering one public and one private address is refused)."""
    try:
        found = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except socket.gaierror as error:
        raise AddressRefused(f"{host}: {error}") from None
    addresses = [ipaddress.ip_address(info[4][0].split("%")[0]) for info in found]
    for address in addresses:
        refusal = _address_refusal(address)
        if refusal:
            raise AddressRefused(refusal)
    return str(addresses[0])


# ---------------------------------------------------------------------------------- signing
def signature(secret: str, timestamp: str, body: bytes) -> str:
    """`sha256=` and the hex HMAC-SHA256 of `timestamp + "." + body` under the secret."""
    digest = hmac.new(secret.encode(), timestamp.encode() + b"." + body, hashlib.sha256)
    return f"sha256={digest.hexdigest()}"


def signed_headers(delivery: WebhookDelivery, body: bytes, *, now: datetime) -> dict[str, str]:
    timestamp = str(int(now.timestamp()))
    return {
        "Content-Type": "application/json; charset=utf-8",
        "User-Agent": USER_AGENT,
        EVENT_HEADER: delivery.event,
        DELIVERY_HEADER: str(delivery.delivery_id),
        TIMESTAMP_HEADER: timestamp,
        SIGNATURE_HEADER: signature(delivery.subscription.secret, timestamp, body),
    }


# ---------------------------------------------------------------------------------- the trigger
def record_deliveries(*, event: str, complaint: Complaint, cause: str, at: datetime) -> list[int]:
    """One delivery row per subscription to `event` that may see the complaint, decided now
    (inside the step's transaction); the task is queued after the commit. Returns the rows."""
    now = timezone.now()
    subscriptions = list(
        WebhookSubscription.objects.listening(event, now)
        .exclude(deliveries__cause=cause)  # a scan run twice tells no one twice
        .select_related("token")
    )
    if not subscriptions:
        return []
    seeing = who_sees(complaint.office, {s.token.user_id for s in subscriptions})
    rows = WebhookDelivery.objects.bulk_create(
        WebhookDelivery(
            subscription=s,
            event=event,
            complaint_id=complaint.pk,
            cause=cause,  # unique per subscription: one event is never told twice
            occurred_at=at,
            created_at=now,
            next_attempt_at=now,
        )
        for s in subscriptions
        if s.token.user_id in seeing
    )
    ids = [row.pk for row in rows]
    if ids:
        transaction.on_commit(lambda: after_commit(ids, event, at, complaint.pk))
    return ids


def payload(event: str, occurred_at: datetime, complaint_id: int) -> dict:
    """What the receiver is told: the event and the complaint as it stands after the step —
    no more than its id, number, office and status (the API gives the rest to the token), and
    for `escalated` the rungs of the ladder it has climbed. The delivery's id travels in its
    header."""
    complaint = (
        Complaint.objects.filter(pk=complaint_id)
        .values("pk", "number", "office__code", "status")
        .get()
    )
    told = {
        "event": event,
        "occurred_at": timezone.localtime(occurred_at).isoformat(),
        "complaint": {
            "id": complaint["pk"],
            "number": complaint["number"],
            "office": complaint["office__code"],
            "status": complaint["status"],
            "api": f"/api/v1/complaints/{complaint['pk']}/",
        },
    }
    if event == "escalated":  # which rungs it has climbed (R-FUP-2/3), and when
        told["complaint"]["escalations"] = [
            {
                "level": rung["level"],
                "at": timezone.localtime(rung["at"]).isoformat(),
                "reported_to_branch_gm": rung["reported_at"] is not None,
            }
            for rung in Escalation.objects.filter(complaint_id=complaint_id)
            .order_by("level")
            .values("level", "at", "reported_at")
        ]
    return told


def after_commit(ids: list[int], event: str, occurred_at: datetime, complaint_id: int) -> None:
    """Fix the payload as the committed step left the complaint (the same for every
    subscription told of the event), then queue the task. A broker down leaves the rows
    pending: the periodic sweep sends them."""
    from .tasks import deliver_webhook

    WebhookDelivery.objects.filter(pk__in=ids, payload={}).update(
        payload=payload(event, occurred_at, complaint_id)
    )
    for pk in ids:
        _queue(deliver_webhook, pk)


# ---------------------------------------------------------------------------------- sending
def backoff(attempts: int) -> timedelta:
    """The wait after the `attempts`-th failure: doubling from WEBHOOK_RETRY_BASE seconds, at
    most WEBHOOK_RETRY_CAP."""
    seconds = settings.WEBHOOK_RETRY_BASE * 2 ** max(attempts - 1, 0)
    return timedelta(seconds=min(seconds, settings.WEBHOOK_RETRY_CAP))


def _claim(pk: int, *, now: datetime) -> WebhookDelivery | None:
    """Take the delivery for one attempt if it is due and pending: its next attempt moves past
    this attempt's timeout, so a second worker (or a duplicate message) leaves it alone."""
    lease = now + timedelta(seconds=settings.WEBHOOK_TIMEOUT * 3 + 5)
    taken = (
        WebhookDelivery.objects.pending()
        .filter(pk=pk, next_attempt_at__lte=now + timedelta(seconds=1))
        .update(next_attempt_at=lease, attempts=F("attempts") + 1, last_attempt_at=now)
    )
    if not taken:
        return None
    return WebhookDelivery.objects.select_related("subscription__token__user").get(pk=pk)


def _still_listening(subscription: WebhookSubscription, *, now: datetime) -> bool:
    """Revoking the token (or deactivating its user or the subscription) stops what was
    queued before, too."""
    token = subscription.token
    return (
        subscription.active
        and token.revoked_at is None
        and token.expires_at > now
        and token.user.is_active
    )


def _post(url: str, body: bytes, headers: dict[str, str]) -> tuple[int, bytes]:
    parts = urlsplit(url)
    secure = parts.scheme == "https"
    port = parts.port or (443 if secure else 80)
    address = _checked_address(parts.hostname, port)
    timeout = settings.WEBHOOK_TIMEOUT
    if secure:
        connection = http.client.HTTPSConnection(
            parts.hostname, port, timeout=timeout, context=ssl.create_default_context()
        )
    else:
        connection = http.client.HTTPConnection(parts.hostname, port, timeout=timeout)

    # Connect to the address just checked, not to a second resolution of the name (DNS
    # rebinding); TLS still verifies the certificate against the host name.
    def connect_checked(_address, timeout, source_address):
        return socket.create_connection((address, port), timeout, source_address)

    connection._create_connection = connect_checked
    path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    try:
        connection.request("POST", path, body=body, headers=headers)
        response = connection.getresponse()
        return response.status, response.read(ERROR_LENGTH)
    finally:
        connection.close()


def attempt(pk: int, *, now: datetime | None = None) -> timedelta | None:
    """One signed POST of the delivery, if it is due. Returns the wait before the next attempt
    (None: delivered, given up, or not this worker's to send)."""
    now = now or timezone.now()
    delivery = _claim(pk, now=now)
    if delivery is None:
        return None
    if not delivery.payload:  # the commit's hook never ran (a crash): fix it now
        delivery.payload = payload(delivery.event, delivery.occurred_at, delivery.complaint_id)
    body = json.dumps(delivery.payload, ensure_ascii=False, separators=(",", ":")).encode()
    headers = signed_headers(delivery, body, now=now)
    status, error, stopped = None, "", not _still_listening(delivery.subscription, now=now)
    try:
        if stopped:
            error = "stopped: the subscription is inactive or its token no longer usable"
        else:
            status, answer = _post(delivery.subscription.url, body, headers)
            if not 200 <= status < 300:
                error = answer.decode(errors="replace")[:ERROR_LENGTH] or f"HTTP {status}"
    except AddressRefused as refused:
        error = f"refused: {refused}"
    except (OSError, ValueError, http.client.HTTPException) as failure:
        # refused, reset, timed out, TLS, a name that does not encode
        error = f"{type(failure).__name__}: {failure}"[:ERROR_LENGTH]
    done = timezone.now()
    delivery.last_status_code, delivery.last_error = status, error
    wait = None
    if not error:
        delivery.delivered_at, delivery.next_attempt_at = done, None
    elif stopped or delivery.attempts >= settings.WEBHOOK_MAX_ATTEMPTS:
        delivery.given_up_at, delivery.next_attempt_at = done, None
    else:
        wait = backoff(delivery.attempts)
        delivery.next_attempt_at = done + wait
    delivery.save(
        update_fields=[
            "payload", "last_status_code", "last_error", "delivered_at", "given_up_at",
            "next_attempt_at",
        ]
    )  # fmt: skip
    log.info(
        "webhook %s attempt %d: %s",
        delivery.delivery_id,
        delivery.attempts,
        status or error,
    )
    return wait


def redeliver(queryset, *, now: datetime | None = None) -> int:
    """The admin's "redeliver": due again now, given up or not, delivered or not (the same
    delivery id, so a receiver that keeps ids sees the repeat for what it is)."""
    from .tasks import deliver_webhook

    now = now or timezone.now()
    ids = list(queryset.values_list("pk", flat=True))
    WebhookDelivery.objects.filter(pk__in=ids).update(
        next_attempt_at=now, delivered_at=None, given_up_at=None
    )
    for pk in ids:
        transaction.on_commit(lambda pk=pk: _queue(deliver_webhook, pk))
    return len(ids)


def _queue(task, pk: int) -> None:
    delay_or_wait(task, pk, log=log, waiting="webhook %s waits for the sweep")


def send_due(*, now: datetime) -> int:
    """The sweep: queue every pending delivery whose next attempt has passed by a minute (its
    message was lost: a broker down at the commit, a worker killed while it waited)."""
    from .tasks import deliver_webhook

    due = WebhookDelivery.objects.pending().filter(next_attempt_at__lte=now - timedelta(minutes=1))
    ids = list(due.values_list("pk", flat=True)[:1000])
    for pk in ids:
        _queue(deliver_webhook, pk)
    return len(ids)
