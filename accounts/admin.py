from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.contrib.auth.models import Group
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .admin_scoping import OfficeScopedAdminMixin, ScopedChoicesMixin, TamperedRequestMixin
from .models import Branch, Membership, Office, Shift, User
from .roles import Role
from .scoping import visible_branches, visible_offices


def memberships_in_scope(memberships, user):
    """Memberships of the offices the user may see, and of those offices' branches."""
    if user.is_superuser:
        return memberships
    offices = visible_offices(user)
    return memberships.filter(Q(office__in=offices) | Q(branch__in=offices.values("branch")))


class MembershipInline(ScopedChoicesMixin, admin.TabularInline):
    model = Membership
    fk_name = "user"
    extra = 0

    def get_queryset(self, request):
        # A colleague may also work for an office outside the user's scope: not named here.
        return memberships_in_scope(super().get_queryset(request), request.user)


@admin.register(User)
class UserAdmin(TamperedRequestMixin, BaseUserAdmin):
    fieldsets = (
        *BaseUserAdmin.fieldsets,
        (_("Contact"), {"fields": ("full_name", "phone")}),
    )
    list_display = ("username", "full_name", "phone", "is_active", "is_staff", "last_login")
    search_fields = ("username", "full_name", "phone", "email")
    inlines = [MembershipInline]
    readonly_fields = ("role_groups",)

    def get_fieldsets(self, request, obj=None):
        """The auth groups follow the memberships (accounts.signals): shown by the role's name,
        never the group's code, and not edited here."""
        return [
            (
                title,
                {
                    **options,
                    "fields": tuple(
                        "role_groups" if name == "groups" else name for name in options["fields"]
                    ),
                },
            )
            for title, options in super().get_fieldsets(request, obj)
        ]

    @admin.display(description=_("groups"))
    def role_groups(self, obj):
        labels = dict(Role.choices)
        names = [str(labels.get(group.name, group.name)) for group in obj.groups.all()]
        return ", ".join(names) or "—"

    def get_queryset(self, request):
        users = super().get_queryset(request)
        if request.user.is_superuser:
            return users
        offices = visible_offices(request.user)
        return users.filter(
            Q(memberships__office__in=offices) | Q(memberships__branch__in=offices.values("branch"))
        ).distinct()


@admin.register(Branch)
class BranchAdmin(TamperedRequestMixin, admin.ModelAdmin):
    list_display = ("code", "name")
    search_fields = ("code", "name")

    def get_queryset(self, request):
        return visible_branches(request.user)


class ShiftInline(admin.TabularInline):
    model = Shift
    extra = 0


@admin.register(Office)
class OfficeAdmin(OfficeScopedAdminMixin, admin.ModelAdmin):
    office_field = "pk"
    list_display = ("code", "name", "branch", "time_zone")
    list_filter = (("branch", admin.RelatedOnlyFieldListFilter),)  # only branches in scope
    search_fields = ("code", "name")
    inlines = [ShiftInline]


@admin.register(Membership)
class MembershipAdmin(ScopedChoicesMixin, admin.ModelAdmin):
    list_display = ("user", "role", "office", "branch")
    list_filter = (  # only the offices and branches in scope
        "role",
        ("office__branch", admin.RelatedOnlyFieldListFilter),
        ("office", admin.RelatedOnlyFieldListFilter),
    )
    search_fields = ("user__username", "user__full_name")
    list_select_related = ("user", "office", "branch")

    def get_queryset(self, request):
        return memberships_in_scope(super().get_queryset(request), request.user)


admin.site.site_header = _("Complaint desk administration")
admin.site.site_title = _("Complaint desk")
admin.site.index_title = _("Administration")


def _guard_third_party_admins() -> None:
    """Django's groups and django-axes' login-attempt lists are registered by their own apps:
    they get the desk's guard against edited links and forged posts (TamperedRequestMixin)."""
    for model in (Group, AccessAttempt, AccessFailureLog, AccessLog):
        if admin.site.is_registered(model):
            model_admin = type(admin.site.get_model_admin(model))
            admin.site.unregister(model)
            guarded = type(model_admin.__name__, (TamperedRequestMixin, model_admin), {})
            admin.site.register(model, guarded)


_guard_third_party_admins()
