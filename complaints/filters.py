"""The filters of the complaint list: each value is checked here; the selector applies them."""

from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .forms import StyledFormMixin
from .models import OVERDUE_KINDS, Building, Category, Channel, Classification, Severity, Status
from .queues import QUEUE_LABELS
from .selectors import COMPLAINT_SORTS, OPEN
from .widgets import QuickSelect

PAGE_SIZES = (25, 50, 100)

SORT_LABELS = {
    "-received_at": _("Newest first"),
    "received_at": _("Oldest first"),
    "number": _("Number, ascending"),
    "-number": _("Number, descending"),
    "reply_due": _("Agreed reply, soonest first"),
    "next_contact_due": _("Next contact, soonest first"),
}


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class ListedChoiceIterator(forms.models.ModelChoiceIterator):
    """The choices read in one plain query. Django's iterator reads them through
    `QuerySet.iterator()`, which on PostgreSQL is a server-side cursor held open outside a
    transaction (DECLARE … WITH HOLD, FETCH, CLOSE: three round trips and a materialised
    result) — for the ten to a few hundred rows of a filter's select (docs/performance.md)."""

    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        for obj in self.queryset:
            yield self.choice(obj)


class ListedChoiceField(forms.ModelChoiceField):
    iterator = ListedChoiceIterator


class BuildingChoiceField(ListedChoiceField):
    with_office = False  # the office code tells buildings apart when several offices show

    def label_from_instance(self, building):
        return f"{building.office.code} · {building.name}" if self.with_office else building.name


ALL = [("", _("All"))]


class ComplaintFilterForm(StyledFormMixin, forms.Form):
    q = forms.CharField(
        label=_("Search"),
        required=False,
        max_length=100,
        help_text=_(
            "Part of the number or phone, the complainant, the address (703, 2栋703, 2-1-703), "
            "the category, or words of the complaint."
        ),
    )
    office = ListedChoiceField(
        widget=QuickSelect,
        label=_("Office"),
        queryset=None,
        required=False,
        empty_label=_("All offices"),
    )
    status = forms.ChoiceField(
        widget=QuickSelect,
        label=_("Status"),
        required=False,
        choices=[*ALL, (OPEN, _("All open")), *Status.choices],
    )
    classification = forms.ChoiceField(
        widget=QuickSelect,
        label=_("Class"),
        required=False,
        choices=[*ALL, *Classification.choices],
    )
    channel = forms.ChoiceField(
        widget=QuickSelect, label=_("Channel"), required=False, choices=[*ALL, *Channel.choices]
    )
    category = ListedChoiceField(
        widget=QuickSelect,
        label=_("Category"),
        queryset=Category.objects.all(),
        required=False,
        empty_label=_("All"),
    )
    severity = forms.ChoiceField(
        widget=QuickSelect, label=_("Severity"), required=False, choices=[*ALL, *Severity.choices]
    )
    building = BuildingChoiceField(
        widget=QuickSelect, label=_("Building"), queryset=None, required=False, empty_label=_("All")
    )
    overdue = forms.ChoiceField(
        widget=QuickSelect,
        label=_("Overdue"),
        required=False,
        choices=[("", _("Any")), *OVERDUE_KINDS],
    )
    # The home page's work queues (issue 14): a number there links to its list here.
    queue = forms.ChoiceField(
        label=_("Work queue"), required=False, choices=[("", _("Any")), *QUEUE_LABELS.items()]
    )
    received_from = forms.DateField(label=_("Received from"), required=False, widget=DateInput())
    received_to = forms.DateField(label=_("Received until"), required=False, widget=DateInput())
    sort = forms.ChoiceField(
        widget=QuickSelect,
        label=_("Sort"),
        required=False,
        choices=[(key, SORT_LABELS[key]) for key in COMPLAINT_SORTS],
    )
    per_page = forms.TypedChoiceField(
        widget=QuickSelect,
        label=_("Per page"),
        required=False,
        choices=[(size, size) for size in PAGE_SIZES],
        coerce=int,
        empty_value=PAGE_SIZES[0],
    )

    def __init__(self, *args, offices, **kwargs):
        super().__init__(*args, **kwargs)
        self.several_offices = len(offices) > 1
        self.fields["office"].queryset = offices
        # Every branch's categories and those of the offices' branches (another branch's own
        # categories are its configuration).
        self.fields["category"].queryset = Category.objects.filter(
            Q(branch__isnull=True) | Q(branch__in=offices.values("branch"))
        )
        self.fields["building"].with_office = self.several_offices
        self.fields["building"].queryset = Building.objects.filter(
            office__in=offices
        ).select_related("office")
        for name, field in self.fields.items():
            if name != "q":  # the side panel is dense; the search box stays large
                small = "form-select-sm" if "form-select" in field.widget.attrs["class"] else ""
                field.widget.attrs["class"] += f" {small or 'form-control-sm'}"
        self.fields["q"].widget.attrs.update(
            {"type": "search", "placeholder": _("Search"), "autocomplete": "off"}
        )

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("received_from"), cleaned.get("received_to")
        if start and end and start > end:
            self.add_error("received_to", _("The end date is before the start date."))
        return cleaned

    @property
    def applied(self) -> dict:
        """The valid values to filter by; invalid ones are left out (and explained)."""
        return getattr(self, "cleaned_data", {})

    @property
    def invalid(self) -> list[tuple[str, str]]:
        """(label, message) of every value that was left out."""
        return [
            (self.fields[name].label if name in self.fields else "", message)
            for name, messages in self.errors.items()
            for message in messages
        ]
