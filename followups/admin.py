"""The follow-up records in the admin, read-only: the workflow writes them. The one
thing done here is the office manager's closure approval (R-CLO-3), through admin actions that
call the workflow for each complaint and report, per complaint, what happened."""

from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.db.models import OuterRef, Subquery
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from accounts.admin_scoping import OfficeScopedAdminMixin, ReadOnlyMixin, ScopedChoicesMixin
from complaints.models import Status

from . import workflow
from .forms import RejectClosureForm
from .models import (
    ClosureRequest,
    Contact,
    CorrectiveAction,
    Dispatch,
    Escalation,
    Notification,
    Revisit,
    ShiftReview,
    ShiftReviewItem,
)

OfficeFilter = ("complaint__office", admin.RelatedOnlyFieldListFilter)


def _reasons(reasons) -> str:
    return format_html("<ul>{}</ul>", format_html_join("", "<li>{}</li>", ((r,) for r in reasons)))


class ReadOnlyAdmin(ReadOnlyMixin, OfficeScopedAdminMixin, admin.ModelAdmin):
    office_field = "complaint__office"
    list_select_related = ("complaint",)
    search_fields = ("complaint__number",)


class ReadOnlyInline(ReadOnlyMixin, ScopedChoicesMixin, admin.TabularInline):
    extra = 0


@admin.register(Contact)
class ContactAdmin(ReadOnlyAdmin):
    list_display = ("complaint", "at", "kind", "method", "by", "signed")
    list_filter = ("kind", "method", OfficeFilter)
    list_select_related = ("complaint", "by")
    search_fields = ("complaint__number", "summary")
    date_hierarchy = "at"


@admin.register(Dispatch)
class DispatchAdmin(ReadOnlyAdmin):
    list_display = ("complaint", "dispatched_at", "department", "assignee", "due_at", "done_at")
    list_filter = ("department", OfficeFilter)
    search_fields = ("complaint__number", "assignee", "instructions")
    date_hierarchy = "dispatched_at"


@admin.register(CorrectiveAction)
class CorrectiveActionAdmin(ReadOnlyAdmin):
    list_display = ("complaint", "at", "cause", "by")
    list_filter = (OfficeFilter,)
    list_select_related = ("complaint", "by")
    search_fields = ("complaint__number", "cause", "correction", "prevention")
    date_hierarchy = "at"


@admin.register(Revisit)
class RevisitAdmin(ReadOnlyAdmin):
    list_display = ("complaint", "at", "method", "outcome", "courteous", "by")
    list_filter = ("outcome", "method", "courteous", OfficeFilter)
    list_select_related = ("complaint", "by")
    search_fields = ("complaint__number", "remarks")
    date_hierarchy = "at"


@admin.register(Escalation)
class EscalationAdmin(ReadOnlyAdmin):
    list_display = ("complaint", "level", "at", "reported_at", "reported_by")
    list_filter = ("level", OfficeFilter)
    list_select_related = ("complaint", "reported_by")
    date_hierarchy = "at"


class ShiftReviewItemInline(ReadOnlyInline):
    model = ShiftReviewItem
    fields = ("complaint", "reason", "reviewed_at", "reviewed_by", "note")
    readonly_fields = fields

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("complaint", "reviewed_by")


@admin.register(ShiftReview)
class ShiftReviewAdmin(ReadOnlyAdmin):
    office_field = "office"
    list_display = ("office", "shift", "starts_at", "due_at", "flagged_at")
    list_filter = (("office", admin.RelatedOnlyFieldListFilter),)
    list_select_related = ("office", "shift")
    search_fields = ()
    date_hierarchy = "starts_at"
    inlines = [ShiftReviewItemInline]


@admin.register(Notification)
class NotificationAdmin(ReadOnlyMixin, ScopedChoicesMixin, admin.ModelAdmin):
    list_display = (
        "title",
        "recipient",
        "kind",
        "complaint",
        "created_at",
        "read_at",
        "resolved_reason",
        "emailed_at",
        "not_sent",
    )
    list_filter = ("kind", "resolved_reason")
    list_select_related = ("recipient", "complaint")
    search_fields = ("title", "complaint__number", "recipient__username")
    date_hierarchy = "created_at"

    def get_queryset(self, request):
        # A notice is its addressee's: a colleague of the same office does not read the
        # supervisor's digest, nor the quality department the GM's day-15 report.
        queryset = super().get_queryset(request)
        if request.user.is_superuser:
            return queryset
        return queryset.addressed_to(request.user)


class CorrectiveActionInline(ReadOnlyInline):
    model = CorrectiveAction
    fields = ("at", "by", "cause", "correction", "prevention")
    readonly_fields = fields


class ContactInline(ReadOnlyInline):
    model = Contact
    fields = ("at", "by", "kind", "method", "summary")
    readonly_fields = fields


class RevisitInline(ReadOnlyInline):
    model = Revisit
    fields = ("at", "by", "method", "outcome", "courteous", "remarks")
    readonly_fields = fields


