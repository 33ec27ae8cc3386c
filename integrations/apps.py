from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IntegrationsConfig(AppConfig):
    name = "integrations"
    verbose_name = _("Integrations")

    def ready(self):
        from . import (  # noqa: F401
            receivers,  # the webhooks' trigger on the timeline's events
            schema,  # registers the token scheme with drf-spectacular
        )
