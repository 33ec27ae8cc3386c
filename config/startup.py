from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

# Keys that were ever published with the desk (its development key, the old compose file's
# fallback): anyone who read the repository could sign a session cookie with them.
PUBLISHED_KEYS = frozenset(
    {
        "dev-only-insecure-key-never-use-in-production-0123456789abcdef",
        "change-me-to-a-long-random-string-before-any-real-use-0123456789",
    }
)
MIN_LENGTH = 50  # Django's own deploy check (security.W009) asks for 50 characters
MIN_DISTINCT = 5  # … and at least 5 different ones


def weak_secret_key(key: str) -> str | None:
    """Why `key` must not sign cookies in production, or None when it may."""
    if key in PUBLISHED_KEYS:
        return "it is published in the desk's repository"
    if key.startswith("django-insecure-"):
        return "it is the key startproject generates for development"
    if len(key) < MIN_LENGTH:
        return f"it is shorter than {MIN_LENGTH} characters"
    if len(set(key)) < MIN_DISTINCT:
        return f"it has fewer than {MIN_DISTINCT} different characters"
    return None


def refuse_weak_secret_key(key: str, *, debug: bool) -> None:
    """With DEBUG off a key that is set must be usable: a published or guessable key lets
    anyone forge session cookies. (An empty key is refused by `require_secret_key` when the
    web server starts, so `migrate` can still run without one.)"""
    if debug or not key:
        return
    reason = weak_secret_key(key)
    if reason:
        raise ImproperlyConfigured(
            f"SECRET_KEY is not safe for production: {reason}. Generate one with "
            "python -c 'import secrets; print(secrets.token_urlsafe(50))'."
        )


def require_secret_key() -> None:
    """Refuse to serve without a secret key: sessions and CSRF tokens would be forgeable.

    (Django itself raises on reading an empty key; the explicit check keeps it so.)"""
    if not settings.SECRET_KEY:
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off.")
