"""Integration tokens (issue #18): how the company's other systems (CRM, call centre, WeChat
mini-program) reach the API without a browser.

A token is issued in the admin by a superuser for a named integration and acts as one user of
the desk: that user's roles and office scope, nothing more. Only the SHA-256 of its secret is
stored (the secret is 32 random bytes, shown once at creation); it expires, and it can be
revoked at once (docs/api.md, docs/security.md)."""

import hashlib
import secrets
from datetime import datetime

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

SECRET_BYTES = 32
PREFIX_LENGTH = 8  # the secret's first characters, kept to tell tokens apart in the admin


def hash_secret(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


class IntegrationTokenQuerySet(models.QuerySet):
    def usable(self, now: datetime | None = None):
        """Neither revoked nor expired, of an active user."""
        now = now or timezone.now()
        return self.filter(revoked_at__isnull=True, expires_at__gt=now, user__is_active=True)


class IntegrationToken(models.Model):
    name = models.CharField(_("integration"), max_length=80)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="integration_tokens",
        verbose_name=_("acts as"),
        help_text=_("The token has this user's roles and office scope."),
    )
    key_hash = models.CharField(_("secret's SHA-256"), max_length=64, unique=True, editable=False)
    prefix = models.CharField(_("secret begins with"), max_length=PREFIX_LENGTH, editable=False)
    created_at = models.DateTimeField(_("issued at"), default=timezone.now, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        related_name="+",
        editable=False,
        verbose_name=_("issued by"),
    )
    expires_at = models.DateTimeField(_("expires at"))
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True, editable=False)
    last_used_at = models.DateTimeField(_("last used at"), null=True, blank=True, editable=False)

    objects = IntegrationTokenQuerySet.as_manager()

    class Meta:
        verbose_name = _("integration token")
        verbose_name_plural = _("integration tokens")
        ordering = ["-created_at", "-pk"]

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
        return self.revoked_at is None and self.expires_at > timezone.now()
