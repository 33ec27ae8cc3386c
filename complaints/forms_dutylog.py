"""Forms of the duty log, the shift handover and the website scan: they parse what was typed;
the rules are checked by the workflow (complaints/dutylog.py)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from .dutylog import NON_COMPLAINT_KINDS
from .forms import LocalDateTimeInput, StyledFormMixin, guard_hostile_input
from .models import DutyLogEntry, ShiftHandover, WebsiteScan


class DutyLogDayForm(forms.Form):
    """Which office and which day of the duty log to show; what is missing takes the default
    (the user's office, today), so the page renders the picker from the values it shows."""

    office = forms.ModelChoiceField(queryset=None, label=_("office"), required=False)
    day = forms.DateField(label=_("day"), required=False)

    def __init__(self, *args, offices, **kwargs):
        super().__init__(*args, **kwargs)
        guard_hostile_input(self)
        self.fields["office"].queryset = offices


class ScanOfficeForm(forms.Form):
    """Which office's website scans to show."""

    office = forms.ModelChoiceField(queryset=None, label=_("office"), required=False)

    def __init__(self, *args, offices, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["office"].queryset = offices


class DutyLogLineForm(StyledFormMixin, forms.ModelForm):
    """A line that is not a complaint (R-LOG-1): inquiries, repair requests, other matters."""

    class Meta:
        model = DutyLogEntry
        fields = [
            "office",
            "occurred_at",
            "kind",
            "customer_name",
            "address",
            "contact",
            "matter",
            "handler",
            "handling_status",
            "done",
            "handover_note",
        ]
        widgets = {
            "office": forms.HiddenInput(),
            "occurred_at": LocalDateTimeInput(),
            "matter": forms.Textarea(attrs={"rows": 2}),
            "handling_status": forms.Textarea(attrs={"rows": 1}),
            "handover_note": forms.Textarea(attrs={"rows": 1}),
        }

    def __init__(self, *args, offices, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["office"].queryset = offices
        self.fields["kind"].choices = [(kind.value, kind.label) for kind in NON_COMPLAINT_KINDS]
        self.fields["matter"].widget.attrs["placeholder"] = _("What the customer asked or reported")


class DutyLogUpdateForm(StyledFormMixin, forms.ModelForm):
    """How a line is being handled: handler, status, done, handover items (R-LOG-1)."""

    class Meta:
        model = DutyLogEntry
        fields = ["handler", "handling_status", "done", "handover_note"]
        widgets = {
            "handling_status": forms.Textarea(attrs={"rows": 2}),
            "handover_note": forms.Textarea(attrs={"rows": 2}),
        }

    @classmethod
    def for_line(cls, line: DutyLogEntry, data=None):
        """The form of one line, its ids unique on a page of many lines."""
        return cls(
            data,
            initial={
                "handler": line.handler,
                "handling_status": line.handling_status,
                "done": line.done,
                "handover_note": line.handover_note,
            },
            auto_id=f"line-{line.pk}-%s",
        )


class HandoverForm(StyledFormMixin, forms.ModelForm):
    """The outgoing assistant's handover items (R-LOG-2)."""

    class Meta:
        model = ShiftHandover
        fields = ["office", "items"]
        widgets = {"office": forms.HiddenInput(), "items": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args, offices, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["office"].queryset = offices


class WebsiteScanForm(StyledFormMixin, forms.ModelForm):
    """A scan of the community website / BBS (R-CHAN-2)."""

    class Meta:
        model = WebsiteScan
        fields = ["office", "site", "findings"]
        widgets = {"office": forms.HiddenInput(), "findings": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, offices, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["office"].queryset = offices
        self.fields["site"].required = True
        self.fields["site"].help_text = _("The website or message board you scanned.")
