"""Integration tokens in the admin: superusers only. The secret is shown once, in the message
after the token is issued; afterwards only its first characters are known."""

from django.contrib import admin, messages
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from accounts.admin_scoping import TamperedRequestMixin

from .models import IntegrationToken


@admin.register(IntegrationToken)
class IntegrationTokenAdmin(TamperedRequestMixin, admin.ModelAdmin):
    list_display = ["name", "prefix", "user", "expires_at", "revoked_at", "last_used_at"]
    list_select_related = ["user"]
    search_fields = ["name", "prefix"]
    fields = ["name", "user", "expires_at"]
    readonly_fields = ["prefix", "created_at", "created_by", "revoked_at", "last_used_at"]
    raw_id_fields = ["user"]
    actions = ["revoke"]

    def get_fields(self, request, obj=None):
        return self.fields if obj is None else [*self.fields, *self.readonly_fields]

    def get_readonly_fields(self, request, obj=None):
        return [] if obj is None else ["name", "user", *self.readonly_fields]

    def has_module_permission(self, request):
        return request.user.is_active and request.user.is_superuser

    def has_view_permission(self, request, obj=None):
        return self.has_module_permission(request)

    has_add_permission = has_view_permission
    has_change_permission = has_view_permission

    def has_delete_permission(self, request, obj=None):
        return False  # revoked, never deleted: the timeline may name it

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        # Superusers only reach these pages; anyone else is offered no user at all.
        if not request.user.is_superuser:
            kwargs["queryset"] = db_field.related_model._default_manager.none()
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def save_model(self, request, obj, form, change):
        if change:
            return super().save_model(request, obj, form, change)
        obj.created_by = request.user
        secret = obj.new_secret()
        super().save_model(request, obj, form, change)
        messages.warning(
            request,
            gettext(
                "The token's secret, shown this once only — copy it now into the "
                "integration's settings: %(secret)s"
            )
            % {"secret": secret},
        )

    @admin.action(description=_("Revoke the selected tokens"))
    def revoke(self, request, queryset):
        now = timezone.now()
        count = queryset.filter(revoked_at__isnull=True).update(revoked_at=now)
        messages.success(request, gettext("%(count)d tokens revoked.") % {"count": count})
