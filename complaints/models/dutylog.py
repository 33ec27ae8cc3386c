"""The duty log (值班记录, form PM03-01-09-R01B/0), shift handovers and website scans."""

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.fields import actor, belongs_to
from accounts.models import Office
from accounts.scoping import OfficeScopedQuerySet


class DutyLogEntry(models.Model):
    """One line of the duty log (R-LOG-1); complaint lines are written at intake (R-REC-1)."""

    class Kind(models.TextChoices):
        COMPLAINT = "complaint", _("Complaint")
        INQUIRY = "inquiry", _("Inquiry")
        REPAIR = "repair", _("Repair request")
        OTHER = "other", _("Other")

    office = belongs_to(Office, "duty_log", _("office"))
    occurred_at = models.DateTimeField(_("time"), default=timezone.now)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.INQUIRY)
    customer_name = models.CharField(_("customer"), max_length=60, blank=True)
    address = models.CharField(_("address"), max_length=120, blank=True)
    contact = models.CharField(_("contact"), max_length=60, blank=True)
    matter = models.TextField(_("matter"))
    recorder = actor(_("recorder"))
    handler = models.CharField(_("handler"), max_length=60, blank=True)
    handling_status = models.TextField(
        _("handling status"), blank=True, help_text=_("To whom it was passed; follow-up result.")
    )
    done = models.BooleanField(_("done"), default=False)
    handover_note = models.TextField(_("handover items"), blank=True)
    complaint = belongs_to(
        "complaints.Complaint",
        "duty_log_entries",
        _("complaint"),
        on_delete=models.SET_NULL,
        optional=True,
    )

    objects = OfficeScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("duty log entry")
        verbose_name_plural = _("duty log")
        ordering = ["-occurred_at", "-pk"]
        indexes = [
            models.Index(fields=["office", "-occurred_at"], name="dutylog_office_time"),
            models.Index(fields=["occurred_at"], name="dutylog_time"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind="complaint", complaint__isnull=False) | ~Q(kind="complaint"),
                name="complaint_lines_name_their_complaint",
            )
        ]

    def __str__(self):
        return f"{self.occurred_at:%Y-%m-%d %H:%M} {self.matter[:30]}"


class ShiftHandover(models.Model):
    """The handover at a shift change (R-LOG-2): written and signed by the outgoing assistant,
    countersigned by the incoming one."""

    office = belongs_to(Office, "handovers", _("office"))
    handed_over_at = models.DateTimeField(_("handed over at"), default=timezone.now)
    items = models.TextField(
        _("handover items"), help_text=_("What is unfinished and what the next shift must watch.")
    )
    outgoing = actor(_("outgoing"))
    incoming = actor(_("incoming"), optional=True)
    incoming_signed_at = models.DateTimeField(_("countersigned at"), null=True, blank=True)

    objects = OfficeScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("shift handover")
        verbose_name_plural = _("shift handovers")
        ordering = ["-handed_over_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(incoming__isnull=True, incoming_signed_at__isnull=True)
                | Q(incoming__isnull=False, incoming_signed_at__isnull=False),
                name="countersigned_by_the_incoming_assistant",
            ),
            models.CheckConstraint(
                condition=~Q(incoming=models.F("outgoing")),
                name="incoming_is_not_the_outgoing_assistant",
            ),
        ]

    def __str__(self):
        return f"{self.office} {self.handed_over_at:%Y-%m-%d %H:%M}"

    @property
    def is_countersigned(self) -> bool:
        return self.incoming_signed_at is not None


class WebsiteScan(models.Model):
    """A scan of the community website / BBS for complaints (R-CHAN-2), at least twice a day."""

    office = belongs_to(Office, "website_scans", _("office"))
    scanned_at = models.DateTimeField(_("scanned at"), default=timezone.now)
    scanned_by = actor(_("scanned by"))
    site = models.CharField(_("website"), max_length=120, blank=True)
    findings = models.TextField(
        _("findings"), blank=True, help_text=_("Leave empty if nothing was found.")
    )

    objects = OfficeScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("website scan")
        verbose_name_plural = _("website scans")
        ordering = ["-scanned_at"]
        indexes = [models.Index(fields=["office", "-scanned_at"], name="scan_office_time")]

    def __str__(self):
        return f"{self.office} {self.scanned_at:%Y-%m-%d %H:%M}"
