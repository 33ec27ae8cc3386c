"""Attaching and withdrawing files, one function per change: each checks the actor, locks the
complaint, writes the rows and their ComplaintEvent in one transaction, and queues the
thumbnails after commit. The thumbnail itself is made by the worker (`make_thumbnail`)."""

from __future__ import annotations

import logging
from datetime import datetime
from io import BytesIO

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from PIL import Image, ImageOps

from accounts.models import User
from accounts.roles import Role
from accounts.staffing import holds_any, is_branch_quality, works_in
from config.celery import delay_or_wait

from .filecheck import PHOTO, CheckedFile
from .models import Attachment, Complaint, ComplaintEvent
from .models.attachment import attachment_storage
from .photometa import UnreadablePhoto, without_metadata

log = logging.getLogger(__name__)
MB = 1024 * 1024
# The office's accountable people keep the record straight: they alone withdraw a file.
WITHDRAWING_ROLES = (Role.CUSTOMER_SUPERVISOR, Role.OFFICE_MANAGER)


class AttachmentRefused(Exception):
    """Raised with every reason the files cannot be attached or withdrawn."""

    def __init__(self, reasons: list[str]):
        self.reasons = reasons
        super().__init__("; ".join(str(r) for r in reasons))


def _may_attach(user: User, complaint: Complaint) -> bool:
    """The office's staff; the branch quality department, which records and follows the
    complaints that reached the branch (R-QD-1)."""
    return works_in(user, complaint.office) or is_branch_quality(user, complaint.office)


def stored_bytes(complaint: Complaint) -> int:
    return complaint.attachments.aggregate(total=Sum("size"))["total"] or 0


def _content(checked: CheckedFile, upload) -> bytes:
    upload.seek(0)
    data = upload.read()
    if checked.kind != PHOTO:
        return data
    try:  # the residents' homes: no GPS, no camera data reaches the storage
        return without_metadata(data, checked.content_type, orientation=checked.orientation)
    except UnreadablePhoto as unreadable:
        raise AttachmentRefused(
            [_("“%(name)s” is a damaged photo: take it again.") % {"name": checked.name}]
        ) from unreadable


def attach_files(
    complaint: Complaint,
    *,
    by: User,
    files: list[tuple[CheckedFile, object]],
    step: str,
    record_id: int | None = None,
    now: datetime | None = None,
) -> list[Attachment]:
    """Store checked uploads (`(CheckedFile, UploadedFile)` pairs) on `complaint` for one step
    of its handling, with a timeline event; refuses past the complaint's size limit."""
    if not _may_attach(by, complaint):
        raise AttachmentRefused([_("You may not attach files to this office's complaints.")])
    return store_files(complaint, by=by, files=files, step=step, record_id=record_id, now=now)


