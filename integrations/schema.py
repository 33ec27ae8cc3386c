"""How the OpenAPI schema describes the API (imported by the app's ready()): the token
authentication, the refusals every operation may answer, and the request bodies of the writes
from the pages' own forms."""

from django import forms
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.openapi import AutoSchema
from rest_framework import serializers


class IntegrationTokenScheme(OpenApiAuthenticationExtension):
    target_class = "integrations.auth.IntegrationTokenAuthentication"
    name = "integrationToken"

    def get_security_definition(self, auto_schema):
        return {
            "type": "apiKey",
            "in": "header",
            "name": "Authorization",
            "description": "`Token <secret>`: a token issued in the admin (docs/api.md).",
        }


class ProblemSerializer(serializers.Serializer):
    """A 401, 403, 404 or 429: what DRF says, in the caller's language."""

    detail = serializers.CharField()


REFUSAL_SCHEMA = {
    "type": "object",
    "additionalProperties": {
        "anyOf": [{"type": "string"}, {"type": "array", "items": {"type": "string"}}]
    },
    "example": {"__all__": ["…"], "summary": ["…"]},
}
ERROR_CODES = {"401": ProblemSerializer, "403": ProblemSerializer, "404": ProblemSerializer,
               "429": ProblemSerializer}  # fmt: skip


class DeskAutoSchema(AutoSchema):
    """Every operation also documents what the desk answers when it refuses (docs/api.md): the
    fuzzing of tests/api/test_contract.py holds every response to the schema."""

    def _get_response_bodies(self, direction="response"):
        responses = super()._get_response_bodies(direction)
        if direction != "response":
            return responses
        if "400" not in responses and self.method in ("POST", "PUT", "PATCH", "GET"):
            responses["400"] = {
                "content": {"application/json": {"schema": REFUSAL_SCHEMA}},
                "description": "Refused: every field and its reasons.",
            }
        for code, serializer in ERROR_CODES.items():
            if code not in responses:
                responses[code] = self._get_response_for_code(serializer, code)
        return responses


FORM_FIELDS = [  # most specific first: a ModelChoiceField is a ChoiceField too
    (forms.ModelChoiceField, lambda f, **kw: serializers.IntegerField(**kw)),
    (forms.ChoiceField, lambda f, **kw: serializers.ChoiceField(choices=_choices(f), **kw)),
    (forms.NullBooleanField, lambda f, **kw: serializers.BooleanField(allow_null=True, **kw)),
    (forms.BooleanField, lambda f, **kw: serializers.BooleanField(**kw)),
    (forms.DateTimeField, lambda f, **kw: serializers.DateTimeField(**kw)),
    (forms.DateField, lambda f, **kw: serializers.DateField(**kw)),
    (forms.IntegerField, lambda f, **kw: serializers.IntegerField(**kw)),
    (forms.EmailField, lambda f, **kw: serializers.EmailField(max_length=f.max_length, **kw)),
    (forms.CharField, lambda f, **kw: serializers.CharField(max_length=f.max_length, **kw)),
]


def _choices(field) -> list:
    return [(key, label) for key, label in field.choices if key != ""]


def form_serializer(
    form_class, *, name: str, exclude=(), optional=()
) -> type[serializers.Serializer]:
    """The request body of an API write, for the schema: the fields of the page's form (which
    validates it: the API parses the body with the form itself). Files are not a JSON field:
    multipart bodies carry them as `files`. `optional`: fields the form's __init__ relaxes."""
    fields = {}
    for field_name, field in form_class.base_fields.items():
        if field_name in exclude or isinstance(field, forms.FileField):
            continue
        make = next(make for kind, make in FORM_FIELDS if isinstance(field, kind))
        required = field.required and field_name not in optional
        options = {"required": required, "help_text": field.help_text or None}
        if not required and not isinstance(field, forms.NullBooleanField):
            options["allow_null"] = True  # null is left out, as an empty field of the page
        if isinstance(field, forms.CharField) or type(field) is forms.ChoiceField:
            options["allow_blank"] = not required
        fields[field_name] = make(field, **options)
    return type(name, (serializers.Serializer,), fields)
