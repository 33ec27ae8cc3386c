"""Small display helpers of the complaint pages: phone numbers, e-mail links, status colours."""

from functools import lru_cache

from django import template
from django.utils.translation import get_language

from ..emails import mailto_href
from ..phones import display_phone

register = template.Library()

STATUS_BADGES = {
    "recorded": "text-bg-primary",
    "in_progress": "text-bg-warning",
    "resolved": "text-bg-info",
    "revisited": "text-bg-info",
    "closed": "text-bg-success",
    "superseded": "text-bg-secondary",
}
SEVERITY_BADGES = {
    "serious": "text-bg-danger",
    "general": "text-bg-light border",
    "minor": "text-bg-light border text-secondary",
}


@register.filter
def mailto(value: str) -> str:
    """The `mailto:` URL of an address, encoded so that it can add no header."""
    return mailto_href(value or "")


@register.filter
def phone(value: str) -> str:
    """`+8613800138000` as `138 0013 8000`."""
    return display_phone(value or "")


@register.filter
def status_badge(status: str) -> str:
    return STATUS_BADGES.get(status, "text-bg-secondary")


@register.filter
def severity_badge(severity: str) -> str:
    return SEVERITY_BADGES.get(severity, "text-bg-light border")


@register.simple_tag
def next_deadline_of(complaint, now=None):
    """The earliest pending clock of `complaint` (a shift-review row, issue 14)."""
    from django.utils import timezone

    from ..timeleft import complaint_deadlines, next_deadline

    return next_deadline(complaint_deadlines(complaint, now=now or timezone.now()))


@lru_cache(maxsize=512)
def _choice_label(field, value, language: str) -> str:
    return str(dict(field.flatchoices).get(value, value))


@register.filter
def display(obj, name: str) -> str:
    """`obj.get_<name>_display()`, translated once per value and language: a list page shows
    three of them a row, and each lazy label costs a catalogue lookup (docs/performance.md)."""
    return _choice_label(obj._meta.get_field(name), getattr(obj, name), get_language())