def store_files(
    complaint: Complaint,
    *,
    by: User | None,
    files: list[tuple[CheckedFile, object]],
    step: str,
    record_id: int | None = None,
    now: datetime | None = None,
) -> list[Attachment]:
    """`attach_files` once the actor is known to be allowed; `by` is None only for the
    resident's photos sent with a complaint from the community's page (complaints.community)."""
    now = now or timezone.now()
    if not files:
        return []
    limit = settings.ATTACHMENT_MAX_COMPLAINT_BYTES
    with transaction.atomic():
        complaint = Complaint.objects.select_for_update().get(pk=complaint.pk)
        total = stored_bytes(complaint) + sum(checked.size for checked, _upload in files)
        if total > limit:
            raise AttachmentRefused(
                [
                    _(
                        "A complaint keeps at most %(limit)d MB of files; these would make "
                        "%(total).1f MB."
                    )
                    % {"limit": limit // MB, "total": total / MB}
                ]
            )
        event = ComplaintEvent.objects.create(
            complaint=complaint,
            kind=ComplaintEvent.Kind.ATTACHED,
            at=now,
            actor=by,
            note=", ".join(checked.name for checked, _upload in files),
            data={"step": step, "record": record_id, "files": len(files)},
        )
        attachments = [
            _store(complaint, event, checked, upload, by=by, step=step, record_id=record_id)
            for checked, upload in files
        ]
        photos = [a.pk for a in attachments if a.is_photo]
        transaction.on_commit(lambda: _queue_thumbnails(photos))
    return attachments


def _store(complaint, event, checked: CheckedFile, upload, *, by, step, record_id) -> Attachment:
    attachment = Attachment(
        complaint=complaint,
        event=event,
        step=step,
        record_id=record_id,
        kind=checked.kind,
        content_type=checked.content_type,
        original_name=checked.name,
        width=checked.width,
        height=checked.height,
        uploaded_by=by,
        uploaded_at=event.at,
    )
    content = _content(checked, upload)
    # The stored name is ours alone: a uuid and the suffix of the checked type.
    name = f"{attachment.uploaded_at:%Y/%m}/{attachment.key.hex}{checked.suffix}"
    attachment.file.name = attachment_storage().save(name, ContentFile(content))
    attachment.size = len(content)
    attachment.save()
    return attachment


def _queue_thumbnails(pks: list[int]) -> None:
    """Ask the worker for the thumbnails; if the broker is down the page shows the photo
    itself, and `manage.py make_thumbnails` catches up."""
    from .tasks import make_thumbnail

    for pk in pks:  # the photo is already stored
        delay_or_wait(make_thumbnail, pk, log=log, waiting="thumbnail %s waits")


def make_thumbnail(attachment: Attachment) -> bool:
    """The worker's part: a small JPEG of the photo, upright. Idempotent."""
    if attachment.thumbnail or not attachment.is_photo:
        return False
    side = settings.ATTACHMENT_THUMBNAIL_PIXELS
    Image.MAX_IMAGE_PIXELS = settings.ATTACHMENT_MAX_PIXELS
    storage = attachment_storage()
    with storage.open(attachment.file.name, "rb") as stored, Image.open(stored) as image:
        image.draft("RGB", (side * 2, side * 2))  # JPEG: decode at a fraction of the size
        upright = ImageOps.exif_transpose(image).convert("RGB")
        upright.thumbnail((side, side))
        buffer = BytesIO()
        upright.save(buffer, "JPEG", quality=80, optimize=True)
    name = storage.save(f"thumbnails/{attachment.key.hex}.jpg", ContentFile(buffer.getvalue()))
    Attachment.objects.filter(pk=attachment.pk, thumbnail="").update(thumbnail=name)
    return True


def withdraw_attachment(
    attachment: Attachment, *, by: User, reason: str, now: datetime | None = None
) -> Attachment:
    """Take a file off the record's pages — never out of the record: the file and its row
    stay; the timeline says who withdrew it and why."""
    now = now or timezone.now()
    reasons = []
    if not holds_any(by, WITHDRAWING_ROLES, attachment.complaint.office):
        reasons.append(_("Only the customer supervisor or the office manager withdraws files."))
    if not reason.strip():
        reasons.append(_("Say why the file is withdrawn."))
    if reasons:
        raise AttachmentRefused(reasons)
    with transaction.atomic():
        Complaint.objects.select_for_update().filter(pk=attachment.complaint_id).first()
        attachment = Attachment.objects.select_for_update().get(pk=attachment.pk)
        if attachment.is_withdrawn:
            raise AttachmentRefused([_("This file was already withdrawn.")])
        attachment.withdrawn_at, attachment.withdrawn_by = now, by
        attachment.withdrawal_reason = reason.strip()
        attachment.save(update_fields=["withdrawn_at", "withdrawn_by", "withdrawal_reason"])
        ComplaintEvent.objects.create(
            complaint_id=attachment.complaint_id,
            kind=ComplaintEvent.Kind.ATTACHMENT_WITHDRAWN,
            at=now,
            actor=by,
            note=f"{attachment.original_name}: {attachment.withdrawal_reason}",
            data={"attachment": attachment.pk},
        )
    return attachment


def files_summary(count: int) -> str:
    return ngettext("%(count)d file attached.", "%(count)d files attached.", count) % {
        "count": count
    }
