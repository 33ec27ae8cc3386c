"""The admin's share of scoping: every admin of office-owned rows uses these mixins."""

from django.db.models import QuerySet

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


class ScopedChoicesMixin:
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
