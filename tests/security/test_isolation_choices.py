"""Foreign-key choices offer only what the user may see: the desk's forms, every admin form
field, the admin's list filters and its autocomplete (issue #7).

Threat: a select box, a filter or an autocomplete lists another office's offices, staff,
complaints or buildings — names that the pages themselves refuse to show — or lets a form
post one of them (docs/architecture.md, Roles and scoping)."""

import json

import pytest
from django import forms
from django.contrib import admin
from django.test import RequestFactory
from django.urls import reverse

from accounts.models import Office, User
from complaints.models import Complaint
from tests.security.isolation_cases import BRANCH_WIDE, DESK
from tests.security.isolation_world import World, world

pytestmark = pytest.mark.django_db
__all__ = ["world"]  # the module-scoped fixture, used by every test below


def outsiders(world: World) -> list[str]:
    return world.outsiders_of_office + world.outsiders_of_branch


def foreign(world: World, model, user_key: str) -> set:
    """The pks of `model` that `user_key` must not be offered: the victim office's, and the
    victim branch's when the user works outside that branch. For the victim branch's own
    roles ("home.…"): the other branch's office, staff and complaints."""
    if user_key.startswith("home."):
        return _of_the_other_branch(world, model)
    outside_branch = not user_key.startswith("sibling.")
    if issubclass(model, User):
        return {
            user.pk
            for key, user in world.users.items()
            if key.startswith("victim.") or (outside_branch and key.startswith("home."))
        }
    if issubclass(model, Complaint):
        return {world.complaint.pk, world.revisited.pk}
    if model in BRANCH_WIDE:  # the victim branch's configuration: its sibling office's too
        return {world.of(model).pk} if outside_branch else set()
    if model in world.objects:
        return {world.of(model).pk}
    return set()


def _of_the_other_branch(world: World, model) -> set:
    if issubclass(model, User):
        return {u.pk for key, u in world.users.items() if key.startswith(("other.", "away."))}
    if issubclass(model, Complaint):
        return set(Complaint.objects.filter(office=world.other).values_list("pk", flat=True))
    return {world.other.pk} if model is Office else set()


def admin_request(user):
    request = RequestFactory().get("/admin/")
    request.user = user
    return request


def _relations(model):
    return [
        field
        for field in model._meta.get_fields()
        if (field.many_to_one or field.many_to_many) and field.concrete
    ]


def _admin_fields():
    """(id, model admin or inline, field) of every FK/M2M an admin form could offer."""
    rows = []
    for model, model_admin in admin.site._registry.items():
        for field in _relations(model):
            rows.append(pytest.param(model_admin, field, id=f"{model._meta.label}.{field.name}"))
        for inline_class in model_admin.inlines:
            inline = inline_class(model, admin.site)
            for field in _relations(inline.model):
                if field.related_model is model:  # the inline's own parent: never a choice
                    continue
                label = f"{model._meta.label}/{inline.model._meta.label}.{field.name}"
                rows.append(pytest.param(inline, field, id=label))
    return rows


@pytest.mark.parametrize(("model_admin", "field"), _admin_fields())
def test_admin_form_fields_offer_only_records_in_scope(world, model_admin, field):
    """Threat: the admin's add or change form of another office's user offers the victim's
    offices, staff or complaints as choices (and accepts them when posted)."""
    for user_key in outsiders(world):
        formfield = model_admin.formfield_for_dbfield(field, admin_request(world.user(user_key)))
        if formfield is None or not hasattr(formfield, "queryset"):
            continue
        offered = set(formfield.queryset.values_list("pk", flat=True))
        leaked = offered & foreign(world, field.related_model, user_key)
        assert not leaked, f"{field} offers {user_key} the victim's {sorted(leaked)}"


def _filtered_admins():
    return [
        pytest.param(model, id=model._meta.label)
        for model, model_admin in admin.site._registry.items()
        if model_admin.list_filter
    ]


