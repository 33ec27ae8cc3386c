"""The detail page's forms for attachments: add files later, withdraw one."""

from django import forms
from django.utils.translation import gettext_lazy as _

from .filefield import AttachmentsField
from .forms import StyledFormMixin
from .models import Attachment


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
