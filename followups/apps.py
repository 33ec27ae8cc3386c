from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FollowupsConfig(AppConfig):
    name = "followups"
    verbose_name = _("Follow-ups")

    def ready(self):
        from accounts.rolegroups import keep_role_permissions

        from . import receivers  # noqa: F401

        keep_role_permissions(self, "0003_role_permissions")
