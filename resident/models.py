"""The resident's tracking link (docs/resident.md) and the mails the resident is sent."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.scoping import OfficeScopedQuerySet
from complaints.models import Complaint

CODE_LENGTH = 8


class TrackingLinkQuerySet(OfficeScopedQuerySet):
    office_field = "complaint__office"

    def live(self):
        return self.filter(revoked_at__isnull=True)


class TrackingLink(models.Model):
    """What opens one complaint's tracking page: a link with an unguessable token, and a short
    code to read out on the phone. Neither is stored as typed: the token is derived from `seed`
    with the site's secret key (`resident.links`), only its SHA-256 is looked up."""

    complaint = models.ForeignKey(
        Complaint,
        on_delete=models.CASCADE,
        related_name="tracking_links",
        verbose_name=_("complaint"),
    )
    seed = models.CharField(_("seed"), max_length=64, editable=False)
    token_hash = models.CharField(_("token's SHA-256"), max_length=64, unique=True, editable=False)
    code = models.CharField(_("short code"), max_length=CODE_LENGTH, unique=True, editable=False)
    created_at = models.DateTimeField(_("issued at"), default=timezone.now, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
        verbose_name=_("issued by"),
    )
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True, editable=False)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
        verbose_name=_("revoked by"),
    )

    objects = TrackingLinkQuerySet.as_manager()

    class Meta:
        verbose_name = _("tracking link")
        verbose_name_plural = _("tracking links")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["complaint"],
                condition=Q(revoked_at__isnull=True),
                name="one_live_tracking_link_per_complaint",
            )
        ]

    def __str__(self):
        return f"{self.complaint} {self.display_code}"

    @property
    def display_code(self) -> str:
        """`K7M2-Q9XH`: two groups of four, easier to read out."""
        half = CODE_LENGTH // 2
        return f"{self.code[:half]}-{self.code[half:]}"

    @property
    def is_live(self) -> bool:
        return self.revoked_at is None