@admin.register(ClosureRequest)
class ClosureRequestAdmin(OfficeScopedAdminMixin, admin.ModelAdmin):
    """R-CLO-3: the office manager's queue of revisited complaints; approve or reject."""

    list_display = (
        "number",
        "office",
        "complainant_name",
        "classification",
        "revisited_at",
        "last_outcome",
    )
    list_filter = (("office", admin.RelatedOnlyFieldListFilter), "classification")
    list_select_related = ("office", "category")
    search_fields = ("number", "complainant_name", "phone")
    ordering = ("revisited_at", "pk")
    actions = ["approve", "reject"]
    inlines = [CorrectiveActionInline, ContactInline, RevisitInline]
    change_form_template = "admin/followups/closurerequest/change_form.html"
    fieldsets = (
        (_("Closure check (R-CLO-1..3)"), {"fields": ("closure_check", "last_revisit")}),
        (
            _("Record"),
            {
                "fields": (
                    ("number", "status", "office"),
                    ("received_at", "received_by", "channel"),
                    ("complainant_name", "phone", "email"),
                    "full_address",
                    ("category", "classification", "severity", "is_major"),
                    "responsible_party",
                    "description",
                    "customer_request",
                    "is_complete",
                )
            },
        ),
        (
            _("Handling and revisit"),
            {"fields": (("resolved_at", "revisit_due", "revisited_at"), "revisit_attempts")},
        ),
    )
    readonly_fields = (
        "closure_check",
        "last_revisit",
        "number",
        "status",
        "office",
        "received_at",
        "received_by",
        "channel",
        "complainant_name",
        "phone",
        "email",
        "full_address",
        "category",
        "classification",
        "severity",
        "is_major",
        "responsible_party",
        "description",
        "customer_request",
        "is_complete",
        "resolved_at",
        "revisit_due",
        "revisited_at",
        "revisit_attempts",
    )

    def get_queryset(self, request):
        last = Revisit.objects.filter(complaint=OuterRef("pk")).order_by("-at", "-pk")
        return (
            super()
            .get_queryset(request)
            .filter(status=Status.REVISITED)
            .annotate(last_outcome=Subquery(last.values("outcome")[:1]))
        )

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        # "change" is what runs the actions; the complaint itself is never edited here.
        return obj is None and super().has_change_permission(request)

    @admin.display(description=_("address"))
    def full_address(self, obj):
        return obj.address or "—"

    @admin.display(description=_("last revisit outcome"), ordering="last_outcome")
    def last_outcome(self, obj):
        return Revisit.Outcome(obj.last_outcome).label if obj.last_outcome else "—"

    @admin.display(description=_("what is missing"))
    def closure_check(self, obj):
        missing = workflow.closure_missing(obj)
        if not missing:
            return gettext("Nothing: record, handling and revisit meet the procedure.")
        return _reasons(missing)

    @admin.display(description=_("last revisit"))
    def last_revisit(self, obj):
        revisit = obj.revisits.select_related("by").order_by("-at", "-pk").first()
        if revisit is None:
            return "—"
        return format_html(
            "<strong>{}</strong> · {} · {} · {}<br>{}",
            revisit.get_outcome_display(),
            revisit.get_method_display(),
            revisit.by or gettext("the resident, online"),
            timezone.localtime(revisit.at).strftime("%Y-%m-%d %H:%M"),
            revisit.remarks or "",
        )

    def change_view(self, request, object_id, form_url="", extra_context=None):
        extra_context = {
            **(extra_context or {}),
            "may_decide": self.has_change_permission(request),
            "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
        }
        return super().change_view(request, object_id, form_url, extra_context)

    @admin.action(description=_("Approve closure"), permissions=["change"])
    def approve(self, request, queryset):
        """Shows first what will close and what will be refused and why (R-CLO-3); closes
        only when confirmed."""
        complaints = list(queryset.order_by("number"))
        if "apply" in request.POST:
            for complaint in complaints:
                try:
                    workflow.approve_closure(complaint, by=request.user)
                except workflow.StepRefused as refused:
                    self._refused(request, complaint, refused.reasons)
                else:
                    self.message_user(
                        request,
                        gettext("%(number)s: closed.") % {"number": complaint.number},
                        messages.SUCCESS,
                    )
            return None
        checked = [(complaint, workflow.closure_missing(complaint)) for complaint in complaints]
        context = {
            **self.admin_site.each_context(request),
            "title": gettext("Approve closure"),
            "opts": self.model._meta,
            "queryset": complaints,
            "will_close": [complaint for complaint, missing in checked if not missing],
            "refused": [(complaint, missing) for complaint, missing in checked if missing],
            "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
            "media": self.media,
        }
        return TemplateResponse(
            request, "admin/followups/closurerequest/approve_confirmation.html", context
        )

    @admin.action(description=_("Reject closure"), permissions=["change"])
    def reject(self, request, queryset):
        """Asks for the reason on an intermediate page, then sends each back to handling."""
        form = RejectClosureForm(request.POST if "apply" in request.POST else None)
        form.fields["reason"].widget.attrs.update(rows=3, **{"class": "vLargeTextField"})
        if form.is_bound and form.is_valid():
            for complaint in queryset.order_by("number"):
                try:
                    workflow.reject_closure(
                        complaint, by=request.user, reason=form.cleaned_data["reason"]
                    )
                except workflow.StepRefused as refused:
                    self._refused(request, complaint, refused.reasons)
                else:
                    self.message_user(
                        request,
                        gettext("%(number)s: closure rejected, back in handling.")
                        % {"number": complaint.number},
                        messages.SUCCESS,
                    )
            return None
        context = {
            **self.admin_site.each_context(request),
            "title": gettext("Reject closure"),
            "opts": self.model._meta,
            "queryset": queryset.order_by("number"),
            "form": form,
            "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
            "media": self.media,
        }
        return TemplateResponse(
            request, "admin/followups/closurerequest/reject_confirmation.html", context
        )

    def _refused(self, request, complaint, reasons):
        self.message_user(
            request,
            format_html(
                "{}{}",
                gettext("%(number)s: refused.") % {"number": complaint.number},
                _reasons(reasons),
            ),
            messages.ERROR,
        )
