"""The intake form: field-level messages for what the user typed; the workflow checks the rules."""

from datetime import date, datetime

from django import forms
from django.core.validators import MaxLengthValidator
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from accounts.roles import OFFICE_ROLES, Role
from accounts.staffing import staff

from .community import CHECKED_FIELDS
from .filefield import AttachmentsField
from .models import Building, Category, Channel, Complaint, Unit, WebsiteScan
from .phones import display_phone, normalise_phone
from .widgets import QuickSelect
from .workflow import DESK_RECORD_FIELDS, WHO_AND_WHERE


class LocalDateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%dT%H:%M", **kwargs)


# Hostile input (docs/security.md): a free text without a model limit (a TextField) is still
# refused past this many characters, with a form error instead of megabytes in the database.
TEXT_MAX_LENGTH = 10_000
# Dates typed or put in a link outside these years are refused with a message: a year 1 or 9999
# would overflow the day arithmetic (the next day, the office's midnight in UTC) into a 500.
EARLIEST_DATE = date(2000, 1, 1)
LATEST_DATE = date(2099, 12, 31)


def validate_desk_date(value: date | datetime) -> None:
    day = value.date() if isinstance(value, datetime) else value
    if not EARLIEST_DATE <= day <= LATEST_DATE:
        raise forms.ValidationError(
            _("Give a date between %(earliest)s and %(latest)s."),
            code="date_out_of_range",
            params={"earliest": EARLIEST_DATE.isoformat(), "latest": LATEST_DATE.isoformat()},
        )


def guard_hostile_input(form: forms.BaseForm) -> None:
    """Bound every unbounded free text and every date of `form` (docs/security.md)."""
    for field in form.fields.values():
        if isinstance(field, forms.CharField) and field.max_length is None:
            field.max_length = TEXT_MAX_LENGTH
            field.validators.append(MaxLengthValidator(TEXT_MAX_LENGTH))
        if isinstance(field, forms.DateField | forms.DateTimeField):
            field.validators.append(validate_desk_date)


