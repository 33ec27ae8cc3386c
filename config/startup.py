from django.conf import settings
from django.core.exceptions import ImproperlyConfigured


def require_secret_key() -> None:
    """Refuse to serve without a secret key: sessions and CSRF tokens would be forgeable.

    (Django itself raises on reading an empty key; the explicit check keeps it so.)"""
    if not settings.SECRET_KEY:
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off.")
