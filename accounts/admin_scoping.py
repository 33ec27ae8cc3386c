"""The admin's share of scoping: every admin of office-owned rows uses these mixins."""

from django.contrib import messages
from django.contrib.admin import helpers
from django.contrib.admin.options import IncorrectLookupParameters
from django.core.exceptions import ValidationError
from django.utils.translation import gettext

from .models import Branch, Office
from .scoping import scope, visible_branches, visible_offices


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
    """Foreign-key choices limited to what the user may see (offices, branches, their rows)."""

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        model = db_field.related_model
        if issubclass(model, Office):
            kwargs["queryset"] = visible_offices(request.user)
        elif issubclass(model, Branch):
            kwargs["queryset"] = visible_branches(request.user)
        elif hasattr(model, "office"):
            kwargs["queryset"] = scope(model.objects.all(), request.user)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


class OfficeScopedAdminMixin(ScopedChoicesMixin):
    """Rows limited to the offices the user may see, through `office_field`."""

    office_field = "office"

    def get_queryset(self, request):
        return scope(super().get_queryset(request), request.user, office_field=self.office_field)
