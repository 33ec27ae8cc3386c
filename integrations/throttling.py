"""The API's rate limit: per integration token (per user for the desk's session), counted on
the shared cache so that every web worker counts the same calls (docs/api.md)."""

from django.core.cache import caches
from rest_framework.throttling import SimpleRateThrottle

from .models import IntegrationToken


class PerTokenThrottle(SimpleRateThrottle):
    scope = "api"

    def __init__(self):
        self.cache = caches["shared"]
        super().__init__()

    def get_cache_key(self, request, view):
        if isinstance(request.auth, IntegrationToken):
            ident = f"token-{request.auth.pk}"
        elif request.user and request.user.is_authenticated:
            ident = f"user-{request.user.pk}"
        else:
            ident = f"address-{self.get_ident(request)}"
        return self.cache_format % {"scope": self.scope, "ident": ident}
