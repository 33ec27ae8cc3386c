"""How a refused step or upload is told to the user: one message listing every reason, or each
reason on the form's field it is about."""

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


def on_form(form, reasons: dict[str, str]) -> None:
    """Each reason of a refused write on its field, "__all__" on the whole form."""
    for field, reason in reasons.items():
        form.add_error(None if field == "__all__" else field, reason)


def written(form, write, refused: type[Exception]) -> bool:
    """Whether the posted `form` is valid and `write(values=form.cleaned_data)` went through;
    when the write is `refused`, its reasons are on the form to show again."""
    if not form.is_valid():
        return False
    try:
        write(values=form.cleaned_data)
    except refused as refusal:
        on_form(form, refusal.reasons)
        return False
    return True
