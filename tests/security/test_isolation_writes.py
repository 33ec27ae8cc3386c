"""The isolation sweep's writing half: change, add and delete on every admin model.

Threat: staff of one office, or the branch roles of another branch, change, add or delete
another office's or branch's records in the admin — or any branch's quality department edits
the configuration every branch shares (calendar overrides that move every branch's reply
limits, the categories every desk offers). Reading was swept before (test_isolation_sweep.py);
a form posted as a browser would post it was not: the quality department of any branch could
add, change and delete the every-branch calendar overrides and rename or deactivate the
categories every branch uses.

For every model of `admin.site`, the victim's record (and, for configuration, a row for every
branch) is posted as the admin's own form would post it — the form is read from the page the
superuser gets — with a text changed, as an add aimed at the victim, and as a delete
confirmation. Every outsider is refused and nothing changes; the superuser's same post works,
so the data is valid and the sweep can fail. A new ModelAdmin is swept automatically.
"""

from html.parser import HTMLParser

import pytest
from django.contrib import admin
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.urls import reverse

from integrations.models import IntegrationToken
from tests.security.isolation_cases import BRANCH_WIDE, SHARED
from tests.security.isolation_world import LOGIN_RECORDS, World, world
from tests.security.test_isolation_sweep import is_refused

pytestmark = pytest.mark.django_db
__all__ = ["world"]  # the module-scoped fixture of the sweep's world

FORGED = " (forged)"
OFFICE_OUTSIDERS = [
    "sibling.supervisor",
    "sibling.manager",
    "other.supervisor",
    "other.manager",
    "away.gm",
    "away.qd",
]
BRANCH_OUTSIDERS = ["other.supervisor", "other.manager", "away.gm", "away.qd"]
# Rows for every branch, and shared configuration: every role short of a superuser.
EVERYONE_BUT_ROOT = ["victim.manager", "sibling.manager", "home.gm", "home.qd", "away.qd"]
# What a new row needs besides the record's own values, per model (unique fields that are no
# text, the add form's own fields). The superuser's add must succeed with it.
ADD_TWEAKS = {
    "calendaroverride": {"day": "2031-06-09"},
    "calendaryear": {"year": "2040"},
    "integrationtoken": {
        "name": "forged CRM",
        "user": lambda world: world.user("victim.assistant").pk,
    },
    "webhooksubscription": {
        "token": lambda world: world.of(IntegrationToken).pk,
        "url": "https://crm.example.com/forged-hooks",
    },
    "hiddencategory": {"category": lambda world: world.every_branch["category_to_hide"].pk},
    "user": {"password1": "Forged-Passw0rd-2031", "password2": "Forged-Passw0rd-2031"},
    "shift": {"starts_at": "05:17"},
    "membership": {"role": "customer_supervisor"},
}
MODELS = sorted(admin.site._registry, key=lambda model: model._meta.label)


class AdminForm(HTMLParser):
    """The fields of the admin's change or add form, as a browser would post them."""

    def __init__(self, form_id: str):
        super().__init__()
        self.form_id, self.inside, self.select, self.textarea = form_id, False, None, None
        self.fields: dict[str, list[str]] = {}
        self.texts: list[str] = []  # text inputs and text areas of the model itself
        self.first_option: dict[str, str] = {}

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form" and attrs.get("id") == self.form_id:
            self.inside = True
        if not self.inside:
            return
        name = attrs.get("name")
        if tag == "input" and name:
            kind = attrs.get("type", "text")
            if kind in ("submit", "button", "image", "file", "reset"):
                return
            if kind in ("checkbox", "radio") and "checked" not in attrs:
                self.fields.setdefault(name, [])
                return
            self.fields.setdefault(name, []).append(attrs.get("value") or "")
            if kind == "text" and "-" not in name:
                self.texts.append(name)
        elif tag == "select" and name:
            self.select = name
            self.fields.setdefault(name, [])
        elif tag == "option" and self.select:
            self.first_option.setdefault(self.select, attrs.get("value") or "")
            if "selected" in attrs:
                self.fields[self.select].append(attrs.get("value") or "")
        elif tag == "textarea" and name:
            self.textarea = name
            self.fields[name] = [""]
            if "-" not in name:
                self.texts.append(name)

    def handle_endtag(self, tag):
        if tag == "form":
            self.inside = False
        elif tag == "select" and self.select:
            if not self.fields[self.select] and self.first_option.get(self.select):
                self.fields[self.select] = [self.first_option[self.select]]
            self.select = None
        elif tag == "textarea":
            self.textarea = None

    def handle_data(self, data):
        if self.textarea:
            self.fields[self.textarea][0] += data


def read_form(client, url: str, model) -> AdminForm:
    response = client.get(url)
    assert response.status_code == 200, f"GET {url} as the superuser: {response.status_code}"
    form = AdminForm(f"{model._meta.model_name}_form")
    form.feed(response.content.decode())
    return form


NOT_FREE_TEXT = {"code", "time_zone", "phone", "email", "username"}  # validated formats


def free_text(model, name: str) -> bool:
    """A text field of the model itself that takes any words (so a change shows)."""
    try:
        field = model._meta.get_field(name)
    except FieldDoesNotExist:
        return False
    return (
        isinstance(field, models.CharField | models.TextField)
        and not field.choices
        and not field.unique
        and name not in NOT_FREE_TEXT
    )


def unique_texts(model) -> list[str]:
    return [f.name for f in model._meta.fields if isinstance(f, models.CharField) and f.unique]


