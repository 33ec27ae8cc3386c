"""Widgets that render in Python what Django renders with a template per option.

The complaint list's filter panel has ten selects; Django renders each option through its own
included template (`select_option.html` and `attrs.html`), which made the widgets a quarter of
the list page's time (docs/performance.md). `QuickSelect` writes the very same HTML (the test
compares the two) straight from the choices, escaped with `format_html`."""

from django import forms
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString


def _attrs(attrs: dict) -> SafeString:
    """As `django/forms/widgets/attrs.html`: False leaves an attribute out, True writes its
    name alone."""
    return format_html_join(
        "",
        " {}{}",
        (
            (name, "" if value is True else format_html('="{}"', value))
            for name, value in attrs.items()
            if value is not False
        ),
    )


class QuickSelect(forms.Select):
    """A single select of flat choices (a grouped one is left to Django)."""

    def render(self, name, value, attrs=None, renderer=None):
        choices = list(iter(self.choices))  # not len(): a ModelChoiceIterator would count
        if self.allow_multiple_selected or any(
            isinstance(label, list | tuple) for _value, label in choices
        ):
            return super().render(name, value, attrs, renderer)
        chosen = {str(v) for v in self.format_value(value)}
        attrs = self.build_attrs(self.attrs, attrs)
        parts = [format_html('<select name="{}"{}>', name, _attrs(attrs))]
        first = True
        for option_value, label in choices:
            option_value = "" if option_value is None else str(option_value)
            selected = option_value in chosen and first  # one selected, as Django's select
            first = first and not selected
            parts.append(
                format_html(
                    '<option value="{}"{}>{}</option>',
                    option_value,
                    SafeString(" selected") if selected else "",
                    label,
                )
            )
        parts.append(SafeString("</select>"))
        return SafeString("\n".join(parts))
