"""The admin's share of scoping: every admin of office-owned rows uses these mixins."""

from django.contrib.admin.options import IncorrectLookupParameters

from .models import Branch, Office
from .scoping import scope, visible_branches, visible_offices


class DateOverflowMixin:
    """A date-hierarchy link edited to year 9999 makes Django's change list compute the year
    or day after it, out of range: a 500. It is answered like any other wrong lookup, with
    the list reset (`?e=1`) (docs/security.md, hostile input)."""

    def get_changelist_instance(self, request):
        try:
            return super().get_changelist_instance(request)
        except (ValueError, OverflowError) as error:
            raise IncorrectLookupParameters(error) from error


class ScopedChoicesMixin:
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


class OfficeScopedAdminMixin(DateOverflowMixin, ScopedChoicesMixin):
    """Rows limited to the offices the user may see, through `office_field`."""

    office_field = "office"

    def get_queryset(self, request):
        return scope(super().get_queryset(request), request.user, office_field=self.office_field)
