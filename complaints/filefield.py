"""The file field every form with attachments shares: intake and the follow-up steps
(`files = AttachmentsField()`). It cleans to `(CheckedFile, UploadedFile)` pairs that
`complaints.attachments.attach_files` stores."""

from django import forms
from django.conf import settings
from django.utils.functional import lazy
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from .filecheck import UploadRefused, check_upload

# Photos from the chooser or the camera, and PDF; the server checks the content anyway.
ACCEPT = "image/*,application/pdf"


def _limits() -> str:
    return gettext(
        "Photos (JPEG, PNG, WebP) or PDF, up to %(size)d MB each and %(count)d at once."
    ) % {
        "size": settings.ATTACHMENT_MAX_FILE_BYTES // (1024 * 1024),
        "count": settings.ATTACHMENT_MAX_FILES,
    }


limits_text = lazy(_limits, str)


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True
    template_name = "django/forms/widgets/file.html"  # no "clear" checkbox: nothing to clear


class AttachmentsField(forms.FileField):
    """Several files at once, each checked by its content (complaints.filecheck). Cleans to a
    list of `(CheckedFile, UploadedFile)` pairs; an empty choice is an empty list."""

    def __init__(self, *, camera: bool = False, **kwargs):
        attrs = {"accept": ACCEPT, "multiple": True}
        if camera:  # a phone opens its camera straight away; a desktop shows the chooser
            attrs["capture"] = "environment"
        kwargs.setdefault("label", _("Photos and documents"))
        kwargs.setdefault("help_text", limits_text())
        super().__init__(required=False, widget=MultipleFileInput(attrs=attrs), **kwargs)

    def clean(self, data, initial=None):
        uploads = [f for f in (data if isinstance(data, list | tuple) else [data]) if f]
        if len(uploads) > settings.ATTACHMENT_MAX_FILES:
            raise forms.ValidationError(
                _("Attach at most %(count)d files at once.")
                % {"count": settings.ATTACHMENT_MAX_FILES}
            )
        checked, errors = [], []
        for upload in uploads:
            try:
                checked.append(
                    (
                        check_upload(
                            upload,
                            max_bytes=settings.ATTACHMENT_MAX_FILE_BYTES,
                            max_pixels=settings.ATTACHMENT_MAX_PIXELS,
                        ),
                        upload,
                    )
                )
            except UploadRefused as refused:
                errors.append(refused.message)
        total = sum(file.size for file, _upload in checked)
        if total > settings.ATTACHMENT_MAX_COMPLAINT_BYTES:
            errors.append(
                _("A complaint keeps at most %(limit)d MB of files; these make %(total).1f MB.")
                % {
                    "limit": settings.ATTACHMENT_MAX_COMPLAINT_BYTES // (1024 * 1024),
                    "total": total / (1024 * 1024),
                }
            )
        if errors:  # every refused file is named, not only the first
            raise forms.ValidationError(errors)
        return checked
