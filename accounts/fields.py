"""The two foreign keys most models declare: the row's owner (the complaint, office or branch
it belongs to) and the user who did what it records. Declared once, so that every model says
them the same way: a user who acted is protected (deactivated, never deleted) and has no
reverse accessor unless one is named; an optional owner is both nullable and blank. With them,
the branch and the uniqueness of configuration kept for every branch or for one (calendar
overrides and confirmations, categories), and what is issued and revoked (`Issued`).

The fields they build are the fields the models declared before, argument for argument: the
migrations see no change (but for the integrations' not-editable issuer, now blank as every
optional actor is: integrations migration 0003, no SQL)."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


def belongs_to(
    to, related_name: str, verbose_name, *, on_delete=models.CASCADE, optional=False, **options
) -> models.ForeignKey:
    """The complaint, office or branch a row belongs to (gone with it unless `on_delete` says)."""
    return models.ForeignKey(
        to,
        on_delete=on_delete,
        null=optional,
        blank=optional,
        related_name=related_name,
        verbose_name=verbose_name,
        **options,
    )


def actor(verbose_name, *, optional=False, related_name="+", **options) -> models.ForeignKey:
    """The user who wrote, signed, reported or approved what the row records."""
    return belongs_to(
        settings.AUTH_USER_MODEL,
        related_name,
        verbose_name,
        on_delete=models.PROTECT,
        optional=optional,
        **options,
    )


def for_every_branch_or_one(related_name: str, help_text) -> models.ForeignKey:
    """The branch of a piece of configuration kept for every branch (left empty) or for one."""
    return belongs_to(
        "accounts.Branch", related_name, _("branch"), optional=True, help_text=help_text
    )


def one_per_branch(*fields: str, name: str, every_branch: str) -> list[models.UniqueConstraint]:
    """`fields` (with "branch" among them) unique per branch, and once among the rows for every
    branch: PostgreSQL holds NULLs distinct, so the first constraint alone would let two
    every-branch rows share a key."""
    return [
        models.UniqueConstraint(fields=list(fields), name=name),
        models.UniqueConstraint(
            fields=[field for field in fields if field != "branch"],
            condition=Q(branch__isnull=True),
            name=every_branch,
        ),
    ]


def one_per_office_or_branch(
    *fields: str, office: str, branch: str
) -> list[models.UniqueConstraint]:
    """For a row of one office or of one branch (the other left empty): `fields` (with
    "office" among them) unique among the offices' rows, and the same with the branch in the
    office's place among the branches' rows."""
    return [
        models.UniqueConstraint(
            fields=[place if field == "office" else field for field in fields],
            condition=Q(**{f"{place}__isnull": False}),
            name=name,
        )
        for place, name in (("office", office), ("branch", branch))
    ]


class IssuedQuerySet(models.QuerySet):
    def live(self):
        """Not revoked."""
        return self.filter(revoked_at__isnull=True)


class Issued(models.Model):
    """What a user of the desk issues and may revoke at once: a resident's tracking link, an
    integration's token. Revoked, never deleted: the timeline and the logs may name it."""

    created_at = models.DateTimeField(_("issued at"), default=timezone.now, editable=False)
    created_by = actor(_("issued by"), optional=True, editable=False)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True, editable=False)

    class Meta:
        abstract = True
        ordering = ["-created_at", "-pk"]

    @property
    def is_live(self) -> bool:
        return self.revoked_at is None