@pytest.mark.parametrize("model", _filtered_admins())
def test_admin_list_filters_offer_only_records_in_scope(client, world, model):
    """Threat: a changelist's "by office" (or branch, building) filter names every office of
    the company, though the list itself is scoped."""
    url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
    for user_key in outsiders(world):
        client.force_login(world.user(user_key))
        response = client.get(url)
        if response.status_code != 200:
            continue  # no view permission: no filter either
        for spec in response.context["cl"].filter_specs:
            related = getattr(getattr(spec, "field", None), "related_model", None)
            if related is None or not hasattr(spec, "lookup_choices"):
                continue
            offered = {pk for pk, _label in spec.lookup_choices}
            leaked = offered & foreign(world, related, user_key)
            assert not leaked, f"{model.__name__}: filter {spec.title} offers {user_key} {leaked}"


def _autocompletes():
    rows = []
    for model in admin.site._registry:
        for field in _relations(model):
            remote = admin.site._registry.get(field.related_model)
            if remote is not None and remote.search_fields:
                rows.append(pytest.param(model, field, id=f"{model._meta.label}.{field.name}"))
    return rows


def autocomplete(client, model, field) -> tuple[int, set]:
    response = client.get(
        reverse("admin:autocomplete"),
        {
            "app_label": model._meta.app_label,
            "model_name": model._meta.model_name,
            "field_name": field.name,
            "term": "",
        },
    )
    if response.status_code != 200:
        return response.status_code, set()
    return 200, {int(row["id"]) for row in json.loads(response.content)["results"]}


@pytest.mark.parametrize(("model", "field"), _autocompletes())
def test_admin_autocomplete_offers_only_records_in_scope(client, world, model, field):
    """Threat: `/admin/autocomplete/` is asked directly, for any foreign key of any registered
    model, with an empty term: it must answer from the user's scope only."""
    client.force_login(world.user("root"))
    status, everything = autocomplete(client, model, field)
    assert status == 200 and everything, "the superuser sees every record (the sanity case)"
    for user_key in outsiders(world):
        client.force_login(world.user(user_key))
        _status, offered = autocomplete(client, model, field)
        leaked = offered & foreign(world, field.related_model, user_key)
        assert not leaked, f"{field} autocompletes {user_key} to the victim's {sorted(leaked)}"


def _forms_in(response) -> list[forms.BaseForm]:
    found = []
    context = response.context
    if context is None:
        return found
    values = (
        context.flatten()
        if hasattr(context, "flatten")
        else {k: context[k] for k in context.keys()}  # noqa: SIM118 — a ContextList iterates contexts
    )
    for value in values.values():
        candidates = value if isinstance(value, list | tuple) else [value]
        for candidate in candidates:
            parts = candidate if isinstance(candidate, tuple) else (candidate,)
            found += [part for part in parts if isinstance(part, forms.BaseForm)]
    return found


DESK_PAGES = sorted(key for key, case in DESK.items() if case.get and not case.names_record)


@pytest.mark.parametrize("key", DESK_PAGES)
def test_desk_forms_offer_only_records_in_scope(client, world, key):
    """Threat: the intake form, the list's filters or the duty log's forms offer another
    office's offices, buildings, units, staff, complaints or website scans (R-QD-1: the branch
    quality department picks among its own branch's office managers only)."""
    case = DESK[key]
    for user_key in [*outsiders(world), "home.qd", "home.gm"]:
        client.force_login(world.user(user_key))
        response = client.get(case.path(key, world), case.query(world))
        for form in _forms_in(response):
            for name, formfield in form.fields.items():
                if not isinstance(formfield, forms.ModelChoiceField):
                    continue
                offered = set(formfield.queryset.values_list("pk", flat=True))
                leaked = offered & foreign(world, formfield.queryset.model, user_key)
                assert not leaked, f"{key}: {type(form).__name__}.{name} offers {user_key} {leaked}"
