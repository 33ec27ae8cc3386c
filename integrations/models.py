"""Integration tokens (issue #18): how the company's other systems (CRM, call centre, WeChat
mini-program) reach the API without a browser.

A token is issued in the admin by a superuser for a named integration and acts as one user of
the desk: that user's roles and office scope, nothing more. Only the SHA-256 of its secret is
stored (the secret is 32 random bytes, shown once at creation); it expires, and it can be
revoked at once (docs/api.md, docs/security.md)."""

import hashlib
import secrets
import uuid
from datetime import datetime

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.fields import Issued, IssuedQuerySet, actor, belongs_to

SECRET_BYTES = 32
PREFIX_LENGTH = 8  # the secret's first characters, kept to tell tokens apart in the admin


def hash_secret(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


class IntegrationTokenQuerySet(IssuedQuerySet):
    def usable(self, now: datetime | None = None):
        """Neither revoked nor expired, of an active user."""
        now = now or timezone.now()
        return self.live().filter(expires_at__gt=now, user__is_active=True)


class IntegrationToken(Issued):
    name = models.CharField(_("integration"), max_length=80)
    user = actor(
        _("acts as"),
        related_name="integration_tokens",
        help_text=_("The token has this user's roles and office scope."),
    )
    key_hash = models.CharField(_("secret's SHA-256"), max_length=64, unique=True, editable=False)
    prefix = models.CharField(_("secret begins with"), max_length=PREFIX_LENGTH, editable=False)
    expires_at = models.DateTimeField(_("expires at"))
    last_used_at = models.DateTimeField(_("last used at"), null=True, blank=True, editable=False)

    objects = IntegrationTokenQuerySet.as_manager()

    class Meta(Issued.Meta):
        verbose_name = _("integration token")
        verbose_name_plural = _("integration tokens")

    def __str__(self):
        return f"{self.name} ({self.prefix}…)"

    def new_secret(self) -> str:
        """Give the token a fresh secret; returns it (the only time it exists in clear)."""
        secret = secrets.token_urlsafe(SECRET_BYTES)
        self.key_hash = hash_secret(secret)
        self.prefix = secret[:PREFIX_LENGTH]
        return secret

    def revoke(self, now: datetime | None = None) -> None:
        if self.revoked_at is None:
            self.revoked_at = now or timezone.now()
            self.save(update_fields=["revoked_at"])

    @property
    def is_usable(self) -> bool:
        return self.is_live and self.expires_at > timezone.now()


class Event(models.TextChoices):
    """What a webhook may be told: four moments of a complaint's timeline (docs/api.md)."""

    RECORDED = "recorded", _("complaint recorded")
    ESCALATED = "escalated", _("complaint escalated")
    REVISITED = "revisited", _("customer revisited")
    CLOSED = "closed", _("complaint closed")


def new_webhook_secret() -> str:
    return secrets.token_hex(SECRET_BYTES)


class WebhookSubscriptionQuerySet(models.QuerySet):
    def listening(self, event: str, now: datetime | None = None):
        """Active subscriptions to `event` whose token may still act."""
        return self.filter(
            active=True,
            token__in=IntegrationToken.objects.usable(now),
            **{f"on_{event}": True},
        )


class WebhookSubscription(models.Model):
    """An integration's URL, told of the events it chose about the complaints its token's user
    may see. Its secret signs each delivery: the receiver holds the same secret, so it is kept
    (unlike a token's), shown to the superuser once, and replaced with the admin's action."""

    token = belongs_to(
        IntegrationToken,
        "webhooks",
        _("integration token"),
        on_delete=models.PROTECT,
        help_text=_("The subscription sees exactly what this token's user may see."),
    )
    url = models.URLField(
        _("receiver URL"),
        max_length=500,
        help_text=_("http or https; the desk POSTs each event here as JSON."),
    )
    on_recorded = models.BooleanField(_("complaint recorded"), default=True)
    on_escalated = models.BooleanField(_("complaint escalated"), default=True)
    on_revisited = models.BooleanField(_("customer revisited"), default=True)
    on_closed = models.BooleanField(_("complaint closed"), default=True)
    active = models.BooleanField(_("active"), default=True)
    secret = models.CharField(
        _("signing secret"), max_length=64, default=new_webhook_secret, editable=False
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now, editable=False)
    created_by = actor(_("created by"), optional=True, editable=False)

    objects = WebhookSubscriptionQuerySet.as_manager()

    class Meta:
        verbose_name = _("webhook subscription")
        verbose_name_plural = _("webhook subscriptions")
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return f"{self.token.name} → {self.url}"

    def clean(self):
        from django.core.exceptions import ValidationError

        from .webhooks import url_refusals

        reasons = url_refusals(self.url) if self.url else []
        if reasons:
            raise ValidationError({"url": reasons})


# Neither delivered nor given up: the sweep's rows, and its partial index's.
PENDING = models.Q(delivered_at__isnull=True, given_up_at__isnull=True)


class WebhookDeliveryQuerySet(models.QuerySet):
    def pending(self):
        return self.filter(PENDING)


class WebhookDelivery(models.Model):
    """One event told to one subscription: its payload, fixed when the event happened, and
    every attempt's outcome. Written in the transaction of the step that caused it, so a
    step rolled back sends nothing."""

    subscription = belongs_to(
        WebhookSubscription, "deliveries", _("subscription"), on_delete=models.PROTECT
    )
    delivery_id = models.UUIDField(_("delivery id"), default=uuid.uuid4, unique=True)
    event = models.CharField(_("event"), max_length=20, choices=Event.choices)
    complaint = belongs_to("complaints.Complaint", "+", _("complaint"), on_delete=models.PROTECT)
    cause = models.CharField(_("cause"), max_length=80, editable=False)
    occurred_at = models.DateTimeField(_("event at"))
    payload = models.JSONField(_("payload"), default=dict, blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    attempts = models.PositiveIntegerField(_("attempts"), default=0)
    last_attempt_at = models.DateTimeField(_("last attempt at"), null=True, blank=True)
    last_status_code = models.PositiveIntegerField(_("last status code"), null=True, blank=True)
    last_error = models.TextField(_("last error"), blank=True)
    next_attempt_at = models.DateTimeField(_("next attempt at"), null=True, blank=True)
    delivered_at = models.DateTimeField(_("delivered at"), null=True, blank=True)
    given_up_at = models.DateTimeField(_("given up at"), null=True, blank=True)

    objects = WebhookDeliveryQuerySet.as_manager()

    class Meta:
        verbose_name = _("webhook delivery")
        verbose_name_plural = _("webhook deliveries")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["subscription", "cause"], name="one_delivery_per_subscription_and_cause"
            ),
            models.CheckConstraint(
                condition=models.Q(delivered_at__isnull=True) | models.Q(given_up_at__isnull=True),
                name="delivered_or_given_up_not_both",
            ),
        ]
        indexes = [
            models.Index(
                fields=["next_attempt_at"],
                condition=PENDING,
                name="webhook_delivery_pending",
            )
        ]

    def __str__(self):
        return f"{self.get_event_display()} {self.delivery_id}"

    @property
    def state(self) -> str:
        if self.delivered_at:
            return "delivered"
        return "given up" if self.given_up_at else "pending"
