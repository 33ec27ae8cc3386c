from django.conf import settings


def require_secret_key() -> None:
    """Refuse to serve without a secret key: sessions and CSRF tokens would be forgeable.

    Reading the setting is enough: Django raises ImproperlyConfigured when it is empty."""
    assert settings.SECRET_KEY  # noqa: S101  (never reached when empty)
