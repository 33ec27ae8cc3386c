"""The resident's tracking link (docs/resident.md) and the mails the resident is sent."""

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.fields import Issued, IssuedQuerySet, actor, belongs_to
from complaints.models import Complaint
from followups.models import ComplaintScopedQuerySet

CODE_LENGTH = 8


class TrackingLinkQuerySet(IssuedQuerySet, ComplaintScopedQuerySet):
    pass


class TrackingLink(Issued):
    """What opens one complaint's tracking page: a link with an unguessable token, and a short
    code to read out on the phone. Neither is stored as typed: the token is derived from `seed`
    with the site's secret key (`resident.links`), only its SHA-256 is looked up."""

    complaint = belongs_to(Complaint, "tracking_links", _("complaint"))
    seed = models.CharField(_("seed"), max_length=64, editable=False)
    token_hash = models.CharField(_("token's SHA-256"), max_length=64, unique=True, editable=False)
    code = models.CharField(_("short code"), max_length=CODE_LENGTH, unique=True, editable=False)
    revoked_by = actor(_("revoked by"), optional=True, editable=False)

    objects = TrackingLinkQuerySet.as_manager()

    class Meta(Issued.Meta):
        verbose_name = _("tracking link")
        verbose_name_plural = _("tracking links")
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


class ResidentMail(models.Model):
    """One mail to the customer: the tracking link when it is issued, then one per change of
    the complaint's state (docs/resident.md, "Mail"). Written in the transaction (or just after
    the commit) of its cause and sent by a task, so a broker outage only delays it; the text is
    composed when sent, the link derived then (the token is never stored)."""

    class Kind(models.TextChoices):
        LINK = "link", _("Tracking link")
        STATE = "state", _("State changed")

    class NotSent(models.TextChoices):
        BAD_ADDRESS = "bad_address", _("The address cannot be written in a mail header")

    complaint = belongs_to(Complaint, "resident_mails", _("complaint"))
    key = models.CharField(_("key"), max_length=80, unique=True, editable=False)
    kind = models.CharField(_("kind"), max_length=8, choices=Kind.choices)
    status = models.CharField(_("state announced"), max_length=12)
    to = models.CharField(_("to"), max_length=254)
    created_at = models.DateTimeField(_("written at"), default=timezone.now)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    not_sent = models.CharField(
        _("not sent because"), max_length=12, choices=NotSent.choices, blank=True
    )

    objects = ComplaintScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("mail to the resident")
        verbose_name_plural = _("mails to the resident")
        ordering = ["created_at", "pk"]

    def __str__(self):
        return f"{self.complaint_id} {self.kind} {self.status}"
