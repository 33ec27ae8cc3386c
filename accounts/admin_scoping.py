"""The admin's share of scoping: every admin of office-owned rows uses these mixins."""

from django.contrib import messages
from django.contrib.admin import helpers
from django.contrib.admin.options import IncorrectLookupParameters
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.utils.translation import gettext

from .models import Branch, Office, User
from .scoping import scope, visible_branches, visible_offices, visible_staff


def scoped_choices(model, user) -> QuerySet | None:
    """The rows of `model` that `user` may pick, or None for models no office owns (shared
    configuration such as categories and the role groups)."""
    if issubclass(model, Office):
        return visible_offices(user)
    if issubclass(model, Branch):
        return visible_branches(user)
    if issubclass(model, User):
        return visible_staff(user)
    rows = model._default_manager.all()
    if hasattr(rows, "visible_to"):  # OfficeScopedQuerySet: complaints, their records, units
        return rows.visible_to(user)
    if hasattr(model, "office"):
        return scope(rows, user)
    return None


class TamperedRequestMixin:
    """What an edited link or a forged post sends the admin is answered like Django's own
    wrong input, never a 500 (docs/security.md, hostile input):

    - a date-hierarchy year of 9999 makes the change list compute the year or day after it,
      out of range: the list is reset (`?e=1`), like any wrong lookup;
    - an action's selected rows that are no ids (`_selected_action=²`) made the filter fail:
      a message, and nothing is done."""

    def get_changelist_instance(self, request):
        try:
            return super().get_changelist_instance(request)
        except (ValueError, OverflowError) as error:
            raise IncorrectLookupParameters(error) from error

    def response_action(self, request, queryset):
        pk = self.model._meta.pk
        try:
            for value in request.POST.getlist(helpers.ACTION_CHECKBOX_NAME):
                pk.get_prep_value(pk.to_python(value))
        except (ValidationError, ValueError, TypeError, OverflowError):
            self.message_user(
                request,
                gettext("The selected rows could not be read; select them again."),
                messages.WARNING,
            )
            return None
        return super().response_action(request, queryset)


class ScopedChoicesMixin(TamperedRequestMixin):
    """Foreign-key and many-to-many choices limited to what the user may see: offices,
    branches, staff and every office-owned row (issue #7: a select box is a list page too)."""

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        choices = scoped_choices(db_field.related_model, request.user)
        if choices is not None and "queryset" not in kwargs:
            kwargs["queryset"] = choices
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        choices = scoped_choices(db_field.related_model, request.user)
        if choices is not None and "queryset" not in kwargs:
            kwargs["queryset"] = choices
        return super().formfield_for_manytomany(db_field, request, **kwargs)


class OfficeScopedAdminMixin(ScopedChoicesMixin):
    """Rows limited to the offices the user may see, through `office_field`."""

    office_field = "office"

    def get_queryset(self, request):
        return scope(super().get_queryset(request), request.user, office_field=self.office_field)


class ReadOnlyMixin:
    """Seen, never written here: no add, change or delete."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
