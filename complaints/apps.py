from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ComplaintsConfig(AppConfig):
    name = "complaints"
    verbose_name = _("Complaints")

    def ready(self):
        from accounts.rolegroups import keep_role_permissions

        keep_role_permissions(
            self,
            "0002_role_permissions",
            "0004_categories_and_permissions",
            "0015_hidden_category_permissions",
        )
