"""How a refused step or upload is told to the user: one message listing every reason."""

from django.contrib import messages
from django.utils.html import format_html, format_html_join


def refuse(request, heading: str, reasons) -> None:
    messages.error(
        request,
        format_html(
            '{}<ul class="mb-0 mt-1">{}</ul>',
            heading,
            format_html_join("", "<li>{}</li>", ((reason,) for reason in reasons)),
        ),
    )
