"""DRF authentication by integration token: `Authorization: Token <secret>` (or `Bearer`).

An unknown, revoked or expired token, or one whose user is deactivated, is a 401 — never a
fall-through to the session. The request's user is the token's user; `request.auth` is the
token (the throttle counts by it, docs/api.md)."""

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from rest_framework import authentication, exceptions

from .models import IntegrationToken, hash_secret

KEYWORDS = (b"token", b"bearer")
LAST_USED_PRECISION = 60  # seconds: last_used_at is written at most once a minute per token


class IntegrationTokenAuthentication(authentication.BaseAuthentication):
    keyword = "Token"

    def authenticate(self, request):
        parts = authentication.get_authorization_header(request).split()
        if not parts or parts[0].lower() not in KEYWORDS:
            return None
        if len(parts) != 2:
            raise exceptions.AuthenticationFailed(_("Invalid token header."))
        try:
            secret = parts[1].decode()
        except UnicodeDecodeError:
            raise exceptions.AuthenticationFailed(_("Invalid token header.")) from None
        now = timezone.now()
        token = (
            IntegrationToken.objects.usable(now)
            .select_related("user")
            .filter(key_hash=hash_secret(secret))
            .first()
        )
        if token is None:
            raise exceptions.AuthenticationFailed(_("The token is unknown, expired or revoked."))
        if token.last_used_at is None or (now - token.last_used_at).total_seconds() > (
            LAST_USED_PRECISION
        ):
            IntegrationToken.objects.filter(pk=token.pk).update(last_used_at=now)
        return token.user, token

    def authenticate_header(self, request):
        return self.keyword
