"""Overrides of the working calendar, edited in the admin (announcements `holidays` lacks)."""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from accounts.fields import actor, for_every_branch_or_one, one_per_branch


class CalendarOverrideQuerySet(models.QuerySet):
    def for_branch(self, branch_id: int | None):
        """Overrides for every branch, plus the given branch's own."""
        if branch_id is None:
            return self.filter(branch__isnull=True)
        return self.filter(Q(branch__isnull=True) | Q(branch_id=branch_id))


class CalendarOverride(models.Model):
    class Kind(models.TextChoices):
        DAY_OFF = "day_off", _("Day off")
        WORKING_DAY = "working_day", _("Working day")

    day = models.DateField(_("date"))
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    branch = for_every_branch_or_one(
        "calendar_overrides", _("Leave empty to apply to every branch.")
    )
    note = models.CharField(_("note"), max_length=120, blank=True)

    objects = CalendarOverrideQuerySet.as_manager()

    class Meta:
        verbose_name = _("calendar override")
        verbose_name_plural = _("calendar overrides")
        ordering = ["-day"]
        constraints = one_per_branch(
            "day",
            "branch",
            name="one_override_per_day_and_branch",
            every_branch="one_all_branch_override_per_day",
        )

    def __str__(self):
        return f"{self.day} {self.get_kind_display()}"


class CalendarYear(models.Model):
    """The quality department's confirmation that a year's schedule (holidays and make-up
    working days, entered as overrides) is the official one. Until a year is confirmed for a
    branch (its own row, or one for every branch), deadlines in it are shown as provisional."""

    year = models.PositiveSmallIntegerField(_("year"))
    branch = for_every_branch_or_one(
        "calendar_years", _("Leave empty to confirm it for every branch.")
    )
    confirmed_at = models.DateTimeField(_("confirmed at"))
    confirmed_by = actor(_("confirmed by"))

    class Meta:
        verbose_name = _("confirmed calendar year")
        verbose_name_plural = _("confirmed calendar years")
        ordering = ["-year"]
        constraints = one_per_branch(
            "year",
            "branch",
            name="one_confirmation_per_year",
            every_branch="one_all_branch_confirmation_per_year",
        )

    def __str__(self):
        return str(self.year)


def confirmed_years(branch_id: int | None) -> set[int]:
    """The years whose schedule the quality department confirmed for the branch."""
    rows = CalendarYear.objects.filter(Q(branch__isnull=True) | Q(branch_id=branch_id))
    return set(rows.values_list("year", flat=True))