def post_data(fields: dict[str, list[str]]) -> dict:
    return {name: values for name, values in fields.items() if values}


def targets(model, world: World) -> list[tuple[object, list[str]]]:
    """(record, who must not write it) for `model`."""
    if model in SHARED:
        return [(model._default_manager.order_by("pk").first(), EVERYONE_BUT_ROOT)]
    found = [(world.of(model), BRANCH_OUTSIDERS if model in BRANCH_WIDE else OFFICE_OUTSIDERS)]
    if model in world.every_branch:
        found.append((world.every_branch[model], EVERYONE_BUT_ROOT))
    return found


def count(model) -> int | None:
    """How many rows; None for login records, which every login in the test writes."""
    return None if model in LOGIN_RECORDS else model._base_manager.count()


def snapshot(model, record) -> tuple:
    return count(model), list(model._base_manager.filter(pk=record.pk).values())


def url_of(model, action: str, record=None) -> str:
    name = f"admin:{model._meta.app_label}_{model._meta.model_name}_{action}"
    return reverse(name, args=[record.pk] if record is not None else [])


def root_may(model, action: str, world: World, record=None) -> bool:
    from django.test import RequestFactory

    request = RequestFactory().get("/")
    request.user = world.user("root")
    model_admin = admin.site._registry[model]
    if action == "add":
        return model_admin.has_add_permission(request)
    if action == "delete":
        return model_admin.has_delete_permission(request, record)
    return model_admin.has_change_permission(request, record)


def _ids(model):
    return model._meta.label


@pytest.mark.parametrize("model", MODELS, ids=_ids)
def test_no_outsider_changes_a_record_through_its_admin_form(client, world, model):
    """Threat: the change form of another office's or branch's record (or of every branch's
    configuration) posted by an outsider saves it."""
    for record, outsiders in targets(model, world):
        url = url_of(model, "change", record)
        client.force_login(world.user("root"))
        form = read_form(client, url, model)
        data = post_data(form.fields)
        altered = [name for name in form.texts if free_text(model, name)][:1]
        for name in altered:
            data[name] = [(data.get(name) or [""])[0][:20] + FORGED]
        before = snapshot(model, record)
        for user_key in outsiders:
            client.force_login(world.user(user_key))
            response = client.post(url, data)
            assert is_refused(response, in_admin=True), (
                f"POST {url} as {user_key}: {response.status_code}, not refused"
            )
            assert snapshot(model, record) == before, f"POST {url} as {user_key} changed it"
        if root_may(model, "change", world, record):  # the sanity case: the data is valid
            client.force_login(world.user("root"))
            response = client.post(url, data)
            errors = response.context and response.context.get("errors")
            assert response.status_code == 302, f"POST {url} as root: {errors}"
            if altered:
                assert snapshot(model, record) != before, f"{url}: root's post changed nothing"


@pytest.mark.parametrize("model", MODELS, ids=_ids)
def test_no_outsider_adds_a_record_for_another_office_or_branch(client, world, model):
    """Threat: an add form posted with the victim's office or branch (or with no branch: a
    row for every branch) creates it for an outsider."""
    for record, outsiders in targets(model, world):
        if not root_may(model, "add", world):
            data = {}
        else:
            client.force_login(world.user("root"))
            template = read_form(client, url_of(model, "change", record), model)
            add_form = read_form(client, url_of(model, "add"), model)
            fields = dict(add_form.fields)
            for name, values in template.fields.items():
                if name in fields and "-" not in name:
                    fields[name] = values  # aimed where the record is: its office or branch
            for name in [n for n in template.texts if free_text(model, n) and n in fields]:
                fields[name] = [(fields[name] or [""])[0][:20] + FORGED]  # a name of its own
            for name in unique_texts(model):  # a new row needs its own code, name, username
                if name in fields:
                    fields[name] = ["fz9"]
            for name, value in ADD_TWEAKS.get(model._meta.model_name, {}).items():
                fields[name] = [str(value(world) if callable(value) else value)]
            data = post_data(fields)
        url = url_of(model, "add")
        rows = count(model)
        for user_key in outsiders:
            client.force_login(world.user(user_key))
            response = client.post(url, data)
            assert response.status_code < 500, f"POST {url} as {user_key}"
            assert count(model) == rows, f"POST {url} as {user_key} added a row"
        if data:  # the sanity case: the superuser's same post adds the row
            client.force_login(world.user("root"))
            response = client.post(url, data)
            errors = response.context and response.context.get("errors")
            assert response.status_code == 302, f"POST {url} as root: {errors}"
            if rows is not None:
                assert count(model) == rows + 1


@pytest.mark.parametrize("model", MODELS, ids=_ids)
def test_no_outsider_deletes_a_record(client, world, model):
    """Threat: the delete confirmation of another office's or branch's record (or of every
    branch's configuration) posted by an outsider deletes it."""
    for record, outsiders in targets(model, world):
        url = url_of(model, "delete", record)
        before = snapshot(model, record)
        for user_key in outsiders:
            client.force_login(world.user(user_key))
            response = client.post(url, {"post": "yes"})
            assert is_refused(response, in_admin=True), (
                f"POST {url} as {user_key}: {response.status_code}, not refused"
            )
            assert snapshot(model, record) == before, f"POST {url} as {user_key} deleted it"
        if root_may(model, "delete", world, record):  # the sanity case
            client.force_login(world.user("root"))
            response = client.post(url, {"post": "yes"})
            assert response.status_code in (200, 302)  # 200: protected rows, Django's page
            if response.status_code == 302:
                assert not model._base_manager.filter(pk=record.pk).exists()
