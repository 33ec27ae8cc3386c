"""The two foreign keys most models declare: the row's owner (the complaint, office or branch
it belongs to) and the user who did what it records. Declared once, so that every model says
them the same way: a user who acted is protected (deactivated, never deleted) and has no
reverse accessor unless one is named; an optional owner is both nullable and blank.

The fields they build are the fields the models declared before, argument for argument: the
migrations see no change."""

from django.conf import settings
from django.db import models


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
