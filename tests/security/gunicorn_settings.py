"""Production settings for the malformed-request tests against gunicorn, with plain static
storage: the manifest storage of production needs `collectstatic` run first, and the test
must not depend on a build step. Everything else is `config.settings` with DEBUG off."""

from config.settings import *  # noqa: F403

STORAGES = {
    **STORAGES,  # noqa: F405
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
