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
            "0018_calendar_year_permissions",
        )

        from django.db.models.signals import post_delete, post_save

        from .calendar_changes import on_calendar_change
        from .models import CalendarOverride, CalendarYear

        for model in (CalendarOverride, CalendarYear):  # a calendar change moves deadlines
            post_save.connect(on_calendar_change, sender=model, dispatch_uid=f"recompute:{model}")
            post_delete.connect(
                on_calendar_change, sender=model, dispatch_uid=f"recompute-del:{model}"
            )
