"""The estate an office manages: buildings (楼栋) and their units (单元)."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from accounts.fields import belongs_to
from accounts.models import Office
from accounts.scoping import OfficeScopedQuerySet


class BuildingQuerySet(OfficeScopedQuerySet):
    pass


class UnitQuerySet(OfficeScopedQuerySet):
    office_field = "building__office"

    def visible_to(self, user):
        return super().visible_to(user).select_related("building")  # its name is the unit's


class Building(models.Model):
    """A building (楼栋) of the estate an office manages; complaints name one (R-REC-3)."""

    office = belongs_to(Office, "buildings", _("office"))
    name = models.CharField(_("name"), max_length=40)

    objects = BuildingQuerySet.as_manager()

    class Meta:
        verbose_name = _("building")
        verbose_name_plural = _("buildings")
        ordering = ["office", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["office", "name"], name="building_name_unique_in_office"
            )
        ]

    def __str__(self):
        return self.name


class Unit(models.Model):
    """An entrance (单元) of a building; the room number is typed at intake."""

    building = belongs_to(Building, "units", _("building"))
    name = models.CharField(_("name"), max_length=40)

    objects = UnitQuerySet.as_manager()

    class Meta:
        verbose_name = _("unit")
        verbose_name_plural = _("units")
        ordering = ["building", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["building", "name"], name="unit_name_unique_in_building"
            )
        ]

    def __str__(self):
        return f"{self.building.name}{self.name}"
