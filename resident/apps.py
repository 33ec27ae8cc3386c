from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ResidentConfig(AppConfig):
    """The resident's side of the desk: pages without a login (docs/resident.md)."""

    name = "resident"
    verbose_name = _("Residents")
