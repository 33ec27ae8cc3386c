"""The file field every form with attachments shares (intake and the follow-up steps), and
the detail page's own forms: add files later, withdraw one."""

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from .filecheck import UploadRefused, check_upload
from .forms import StyledFormMixin
from .models import Attachment

ACCEPT = "image/jpeg,image/png,image/webp,application/pdf"


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True
    template_name = "django/forms/widgets/file.html"  # no "clear" checkbox: nothing to clear


class AttachmentsField(forms.FileField):
    """Several files at once, each checked by its content (complaints.filecheck). Cleans to a
    list of `(CheckedFile, UploadedFile)` pairs; an empty choice is an empty list."""

    def __init__(self, *, camera: bool = False, **kwargs):
        attrs = {"accept": f"image/*,application/pdf,{ACCEPT}", "multiple": True}
        if camera:  # a phone opens its camera straight away; a desktop shows the chooser
            attrs["capture"] = "environment"
        kwargs.setdefault("label", _("Photos and documents"))
        kwargs.setdefault(
            "help_text",
            _("Photos (JPEG, PNG, WebP) or PDF, up to %(size)d MB each and %(count)d at once.")
            % {
                "size": settings.ATTACHMENT_MAX_FILE_BYTES // (1024 * 1024),
                "count": settings.ATTACHMENT_MAX_FILES,
            },
        )
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
        if errors:  # every refused file is named, not only the first
            raise forms.ValidationError(errors)
        return checked


def attachments_field(**kwargs) -> AttachmentsField:
    return AttachmentsField(**kwargs)


class AttachForm(StyledFormMixin, forms.Form):
    """Files added later: a letter that arrived, the photos of the work done."""

    prefix = "attach"
    step = forms.ChoiceField(
        label=_("What they show"),
        choices=[
            (Attachment.Step.COMPLAINT, _("The complaint (a letter, more photos)")),
            (Attachment.Step.WORK_DONE, _("The work done")),
        ],
    )
    files = AttachmentsField()
    camera = AttachmentsField(camera=True, label=_("Take photos"), help_text="")

    def clean(self):
        cleaned = super().clean()
        if "files" in cleaned and "camera" in cleaned:
            cleaned["files"] = cleaned["files"] + cleaned.pop("camera")
            if not cleaned["files"]:
                self.add_error("files", _("Choose at least one photo or document."))
        return cleaned


class WithdrawForm(StyledFormMixin, forms.Form):
    prefix = "withdraw"
    reason = forms.CharField(label=_("Why it is withdrawn"), max_length=500)
