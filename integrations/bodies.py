"""An API write's body, read the way the page's form reads a browser's POST: the API validates
with the page's own form (docs/api.md), so a JSON body becomes form data first — a number, a
list or an object where the form wants text is then refused by the form with its reason,
never a 500."""

import json

from django.http import QueryDict


def _text(value) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dict | list):
        return json.dumps(value, ensure_ascii=False)
    return str(value)


def form_data(request) -> QueryDict:
    """The body as form data: a JSON list is the field's several values, null is absent."""
    data = request.data
    if isinstance(data, QueryDict):
        return data
    form = QueryDict(mutable=True)
    if not isinstance(data, dict):  # a JSON body that is not an object carries no field
        return form
    for name, value in data.items():
        if value is None:
            continue
        values = value if isinstance(value, list) else [value]
        form.setlist(name, [_text(item) for item in values if item is not None])
    return form


def form_errors(form) -> dict[str, list[str]]:
    """A refused form as the API's 400 body: every field (`__all__`: the rest), its reasons."""
    return {name: [str(message) for message in messages] for name, messages in form.errors.items()}
