from django.contrib import admin

from accounts.admin_scoping import OfficeScopedAdminMixin

from .models import Building, Unit


class UnitInline(admin.TabularInline):
    model = Unit
    extra = 0


@admin.register(Building)
class BuildingAdmin(OfficeScopedAdminMixin, admin.ModelAdmin):
    list_display = ("name", "office")
    list_filter = ("office",)
    search_fields = ("name",)
    inlines = [UnitInline]


@admin.register(Unit)
class UnitAdmin(OfficeScopedAdminMixin, admin.ModelAdmin):
    office_field = "building__office"
    list_display = ("name", "building")
    list_filter = ("building__office",)
    search_fields = ("name", "building__name")
    list_select_related = ("building",)
