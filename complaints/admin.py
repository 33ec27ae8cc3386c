"""The admin of the complaint desk: every office-owned row scoped to the user's offices
(docs/architecture.md, Roles and scoping). Complaints are recorded and moved on only by the
workflow, so the admin never adds, deletes or changes their status, numbers or clocks.
Categories and calendar overrides are configuration by branch (`admin_config`).

ComplaintSequence is not registered: it is the internal counter of complaint numbers, and
editing it by hand could only break the numbering."""

from django import forms
from django.contrib import admin
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _

from accounts.admin_scoping import (
    OfficeScopedAdminMixin,
    ReadOnlyMixin,
    ScopedChoicesMixin,
)

from . import admin_config  # noqa: F401  (registers the configuration's admins)
from .emails import PLAIN_EMAIL_ONLY, is_plain_email
from .forms import IntakeForm
from .models import (
    Building,
    Category,
    Channel,
    Complaint,
    ComplaintEvent,
    DutyLogEntry,
    ShiftHandover,
    Unit,
    WebsiteScan,
)
from .phones import normalise_phone
from .workflow import DESK_RECORD_FIELDS, correct_record, shown_value

OfficeFilter = ("office", admin.RelatedOnlyFieldListFilter)  # lists only offices in scope


def short(field: str, label):
    """A changelist column showing the start of a long text field."""

    @admin.display(description=label, ordering=field)
    def column(obj):
        return Truncator(getattr(obj, field)).chars(60)

    return column


class ScopedAdmin(OfficeScopedAdminMixin, admin.ModelAdmin):
    pass


class UnitInline(admin.TabularInline):
    model = Unit
    extra = 0


@admin.register(Building)
class BuildingAdmin(OfficeScopedAdminMixin, admin.ModelAdmin):
    list_display = ("name", "office")
    list_filter = (OfficeFilter,)
    search_fields = ("name",)
    inlines = [UnitInline]


@admin.register(Unit)
class UnitAdmin(OfficeScopedAdminMixin, admin.ModelAdmin):
    office_field = "building__office"
    list_display = ("name", "building")
    list_filter = (("building__office", admin.RelatedOnlyFieldListFilter),)
    search_fields = ("name", "building__name")
    list_select_related = ("building",)


class ComplaintEventInline(ReadOnlyMixin, ScopedChoicesMixin, admin.TabularInline):
    """The timeline, read-only: events are written by the workflow and never edited."""

    model = ComplaintEvent
    fields = ("at", "kind", "actor", "note")
    readonly_fields = fields
    extra = 0
    can_delete = False
    ordering = ("at", "pk")

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("actor")


class ComplaintAdminForm(forms.ModelForm):
    class Meta:
        model = Complaint
        fields = DESK_RECORD_FIELDS  # the record's facts (R-REC-3) that a correction may change

    clean_phone = IntakeForm.clean_phone  # the same check and message as at intake

    def clean_email(self):
        email = self.cleaned_data["email"]
        if email and not is_plain_email(email):  # a mailto link must gain no header
            raise forms.ValidationError(PLAIN_EMAIL_ONLY)
        return email

    def clean(self):
        cleaned = super().clean()
        building, unit = cleaned.get("building"), cleaned.get("unit")
        if building and building.office_id != self.instance.office_id:
            self.add_error("building", _("That building belongs to another office."))
        if unit and unit.building_id != getattr(building, "pk", None):
            self.add_error("unit", _("That unit is not in the chosen building."))
        category = cleaned.get("category")
        if (
            category
            and category != self.instance.category
            and not (
                Category.objects.offered_in([self.instance.office.branch_id])
                .filter(pk=category.pk)
                .exists()
            )
        ):
            self.add_error("category", _("That category is not used by this office's branch."))
        if cleaned.get("channel") == Channel.BRANCH and not self.instance.handler_id:
            # R-QD-1: only the quality department's intake, which names the handler, records it
            self.add_error("channel", _("Only the branch quality department records this channel."))
        return cleaned


