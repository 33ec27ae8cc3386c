"""Attachments: streamed only through these views, after the scope check (404 outside it);
files added to a complaint later; a file withdrawn by the supervisor or manager."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from ..attachments import AttachmentRefused, attach_files, files_summary, withdraw_attachment
from ..forms_attachments import AttachForm, WithdrawForm
from ..models import Attachment, Complaint
from ..models.attachment import attachment_storage
from .refusals import refuse

# A file is data, never a page: no script, no plugin, no framing, even if a browser were
# to read it as HTML (docs/security.md, Attachments).
FILE_POLICY = "default-src 'none'; img-src 'self'; style-src 'unsafe-inline'; sandbox"


class AttachmentResponse(FileResponse):
    block_size = 64 * 1024


def _visible(request, pk) -> Attachment:
    return get_object_or_404(Attachment.objects.visible_to(request.user).shown(), pk=pk)


def _stream(attachment: Attachment, name: str, *, content_type: str):
    try:
        stored = attachment_storage().open(name, "rb")
    except FileNotFoundError as missing:  # a restore without its media: say so, never a 500
        raise Http404(_("The file is not in the storage.")) from missing
    response = AttachmentResponse(
        stored,
        content_type=content_type,
        as_attachment=not attachment.is_photo,  # only photos open in the browser
        filename=attachment.original_name,
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    response["Content-Security-Policy"] = FILE_POLICY
    response["Cross-Origin-Resource-Policy"] = "same-origin"
    return response


@login_required
@require_GET
def attachment_file(request, pk):
    attachment = _visible(request, pk)
    return _stream(attachment, attachment.file.name, content_type=attachment.content_type)


@login_required
@require_GET
def attachment_thumbnail(request, pk):
    """The photo's thumbnail, or the photo itself until the worker has made it."""
    attachment = _visible(request, pk)
    if not attachment.is_photo:
        raise Http404(_("Only photos have thumbnails."))
    if attachment.thumbnail:
        return _stream(attachment, attachment.thumbnail.name, content_type="image/jpeg")
    return _stream(attachment, attachment.file.name, content_type=attachment.content_type)


def _form_reasons(form) -> list[str]:
    return [str(error) for errors in form.errors.values() for error in errors]


@login_required
@require_POST
def attach(request, pk):
    complaint = get_object_or_404(Complaint.objects.visible_to(request.user), pk=pk)
    form = AttachForm(request.POST, request.FILES)
    heading = _("%(number)s: no file was attached.") % {"number": complaint.number}
    if not form.is_valid():
        refuse(request, heading, _form_reasons(form))
    else:
        try:
            attached = attach_files(
                complaint,
                by=request.user,
                files=form.cleaned_data["files"],
                step=form.cleaned_data["step"],
            )
        except AttachmentRefused as refused:
            refuse(request, heading, refused.reasons)
        else:
            messages.success(request, files_summary(len(attached)))
    return redirect("complaints:detail", pk=complaint.pk)


@login_required
@require_POST
def withdraw(request, pk):
    attachment = _visible(request, pk)
    form = WithdrawForm(request.POST)
    heading = _("“%(name)s” was not withdrawn.") % {"name": attachment.original_name}
    try:
        if not form.is_valid():
            raise AttachmentRefused(_form_reasons(form))
        withdraw_attachment(attachment, by=request.user, reason=form.cleaned_data["reason"])
    except AttachmentRefused as refused:
        refuse(request, heading, refused.reasons)
    else:
        messages.success(
            request, _("“%(name)s” was withdrawn.") % {"name": attachment.original_name}
        )
    return redirect("complaints:detail", pk=attachment.complaint_id)