class StyledFormMixin:
    """Bootstrap classes on every widget, and `is-invalid` on fields with errors; free texts
    and dates bounded (`guard_hostile_input`)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        guard_hostile_input(self)
        for field in self.fields.values():
            widget = field.widget
            if isinstance(widget, forms.CheckboxInput):
                css = "form-check-input"
            elif isinstance(widget, forms.RadioSelect | forms.HiddenInput):
                continue
            elif isinstance(widget, forms.Select):
                css = "form-select"
                if type(widget) is forms.Select:  # the same HTML, without a template per option
                    widget.__class__ = QuickSelect
            else:
                css = "form-control"
            widget.attrs["class"] = f"{widget.attrs.get('class', '')} {css}".strip()

    def full_clean(self):
        super().full_clean()
        for name in self.errors:
            if name in self.fields:
                widget = self.fields[name].widget
                widget.attrs["class"] = f"{widget.attrs.get('class', '')} is-invalid".strip()
                widget.attrs["aria-invalid"] = "true"


# R-REC-3: the intake fields a complete record needs, marked on the form even where the
# database lets them be empty (a contact is the phone or the e-mail; an address is building
# and room, or another address).
RECORD_FIELDS = (
    "complainant_name",
    "phone",
    "email",
    "building",
    "room",
    "address_note",
    "received_at",
    "description",
    "customer_request",
    "channel",
    "category",
    "classification",
    "severity",
)


INVALID_PHONE = _(
    "“%(value)s” is not a valid phone number. Use a mobile (11 digits) or an area code and number."
)


class IntakeForm(StyledFormMixin, forms.ModelForm):
    files = AttachmentsField()  # stored by complaints.attachments after the record

    class Meta:
        model = Complaint
        fields = [
            "office",
            "channel",
            *WHO_AND_WHERE,
            "received_at",
            "received_by",
            "category",
            "classification",
            "responsible_party",
            "severity",
            "is_major",
            "urgent_kind",
            "facility_kind",
            "temperament",
            "description",
            "customer_request",
            "answered_at_once",
            "reply_due",
            "linked_to",
            "website_scan",
            "handler",
        ]
        widgets = {
            "received_at": LocalDateTimeInput(),
            "reply_due": LocalDateTimeInput(),
            "description": forms.Textarea(attrs={"rows": 3}),
            "customer_request": forms.Textarea(attrs={"rows": 2}),
            "linked_to": forms.RadioSelect(),
            "website_scan": forms.HiddenInput(),
        }

    def __init__(self, *args, offices, user, branch_intake=False, **kwargs):
        super().__init__(*args, **kwargs)
        if branch_intake:  # R-QD-1: the quality department names an office manager
            self.fields["handler"].queryset = staff(offices, Role.OFFICE_MANAGER)
            self.fields["handler"].required = True
            self.fields["channel"].choices = [(Channel.BRANCH, Channel.BRANCH.label)]
        else:  # R-QD-1: only the quality department records what reached the branch
            del self.fields["handler"]
            self.fields["channel"].choices = [
                choice for choice in self.fields["channel"].choices if choice[0] != Channel.BRANCH
            ]
        self.fields["office"].queryset = offices
        self.fields["office"].empty_label = None
        self.fields["building"].queryset = Building.objects.filter(office__in=offices)
        self.fields["unit"].queryset = Unit.objects.filter(
            building__office__in=offices
        ).select_related("building")
        # The categories of the offices' branches (R-CAT-1); the workflow checks the office's.
        self.fields["category"].queryset = Category.objects.offered_in(
            offices.values_list("branch_id", flat=True)
        )
        self.fields["received_by"].queryset = User.objects.filter(
            Q(pk__in=staff(offices, *OFFICE_ROLES).values("pk")) | Q(pk=user.pk)
        )
        self.fields["linked_to"].queryset = Complaint.objects.filter(office__in=offices)
        self.fields["website_scan"].queryset = WebsiteScan.objects.filter(office__in=offices)
        self.fields["received_by"].required = False
        self.fields["reply_due"].required = False
        self.fields["phone"].widget.attrs.update(
            {"inputmode": "tel", "autocomplete": "off", "autofocus": True}
        )
        self._guide(offices)

    def _guide(self, offices):
        """Issue 14: mark what a complete record needs, show the limit of every long text as
        it is typed, and keep the unit list narrowed to the chosen building after an error."""
        for name in RECORD_FIELDS:
            self.fields[name].record_part = True
        for field in self.fields.values():
            if isinstance(field, forms.CharField) and field.max_length:
                field.widget.attrs.setdefault("maxlength", field.max_length)
                if isinstance(field.widget, forms.Textarea):
                    field.widget.attrs["data-count"] = ""
        # str(): a JSON body (the API) carries the id as a number
        building = str(self.data.get(self.add_prefix("building"), "")) if self.is_bound else ""
        if building.isascii() and building.isdigit():
            self.fields["unit"].queryset = self.fields["unit"].queryset.filter(
                building_id=int(building)
            )

    def clean_phone(self):
        raw = self.cleaned_data["phone"].strip()
        if not raw:
            return ""
        phone = normalise_phone(raw)
        if phone is None:
            raise forms.ValidationError(INVALID_PHONE, params={"value": raw})
        return phone

    def clean_received_at(self):
        received_at = self.cleaned_data["received_at"]
        if received_at > timezone.now():
            raise forms.ValidationError(_("The time of receipt cannot be in the future."))
        return received_at

    def clean_complainant_name(self):
        return self.cleaned_data["complainant_name"].strip()


class RecordForm(StyledFormMixin, forms.ModelForm):
    """Complete or correct the record's facts on the desk (R-REC-3, `complete_record`)."""

    class Meta:
        model = Complaint
        fields = list(DESK_RECORD_FIELDS)
        widgets = {
            "description": forms.Textarea(attrs={"rows": 3}),
            "customer_request": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        office = self.instance.office
        self.fields["building"].queryset = Building.objects.filter(office=office)
        units = Unit.objects.filter(building__office=office).select_related("building")
        building = (
            self.data.get("building", "") if self.is_bound else str(self.instance.building_id or "")
        )
        if building.isascii() and building.isdigit():
            units = units.filter(building_id=int(building))
        self.fields["unit"].queryset = units
        self.fields["category"].queryset = Category.objects.filter(
            Q(active=True) | Q(pk=self.instance.category_id or 0)
        )
        for name in RECORD_FIELDS:
            if name in self.fields:
                self.fields[name].record_part = True
        for field in self.fields.values():
            if isinstance(field, forms.CharField) and field.max_length:
                field.widget.attrs.setdefault("maxlength", field.max_length)
        self.fields["phone"].widget.attrs.update({"inputmode": "tel", "autocomplete": "off"})
        if not self.is_bound:  # shown as it is read out, stored as E.164
            self.initial["phone"] = display_phone(self.instance.phone)
        branch = self.instance.channel == Channel.BRANCH  # R-QD-1: stays a branch complaint
        self.fields["channel"].choices = [
            (value, label)
            for value, label in Channel.choices
            if (value == Channel.BRANCH) == branch
        ]

    clean_phone = IntakeForm.clean_phone
    clean_complainant_name = IntakeForm.clean_complainant_name

    def _post_clean(self):
        # The workflow writes the record (`complete_record`): the form only reads values.
        pass


class CheckForm(StyledFormMixin, forms.ModelForm):
    """The assistant's check of a complaint from the community's page (complaints.community):
    what only the desk can say about it."""

    class Meta:
        model = Complaint
        fields = list(CHECKED_FIELDS)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        office = self.instance.office
        self.fields["category"].queryset = Category.objects.offered_in([office.branch_id])
        self.fields["category"].required = True
        for name in ("classification", "category", "severity"):
            self.fields[name].record_part = True
