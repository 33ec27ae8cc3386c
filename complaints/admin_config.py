"""The configuration's admins: categories, the categories a branch hides, calendar overrides.

Configuration is scoped by branch (docs/security.md, configuration by branch). A row for
every branch (no branch) is read by everyone who works in the admin and edited by a superuser
only: it moves every branch's reply limits or names what every desk offers. A branch's quality
department adds, changes and deletes its own branch's rows; another branch's rows it does not
see."""

from django.contrib import admin
from django.db.models import Q
from django.utils import timezone

from accounts.admin_scoping import ScopedChoicesMixin
from accounts.models import Branch
from accounts.roles import Role
from accounts.scoping import visible_branches
from accounts.staffing import current_memberships

from .models import CalendarOverride, CalendarYear, Category, HiddenCategory


def configured_branches(user):
    """The branches whose configuration `user` edits: where they are its quality department
    (every branch for a superuser)."""
    if user.is_active and user.is_superuser:
        return Branch.objects.all()
    return Branch.objects.filter(
        pk__in=current_memberships()
        .filter(user=user, role=Role.QUALITY_DEPARTMENT, branch__isnull=False)
        .values("branch")
    )


class BranchConfigurationAdmin(ScopedChoicesMixin, admin.ModelAdmin):
    """Rows of one branch, or of every branch when `branch_field` is empty (if allowed)."""

    every_branch_rows = True  # False: every row names a branch

    def get_queryset(self, request):
        rows = super().get_queryset(request)
        if request.user.is_superuser:
            return rows
        own = Q(branch__in=visible_branches(request.user))
        return rows.filter(own | Q(branch__isnull=True) if self.every_branch_rows else own)

    def _may_edit(self, request, obj) -> bool:
        if obj is None or request.user.is_superuser:
            return True
        if obj.branch_id is None:
            return False  # every branch's row: a superuser's
        return configured_branches(request.user).filter(pk=obj.branch_id).exists()

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and self._may_edit(request, obj)

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and self._may_edit(request, obj)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "branch":
            kwargs["queryset"] = configured_branches(request.user)
            field = super(ScopedChoicesMixin, self).formfield_for_foreignkey(
                db_field, request, **kwargs
            )
            if not request.user.is_superuser:  # every branch's rows are a superuser's
                field.required = True
                field.empty_label = None
            return field
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


@admin.register(Category)
class CategoryAdmin(BranchConfigurationAdmin):
    list_display = ("name", "branch", "position", "active")
    list_filter = ("active", ("branch", admin.RelatedOnlyFieldListFilter))
    search_fields = ("name",)
    list_select_related = ("branch",)
    # No list_editable: a bulk edit of the list is checked per model, not per row, and would
    # let a branch edit the every-branch categories shown beside its own.


@admin.register(HiddenCategory)
class HiddenCategoryAdmin(BranchConfigurationAdmin):
    """A branch hides an every-branch category its offices do not use."""

    every_branch_rows = False
    list_display = ("category", "branch")
    list_filter = (("branch", admin.RelatedOnlyFieldListFilter),)
    list_select_related = ("branch", "category")

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "category":
            kwargs["queryset"] = Category.objects.filter(branch__isnull=True)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


@admin.register(CalendarOverride)
class CalendarOverrideAdmin(BranchConfigurationAdmin):
    """Working-calendar overrides: the ones for every branch (a superuser's), and those of the
    user's branches (its quality department's)."""

    list_display = ("day", "kind", "branch", "note")
    list_filter = ("kind", ("branch", admin.RelatedOnlyFieldListFilter))
    search_fields = ("note",)
    list_select_related = ("branch",)
    date_hierarchy = "day"


@admin.register(CalendarYear)
class CalendarYearAdmin(BranchConfigurationAdmin):
    """The quality department confirms a year's schedule once its overrides are entered; until
    then deadlines in that year are shown as provisional. Saving recomputes the reply limits
    of open complaints (complaints.calendar_changes). A year for every branch is a
    superuser's, like every other every-branch row."""

    list_display = ("year", "branch", "confirmed_at", "confirmed_by")
    fields = ("year", "branch")
    list_select_related = ("branch", "confirmed_by")

    def save_model(self, request, obj, form, change):
        obj.confirmed_at, obj.confirmed_by = timezone.now(), request.user
        super().save_model(request, obj, form, change)
