from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = _("Accounts and offices")

    def ready(self):
        from . import signals  # noqa: F401
        from .rolegroups import keep_role_permissions

        keep_role_permissions(self, "0002_role_groups")
