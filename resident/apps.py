from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ResidentConfig(AppConfig):
    """The resident's side of the desk: pages without a login (docs/resident.md)."""

    name = "resident"
    verbose_name = _("Residents")

    def ready(self):
        from django.db.models.signals import post_save

        from complaints.models import ComplaintEvent
        from complaints.signals import complaint_recorded

        from . import receivers

        complaint_recorded.connect(receivers.issue_at_intake, dispatch_uid="resident.issue_link")
        post_save.connect(
            receivers.mail_what_changed, sender=ComplaintEvent, dispatch_uid="resident.mails"
        )
