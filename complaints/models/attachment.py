"""Photos and documents on a complaint and its steps: part of the record, never deleted."""

import uuid

from django.core.files.storage import storages
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.fields import actor, belongs_to
from accounts.scoping import OfficeScopedQuerySet

from .complaint import Complaint, ComplaintEvent


def attachment_storage():
    """`STORAGES["attachments"]`: var/media/ by default, S3-compatible storage when configured
    (docs/operations.md). Never a public URL: the desk streams the files after its scope check.

    Read and written through this call, not `Attachment.file.storage` (fixed when the model is
    loaded), so a changed setting — a test's temporary directory — takes effect."""
    return storages["attachments"]


class AttachmentQuerySet(OfficeScopedQuerySet):
    office_field = "complaint__office"

    def shown(self):
        return self.filter(withdrawn_at__isnull=True)


class Attachment(models.Model):
    """One file a user attached. The stored name is generated (`key`); the user's file name is
    kept only as text to show (`original_name`) and never reaches the file system."""

    class Step(models.TextChoices):
        INTAKE = "intake", _("At intake")
        COMPLAINT = "complaint", _("Added to the complaint")
        CONTACT = "contact", _("Contact with the customer")
        DISPATCH = "dispatch", _("Work order")
        WORK_DONE = "work_done", _("Work done")
        CORRECTIVE_ACTION = "corrective_action", _("Corrective actions")
        REVISIT = "revisit", _("Revisit")

    class Kind(models.TextChoices):
        PHOTO = "photo", _("Photo")
        DOCUMENT = "document", _("Document")

    complaint = belongs_to(Complaint, "attachments", _("complaint"), on_delete=models.PROTECT)
    event = belongs_to(ComplaintEvent, "attachments", _("timeline event"), on_delete=models.PROTECT)
    step = models.CharField(_("attached at"), max_length=20, choices=Step.choices)
    # The follow-up record (contact, dispatch, corrective action, revisit) it belongs to; an id
    # rather than a foreign key because imports point from followups to complaints.
    record_id = models.PositiveBigIntegerField(_("record"), null=True, blank=True)
    key = models.UUIDField(_("stored name"), default=uuid.uuid4, unique=True, editable=False)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    content_type = models.CharField(_("content type"), max_length=40)
    file = models.FileField(_("file"), storage=attachment_storage, max_length=120)
    thumbnail = models.FileField(
        _("thumbnail"), storage=attachment_storage, max_length=120, blank=True
    )
    original_name = models.CharField(_("file name"), max_length=120)
    size = models.PositiveBigIntegerField(_("size (bytes)"))
    width = models.PositiveIntegerField(_("width"), null=True, blank=True)
    height = models.PositiveIntegerField(_("height"), null=True, blank=True)
    # Empty: sent by the resident from the community's page.
    uploaded_by = actor(_("attached by"), optional=True)
    uploaded_at = models.DateTimeField(_("attached at"), default=timezone.now)
    withdrawn_at = models.DateTimeField(_("withdrawn at"), null=True, blank=True)
    withdrawn_by = actor(_("withdrawn by"), optional=True)
    withdrawal_reason = models.TextField(_("why it was withdrawn"), blank=True)

    objects = AttachmentQuerySet.as_manager()

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")
        ordering = ["uploaded_at", "pk"]
        indexes = [models.Index(fields=["complaint", "uploaded_at"], name="attachment_complaint")]
        constraints = [
            models.CheckConstraint(
                condition=Q(withdrawn_at__isnull=True, withdrawn_by__isnull=True)
                | (
                    Q(withdrawn_at__isnull=False, withdrawn_by__isnull=False)
                    & ~Q(withdrawal_reason="")
                ),
                name="withdrawn_names_who_and_why",
            ),
            models.CheckConstraint(
                condition=Q(step__in=["intake", "complaint", "work_done"])
                | Q(record_id__isnull=False),
                name="step_attachments_name_their_record",
            ),
            models.CheckConstraint(condition=Q(size__gt=0), name="attachment_is_not_empty"),
        ]

    def __str__(self):
        return f"{self.complaint_id}: {self.original_name}"

    @property
    def is_photo(self) -> bool:
        return self.kind == self.Kind.PHOTO

    @property
    def is_withdrawn(self) -> bool:
        return self.withdrawn_at is not None
