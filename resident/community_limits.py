"""How often the community's form may be sent: per client address and hour, per phone and day,
counted on the shared cache so that every web worker counts the same submissions (docs/resident.md).

Fixed windows that start with the first submission; the keys hold hashes, never the address
or the phone itself."""

import hashlib

from axes.helpers import get_client_ip_address
from django.conf import settings
from django.core.cache import caches

HOUR, DAY = 3600, 86400


def _key(kind: str, value: str) -> str:
    return f"community:{kind}:{hashlib.sha256(value.encode()).hexdigest()}"


def _count(key: str, window: int) -> int:
    cache = caches["shared"]
    if cache.add(key, 1, timeout=window):
        return 1
    try:
        return cache.incr(key)
    except ValueError:  # the window ended between the two calls
        cache.add(key, 1, timeout=window)
        return 1


def address_allowed(request) -> bool:
    """Counts this submission from the client's address (as django-axes reads it, behind the
    configured proxies); False once past the hour's allowance."""
    address = get_client_ip_address(request) or "unknown"
    count = _count(_key("address", address), HOUR)
    return count <= settings.COMMUNITY_SUBMISSIONS_PER_ADDRESS


def phone_allowed(phone: str) -> bool:
    """Counts a submission naming `phone` (E.164); False once past the day's allowance."""
    count = _count(_key("phone", phone), DAY)
    return count <= settings.COMMUNITY_SUBMISSIONS_PER_PHONE
