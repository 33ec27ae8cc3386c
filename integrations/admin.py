"""Integration tokens and their webhooks in the admin: superusers only. A token's secret is
shown once, in the message after the token is issued; afterwards only its first characters
are known. A webhook's signing secret is kept (it signs every delivery) but shown likewise
once, when the subscription is made or its secret replaced. Deliveries are a read-only log
with a "redeliver" action."""

from django.contrib import admin, messages
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from accounts.admin_scoping import TamperedRequestMixin

from . import webhooks
from .models import IntegrationToken, WebhookDelivery, WebhookSubscription, new_webhook_secret


class SuperusersOnly:
    def has_module_permission(self, request):
        return request.user.is_active and request.user.is_superuser

    def has_view_permission(self, request, obj=None):
        return self.has_module_permission(request)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        # Superusers only reach these pages; anyone else is offered no choice at all.
        if not request.user.is_superuser:
            kwargs["queryset"] = db_field.related_model._default_manager.none()
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


@admin.register(IntegrationToken)
class IntegrationTokenAdmin(SuperusersOnly, TamperedRequestMixin, admin.ModelAdmin):
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

    def has_add_permission(self, request):
        return self.has_module_permission(request)

    def has_change_permission(self, request, obj=None):
        return self.has_module_permission(request)

    def has_delete_permission(self, request, obj=None):
        return False  # revoked, never deleted: the timeline may name it

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


def _show_secret(request, subscription):
    messages.warning(
        request,
        gettext(
            "The webhook's signing secret for %(url)s, shown this once only — copy it now "
            "into the receiver's settings: %(secret)s"
        )
        % {"url": subscription.url, "secret": subscription.secret},
    )


@admin.register(WebhookSubscription)
class WebhookSubscriptionAdmin(SuperusersOnly, TamperedRequestMixin, admin.ModelAdmin):
    list_display = ["url", "token", "on_recorded", "on_escalated", "on_revisited", "on_closed",
                    "active", "created_at"]  # fmt: skip
    list_filter = ["active"]
    list_select_related = ["token"]
    search_fields = ["url", "token__name"]
    fields = ["token", "url", "on_recorded", "on_escalated", "on_revisited", "on_closed", "active"]
    raw_id_fields = ["token"]
    actions = ["replace_secret"]
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}

    def get_readonly_fields(self, request, obj=None):
        # Where the secret goes is part of the subscription: a new URL is a new subscription.
        return [] if obj is None else ["token", "url", "created_at", "created_by"]

    def get_fields(self, request, obj=None):
        return self.fields if obj is None else [*self.fields, "created_at", "created_by"]

    def has_add_permission(self, request):
        return self.has_module_permission(request)

    def has_change_permission(self, request, obj=None):
        return self.has_module_permission(request)

    def has_delete_permission(self, request, obj=None):
        return False  # deactivated, never deleted: its deliveries stay in the log

    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)
        if not change:
            _show_secret(request, obj)

    @admin.action(description=_("Replace the signing secret of the selected subscriptions"))
    def replace_secret(self, request, queryset):
        for subscription in queryset:
            subscription.secret = new_webhook_secret()
            subscription.save(update_fields=["secret"])
            _show_secret(request, subscription)


@admin.register(WebhookDelivery)
class WebhookDeliveryAdmin(SuperusersOnly, TamperedRequestMixin, admin.ModelAdmin):
    list_display = ["complaint", "event", "integration", "state", "attempts", "last_status_code",
                    "last_attempt_at", "next_attempt_at"]  # fmt: skip
    list_filter = ["event", ("subscription", admin.RelatedOnlyFieldListFilter)]
    list_select_related = ["complaint", "subscription__token"]
    search_fields = ["delivery_id", "complaint__number", "subscription__url"]
    readonly_fields = ["delivery_id", "event", "occurred_at", "complaint", "subscription",
                       "state", "payload", "created_at", "attempts", "last_attempt_at",
                       "last_status_code", "last_error", "next_attempt_at", "delivered_at",
                       "given_up_at"]  # fmt: skip
    fields = readonly_fields
    actions = ["redeliver"]

    def has_add_permission(self, request):
        return False  # written by the events only

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False  # the log of what each integration was told

    @admin.display(description=_("integration"), ordering="subscription__token__name")
    def integration(self, obj):
        return obj.subscription.token.name

    @admin.display(description=_("state"))
    def state(self, obj):
        return {
            "delivered": gettext("delivered"),
            "given up": gettext("given up"),
            "pending": gettext("pending"),
        }[obj.state]

    @admin.action(description=_("Redeliver the selected deliveries"), permissions=["view"])
    def redeliver(self, request, queryset):
        count = webhooks.redeliver(queryset)
        messages.success(request, gettext("%(count)d deliveries queued again.") % {"count": count})
