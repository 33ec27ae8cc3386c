"""The admin's share of scoping: every admin of office-owned rows uses these mixins."""

from .models import Branch, Office
from .scoping import scope, visible_branches, visible_offices


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


class OfficeScopedAdminMixin(ScopedChoicesMixin):
    """Rows limited to the offices the user may see, through `office_field`."""

    office_field = "office"

    def get_queryset(self, request):
        return scope(super().get_queryset(request), request.user, office_field=self.office_field)
