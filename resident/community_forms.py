"""The resident's complaint form on the community's page (docs/resident.md): what a resident
can tell — who, how to reach them, where, what happened, what they want, photos — and a field
no person fills in (the honeypot)."""

from django import forms
from django.conf import settings
from django.core.validators import MaxLengthValidator
from django.utils.translation import gettext_lazy as _

from complaints.filecheck import PHOTO
from complaints.filefield import AttachmentsField
from complaints.forms import StyledFormMixin
from complaints.models import Building, Complaint
from complaints.phones import normalise_phone

TRAP = "website"  # a name a form-filling robot cannot resist; hidden from people


class PhotosField(AttachmentsField):
    """Photos only (a resident's phone takes them), at most `COMMUNITY_MAX_PHOTOS`."""

    def __init__(self, **kwargs):
        super().__init__(
            label=_("Photos (optional)"),
            help_text=_("Up to %(count)d photos (JPEG, PNG, WebP), %(size)d MB each.")
            % {
                "count": settings.COMMUNITY_MAX_PHOTOS,
                "size": settings.ATTACHMENT_MAX_FILE_BYTES // (1024 * 1024),
            },
            **kwargs,
        )
        self.widget.attrs["accept"] = "image/*"

    def clean(self, data, initial=None):
        uploads = [f for f in (data if isinstance(data, list | tuple) else [data]) if f]
        if len(uploads) > settings.COMMUNITY_MAX_PHOTOS:
            raise forms.ValidationError(
                _("Send at most %(count)d photos.") % {"count": settings.COMMUNITY_MAX_PHOTOS}
            )
        checked = super().clean(data, initial)
        if any(file.kind != PHOTO for file, _upload in checked):
            raise forms.ValidationError(_("Only photos can be sent here (JPEG, PNG or WebP)."))
        return checked


class CommunityComplaintForm(StyledFormMixin, forms.ModelForm):
    address = forms.CharField(
        label=_("Address (unit and room)"),
        max_length=Complaint._meta.get_field("address_note").max_length,
        help_text=_("For example 1单元703."),
    )
    photos = PhotosField()
    website = forms.CharField(required=False, label=_("Leave this empty"))  # TRAP

    class Meta:
        model = Complaint
        fields = ["complainant_name", "phone", "building", "description", "customer_request"]
        labels = {
            "complainant_name": _("Your name"),
            "phone": _("Your phone"),
            "building": _("Building"),
            "description": _("What happened, in your words"),
            "customer_request": _("What you would like us to do"),
        }
        widgets = {
            "description": forms.Textarea(attrs={"rows": 4}),
            "customer_request": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args, office, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.office = office
        buildings = Building.objects.filter(office=office)
        self.fields["building"].queryset = buildings
        self.fields["building"].empty_label = _("— choose, or write it in the address —")
        self.fields["building"].required = False
        self.fields["customer_request"].required = True
        self.fields["phone"].required = True  # R-REC-3: the only way to reach the resident
        for name in ("description", "customer_request"):
            field = self.fields[name]
            field.max_length = settings.COMMUNITY_TEXT_MAX_LENGTH
            field.validators = [
                *(v for v in field.validators if not isinstance(v, MaxLengthValidator)),
                MaxLengthValidator(field.max_length),
            ]
            field.widget.attrs["maxlength"] = field.max_length
        self.fields["phone"].widget.attrs.update(
            {"inputmode": "tel", "autocomplete": "tel", "maxlength": 20}
        )
        self.fields["complainant_name"].widget.attrs["autocomplete"] = "name"
        trap = self.fields[TRAP].widget
        trap.attrs.update({"autocomplete": "off", "tabindex": "-1", "class": "community-trap"})

    @property
    def is_trap(self) -> bool:
        """A robot filled in the field no person sees."""
        return bool(self.cleaned_data.get(TRAP))

    def clean_phone(self):
        raw = self.cleaned_data["phone"].strip()
        phone = normalise_phone(raw)
        if phone is None:
            raise forms.ValidationError(
                _("“%(value)s” is not a phone number we can call: a mobile has 11 digits."),
                params={"value": raw},
            )
        return phone

    def clean_complainant_name(self):
        return self.cleaned_data["complainant_name"].strip()

    def complaint(self) -> Complaint:
        """The unsaved complaint of what was typed (complaints.community records it)."""
        complaint = self.save(commit=False)
        complaint.address_note = self.cleaned_data["address"].strip()
        return complaint