@admin.register(Complaint)
class ComplaintAdmin(ScopedAdmin):
    form = ComplaintAdminForm
    list_display = (
        "number",
        "office",
        "received_at",
        "complainant_name",
        "classification",
        "severity",
        "status",
    )
    list_filter = (
        "status",
        "classification",
        "channel",
        "severity",
        OfficeFilter,
        ("category", admin.RelatedOnlyFieldListFilter),  # not another branch's own categories
        "is_major",
        "entered_late",
    )
    search_fields = ("number", "phone", "complainant_name", "description")
    list_select_related = ("office", "category")
    date_hierarchy = "received_at"
    inlines = [ComplaintEventInline]
    # What the workflow owns: the number, the status, every clock, and the facts the clocks
    # and the alerts were computed from (office, receipt, urgency, major, the agreed reply).
    readonly_fields = (
        "number",
        "status",
        "office",
        "received_at",
        "received_by",
        "entered_at",
        "entered_by",
        "is_complete",
        "is_major",
        "urgent_kind",
        "facility_kind",
        "answered_at_once",
        "entry_due",
        "entered_late",
        "dispatch_due",
        "dispatched_at",
        "reply_due",
        "reply_latest",
        "replied_at",
        "next_contact_due",
        "alert_due",
        "report_due",
        "resolved_at",
        "revisit_due",
        "revisited_at",
        "revisit_attempts",
        "closed_at",
        "closed_by",
        "handler",
        "linked_to",
        "website_scan",
    )
    fieldsets = (
        (None, {"fields": ("number", "status", "office")}),
        (
            _("Customer"),
            {
                "fields": (
                    "complainant_name",
                    ("phone", "email"),
                    ("building", "unit", "room"),
                    "address_note",
                    "temperament",
                )
            },
        ),
        (
            _("The complaint"),
            {
                "fields": (
                    "description",
                    "customer_request",
                    ("category", "classification", "severity"),
                    "responsible_party",
                    ("is_major", "urgent_kind", "facility_kind"),
                    "is_complete",
                )
            },
        ),
        (
            _("Receipt and entry"),
            {
                "fields": (
                    ("channel", "received_at", "received_by"),
                    ("entered_at", "entered_by", "entered_late"),
                    "handler",
                    "linked_to",
                    "website_scan",
                )
            },
        ),
        (
            _("Deadlines"),
            {
                "fields": (
                    "entry_due",
                    ("dispatch_due", "dispatched_at"),
                    ("answered_at_once", "reply_due", "reply_latest", "replied_at"),
                    "next_contact_due",
                    ("revisit_due", "revisited_at", "revisit_attempts"),
                    ("alert_due", "report_due"),
                    ("resolved_at", "closed_at", "closed_by"),
                )
            },
        ),
    )

    def has_add_permission(self, request):
        return False  # intake goes through the workflow (R-REC-1: record and duty-log line)

    def has_delete_permission(self, request, obj=None):
        return False  # the record and its timeline are kept

    def get_search_results(self, request, queryset, search_term):
        """A phone typed in any spacing (`138 0013 8000`) finds the stored `+8613800138000`."""
        results, may_have_duplicates = super().get_search_results(request, queryset, search_term)
        phone = normalise_phone(search_term) if search_term else None
        if phone:
            results |= queryset.filter(phone=phone)
        return results, may_have_duplicates

    def save_model(self, request, obj, form, change):
        """A correction of the record goes through the workflow (completeness, timeline)."""
        changed = {name: str(form.fields[name].label) for name in form.changed_data}
        stored = Complaint.objects.get(pk=obj.pk)  # the timeline shows before and after
        before = {name: shown_value(stored, name) for name in changed}
        correct_record(obj, by=request.user, changed=changed, before=before)


@admin.register(ComplaintEvent)
class ComplaintEventAdmin(ScopedAdmin):
    """The timeline is append-only: readable here, written only by the workflow."""

    office_field = "complaint__office"
    list_display = ("at", "complaint", "kind", "actor", short("note", _("note")))
    list_filter = ("kind", ("complaint__office", admin.RelatedOnlyFieldListFilter))
    search_fields = ("complaint__number", "note")
    list_select_related = ("complaint", "actor")
    date_hierarchy = "at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(DutyLogEntry)
class DutyLogEntryAdmin(ScopedAdmin):
    list_display = (
        "occurred_at",
        "office",
        "kind",
        "customer_name",
        short("matter", _("matter")),
        "recorder",
        "done",
    )
    list_filter = ("kind", "done", OfficeFilter)
    search_fields = ("customer_name", "contact", "address", "matter", "complaint__number")
    list_select_related = ("office", "recorder")
    autocomplete_fields = ("complaint",)
    date_hierarchy = "occurred_at"


@admin.register(ShiftHandover)
class ShiftHandoverAdmin(ScopedAdmin):
    list_display = ("handed_over_at", "office", "outgoing", "incoming", "incoming_signed_at")
    list_filter = (OfficeFilter, ("incoming_signed_at", admin.EmptyFieldListFilter))
    search_fields = ("items", "outgoing__full_name", "incoming__full_name")
    list_select_related = ("office", "outgoing", "incoming")
    date_hierarchy = "handed_over_at"


@admin.register(WebsiteScan)
class WebsiteScanAdmin(ScopedAdmin):
    list_display = ("scanned_at", "office", "scanned_by", "site", short("findings", _("findings")))
    list_filter = (OfficeFilter, ("findings", admin.EmptyFieldListFilter))
    search_fields = ("site", "findings", "scanned_by__full_name")
    list_select_related = ("office", "scanned_by")
    date_hierarchy = "scanned_at"
