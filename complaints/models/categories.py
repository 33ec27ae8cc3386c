"""Complaint categories (R-CAT-1), configured per branch.

A category with no branch is used by every branch; only a superuser edits those. A branch's
quality department adds categories of its own branch (used by that branch's offices only) and
hides an every-branch category its offices do not use (`HiddenCategory`); intake offers an
office the active categories of its branch (docs/security.md, configuration by branch)."""

from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.utils.translation import gettext_lazy as _

from accounts.fields import belongs_to, for_every_branch_or_one, one_per_branch
from accounts.models import Branch
from accounts.scoping import visible_branches


class CategoryQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Every branch's categories and those of the branches the user sees (the admin's
        choices use it: another branch's own categories are its configuration)."""
        if user.is_authenticated and user.is_active and user.is_superuser:
            return self.all()
        return self.filter(Q(branch__isnull=True) | Q(branch__in=visible_branches(user)))

    def offered_in(self, branch_ids):
        """The active categories the offices of any of these branches may pick: every
        branch's (unless that branch hides it) and the branch's own."""
        offered = Q(pk__in=[])
        for branch_id in set(branch_ids):
            hidden = HiddenCategory.objects.filter(category=OuterRef("pk"), branch_id=branch_id)
            offered |= Q(branch_id=branch_id) | (Q(branch__isnull=True) & ~Q(Exists(hidden)))
        return self.filter(offered, active=True)


class Category(models.Model):
    """A complaint category (R-CAT-1), for every branch or for one."""

    name = models.CharField(_("name"), max_length=40)
    position = models.PositiveSmallIntegerField(_("position"), default=100)
    active = models.BooleanField(_("active"), default=True)
    branch = for_every_branch_or_one(
        "categories", _("Leave empty to offer it to every branch (superusers only).")
    )

    objects = CategoryQuerySet.as_manager()

    class Meta:
        verbose_name = _("category")
        verbose_name_plural = _("categories")
        ordering = ["position", "name"]
        constraints = one_per_branch(
            "branch",
            "name",
            name="one_branch_category_per_name",
            every_branch="one_every_branch_category_per_name",
        )

    def __str__(self):
        return self.name


class HiddenCategory(models.Model):
    """An every-branch category that one branch's offices do not offer at intake."""

    branch = belongs_to(Branch, "hidden_categories", _("branch"))
    category = belongs_to(
        Category, "hidden_in", _("category"), limit_choices_to={"branch__isnull": True}
    )

    class Meta:
        verbose_name = _("category hidden in a branch")
        verbose_name_plural = _("categories hidden in a branch")
        ordering = ["branch", "category"]
        constraints = [
            models.UniqueConstraint(
                fields=["branch", "category"], name="one_hiding_per_branch_and_category"
            )
        ]

    def __str__(self):
        return f"{self.branch} – {self.category}"
