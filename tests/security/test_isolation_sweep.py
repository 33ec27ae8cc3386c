"""The isolation sweep (issue #7): every URL pattern of the project, the admin's included, as
every kind of outsider.

Threat: staff of one office, or a branch role of another branch, read or change another
office's residents, complaints and records by typing its URLs — ids are sequential, so
guessing them is trivial (architecture.md, Roles and scoping; STYLE 8).

`SWEEP` says, for each pattern, how to aim it at the victim office of `isolation_world`; `EXEMPT`
names the few patterns that read no record and why. A pattern in neither fails
`test_every_url_pattern_has_a_sweep_case`: a new URL cannot ship without its case.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from urllib.parse import urlparse

import pytest
from django.contrib import admin
from django.contrib.auth.models import Group
from django.contrib.contenttypes.models import ContentType
from django.test import RequestFactory
from django.urls import URLResolver, get_resolver, reverse
from django.utils import timezone

from accounts.models import Branch, User
from complaints.models import (
    Building,
    CalendarOverride,
    Category,
    Complaint,
    DutyLogEntry,
    ShiftHandover,
    WebsiteScan,
)
from followups.models import Notification, ShiftReviewItem
from tests.security.isolation_world import (
    BRANCH,
    LOGIN_RECORDS,
    OFFICE_ROLE_KEYS,
    VICTIM,
    World,
    world,
)

pytestmark = pytest.mark.django_db
__all__ = ["world"]  # the module-scoped fixture, used by every test below

Build = Callable[[World], dict]


def nothing(_world: World) -> dict:
    return {}


@dataclass(frozen=True)
class Case:
    """How to aim one URL pattern at the victim, and who may rightfully use it."""

    owner: str  # the world's user who may use it: the sanity case, so the sweep can fail
    kwargs: Build = nothing  # the URL's arguments
    query: Build = nothing  # GET parameters aimed at the victim's records
    data: Build | None = None  # the POST body; None: the pattern is not posted to
    get: bool = True  # False: POST only
    names_record: bool = False  # the URL names a victim's record: outsiders get 403/404
    branch_wide: bool = False  # a record of the victim's branch: its other office may see it
    owner_status: int | None = 200  # the owner's GET (after redirects); None: the admin's
    # add or delete page, 200 where the admin allows it at all, else 403 for everyone
    owner_sees_victim: bool = True  # the owner's GET shows the victim's token
    url: Callable[[World], str] | None = None  # for patterns without a name
    model: type | None = None  # the admin's model, for its pages
    owner_posts: bool = True  # the owner's POST reaches the record (not so: a view-only admin)

    def path(self, key: str, world: World) -> str:
        return self.url(world) if self.url else reverse(key, kwargs=self.kwargs(world))


def local(moment) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%dT%H:%M")


def complaint(world: World) -> dict:
    return {"pk": world.complaint.pk}


def waiting_for_closure(world: World) -> dict:
    return {"pk": world.revisited.pk}


def record(model) -> Build:
    return lambda world: {"pk": world.of(model).pk}


def office_report(world: World) -> dict:
    return {"pk": world.office_report.pk}


def intake_data(world: World) -> dict:
    return {
        "office": world.victim.pk,
        "channel": "phone",
        "complainant_name": "Walk-in",
        "phone": "13800000000",
        "building": world.of(Building).pk,
        "room": "101",
        "received_at": local(world.now - timedelta(minutes=5)),
        "category": Category.objects.first().pk,
        "classification": "valid",
        "severity": "general",
        "description": "noise at night",
        "customer_request": "stop it",
        "answered_at_once": "on",
    }


DESK = {
    "home": Case("victim.assistant"),
    "complaints:list": Case(
        "victim.assistant",
        query=lambda w: {"office": w.victim.pk, "building": w.of(Building).pk},
    ),
    "complaints:detail": Case("victim.assistant", kwargs=complaint, names_record=True),
    "complaints:intake": Case(
        "victim.assistant", query=lambda w: {"scan": w.of(WebsiteScan).pk}, data=intake_data
    ),
    "complaints:lookup": Case(
        "victim.assistant",
        query=lambda w: {"phone": "13900000001", "building": w.of(Building).pk, "room": "1502"},
    ),
    "complaints:units": Case("victim.assistant", query=lambda w: {"building": w.of(Building).pk}),
    "complaints:reply_latest": Case(
        "victim.assistant",
        query=lambda w: {"office": w.victim.pk, "received_at": local(w.now)},
        owner_sees_victim=False,
    ),
    "complaints:recorded": Case("victim.assistant", kwargs=complaint, names_record=True),
    "complaints:repeat_call": Case(
        "victim.assistant",
        kwargs=complaint,
        names_record=True,
        get=False,
        data=lambda w: {"note": "called again"},
    ),
    "complaints:dutylog": Case("victim.assistant", query=lambda w: {"office": w.victim.pk}),
    "complaints:dutylog_add": Case(
        "victim.assistant",
        get=False,
        data=lambda w: {
            "office": w.victim.pk,
            "occurred_at": local(w.now),
            "kind": "inquiry",
            "matter": "parking card",
        },
    ),
    "complaints:dutylog_update": Case(
        "victim.assistant",
        kwargs=record(DutyLogEntry),
        names_record=True,
        get=False,
        data=lambda w: {"handling_status": "passed on", "done": "on"},
    ),
    "complaints:handover_new": Case(
        "victim.assistant",
        get=False,
        data=lambda w: {"office": w.victim.pk, "items": "lift repair"},
    ),
    "complaints:handover_sign": Case(
        "victim.supervisor",
        kwargs=record(ShiftHandover),
        names_record=True,
        get=False,
        data=nothing,
    ),
    "complaints:scans": Case("victim.assistant", query=lambda w: {"office": w.victim.pk}),
    "complaints:scan_add": Case(
        "victim.assistant",
        get=False,
        data=lambda w: {"office": w.victim.pk, "site": "forum", "findings": ""},
    ),
    "followups:my_shift": Case("victim.assistant"),
    "followups:review_tick": Case(
        "victim.assistant",
        kwargs=record(ShiftReviewItem),
        names_record=True,
        get=False,
        data=lambda w: {"note": "told the customer"},
    ),
    "followups:inbox": Case("victim.manager"),
    "followups:inbox_read": Case(
        "victim.manager",
        kwargs=record(Notification),
        names_record=True,
        get=False,
        data=nothing,
    ),
    "followups:inbox_read_all": Case("victim.manager", get=False, data=nothing),
    "followups:contact": Case(
        "victim.assistant",
        kwargs=complaint,
        names_record=True,
        get=False,
        data=lambda w: {
            "contact-kind": "progress",
            "contact-method": "phone",
            "contact-summary": "still waiting for the part",
            "contact-signed": "on",
        },
    ),
    "followups:dispatch": Case(
        "victim.assistant",
        kwargs=complaint,
        names_record=True,
        get=False,
        data=lambda w: {
            "dispatch-department": "engineering",
            "dispatch-instructions": "replace the pipe",
            "dispatch-due_at": local(w.now + timedelta(days=1)),
        },
    ),
    "followups:corrective_action": Case(
        "victim.assistant",
        kwargs=complaint,
        names_record=True,
        get=False,
        data=lambda w: {
            "action-cause": "old pipe",
            "action-correction": "replaced",
            "action-prevention": "yearly check",
        },
    ),
    "followups:resolve": Case(
        "victim.assistant", kwargs=complaint, names_record=True, get=False, data=nothing
    ),
    "followups:revisit": Case(
        "victim.assistant",
        kwargs=complaint,
        names_record=True,
        get=False,
        data=lambda w: {"revisit-method": "phone", "revisit-outcome": "satisfied"},
    ),
    "followups:approve": Case(
        "victim.manager", kwargs=waiting_for_closure, names_record=True, get=False, data=nothing
    ),
    "followups:reject": Case(
        "victim.manager",
        kwargs=waiting_for_closure,
        names_record=True,
        get=False,
        data=lambda w: {"reject-reason": "the revisit was not recorded properly"},
    ),
    "followups:escalation_report": Case(
        "victim.manager",
        kwargs=complaint,
        names_record=True,
        get=False,
        data=lambda w: {"report-report": "the part is on order"},
    ),
    "reports:archive": Case("victim.supervisor"),
    "reports:detail": Case("victim.supervisor", kwargs=office_report, names_record=True),
    "reports:behind": Case(
        "victim.supervisor",
        kwargs=lambda w: {"pk": w.office_report.pk, "name": "received"},
        names_record=True,
    ),
    "reports:commentary": Case(
        "victim.supervisor",
        kwargs=office_report,
        names_record=True,
        get=False,
        data=lambda w: {"commentary": "a quiet month"},
    ),
    "reports:sent": Case(
        "victim.supervisor", kwargs=office_report, names_record=True, get=False, data=nothing
    ),
    "reports:xlsx": Case(
        "victim.supervisor", kwargs=office_report, names_record=True, owner_sees_victim=False
    ),
    "reports:csv": Case("victim.supervisor", kwargs=office_report, names_record=True),
}

# Who rightfully reads each model in the admin (default: the victim's office manager).
ADMIN_OWNERS = {
    Branch: "home.gm",
    CalendarOverride: "home.qd",
    Group: "root",
    **dict.fromkeys(LOGIN_RECORDS, "root"),
}
# Models that no office owns: shared configuration. Their pages must still show no victim's text.
SHARED = {
    Group: "the role groups: configuration, edited by superusers only",
    Category: "complaint categories are shared by every office (R-CAT-1)",
}
BRANCH_WIDE = {Branch, CalendarOverride}  # the victim's branch: its sibling office sees them


def _shared_record(model):
    return model.objects.order_by("pk").first()


def _admin_cases(model, model_admin) -> dict[str, Case]:
    """The pages Django's ModelAdmin gives every registered model, aimed at the victim's row."""
    app, name = model._meta.app_label, model._meta.model_name
    shared = model in SHARED

    def the_record(world):
        return _shared_record(model) if shared else world.of(model)

    def object_id(world):
        return {"object_id": the_record(world).pk}

    def selected(world):
        action = "approve" if "approve" in (model_admin.actions or ()) else "delete_selected"
        return {"action": action, "_selected_action": [the_record(world).pk], "post": "yes"}

    owner = ADMIN_OWNERS.get(model, "victim.manager")
    mine = {
        "model": model,
        "names_record": not shared,
        "branch_wide": model in BRANCH_WIDE,
        "owner_sees_victim": not shared,
    }
    return {
        f"admin:{app}_{name}_changelist": Case(
            owner, data=selected, **mine | {"names_record": False}
        ),
        f"admin:{app}_{name}_add": Case(
            "root", owner_sees_victim=False, owner_status=None, model=model
        ),
        # Most roles only view in the admin: the owner's POST is refused by permission.
        f"admin:{app}_{name}_change": Case(
            owner, kwargs=object_id, data=nothing, owner_posts=False, **mine
        ),
        # History and delete pages title the record by its str(), which need not carry the
        # token: the owner's sanity is that the page itself answers.
        f"admin:{app}_{name}_history": Case(
            owner, kwargs=object_id, **mine | {"owner_sees_victim": False}
        ),
        f"admin:{app}_{name}_delete": Case(
            "root", kwargs=object_id, owner_status=None, **mine | {"owner_sees_victim": False}
        ),
        # Django's bare `<object_id>/` redirects to the change page, for any staff member.
        f"admin/{app}/{name}/<path:object_id>/": Case(
            owner,
            url=lambda w: reverse(f"admin:{app}_{name}_change", args=[the_record(w).pk])[
                : -len("change/")
            ],
            **mine,
        ),
    }


def admin_model_cases() -> dict[str, Case]:
    cases = {}
    for model, model_admin in admin.site._registry.items():
        cases.update(_admin_cases(model, model_admin))
    return cases


ADMIN_SITE = {
    "admin:index": Case("victim.manager", owner_sees_victim=False),
    "admin:app_list": Case(
        "victim.manager", kwargs=lambda w: {"app_label": "complaints"}, owner_sees_victim=False
    ),
    "admin:password_change": Case("victim.manager", owner_sees_victim=False),
    "admin:password_change_done": Case("victim.manager", owner_sees_victim=False),
    "admin:jsi18n": Case("victim.manager", owner_sees_victim=False),
    "admin:autocomplete": Case(
        "victim.manager",
        query=lambda w: {
            "app_label": "complaints",
            "model_name": "dutylogentry",
            "field_name": "complaint",
            "term": "ZZV",  # not the token itself: a login page echoes `next`
        },
    ),
    # No model has get_absolute_url, so the shortcut answers 404 to everyone; it must not
    # answer differently for a record that exists outside the user's scope.
    "admin:view_on_site": Case(
        "root",
        kwargs=lambda w: {
            "content_type_id": ContentType.objects.get_for_model(Complaint).pk,
            "object_id": w.complaint.pk,
        },
        names_record=True,
        owner_status=404,
        owner_sees_victim=False,
    ),
    "admin:auth_user_password_change": Case(
        "root", kwargs=lambda w: {"id": w.of(User).pk}, names_record=True
    ),
}

SWEEP: dict[str, Case] = {**DESK, **ADMIN_SITE, **admin_model_cases()}

EXEMPT = {
    "login": "the desk's login form: public by nature, reads no record",
    "logout": "POST only; ends the requester's own session",
    "set_language": "public: sets the language cookie, reads no record",
    "admin:login": "the admin's login form: public by nature, reads no record",
    "admin:logout": "ends the requester's own session",
    "admin/(?P<url>.*)$": "the admin's catch-all: an unknown admin URL is a 404; names no record",
}


def url_patterns(patterns=None, prefix: str = "", namespace: str = ""):
    """(key, route) of every URL pattern: its namespaced name, or its route when unnamed."""
    for pattern in get_resolver().url_patterns if patterns is None else patterns:
        route = prefix + str(pattern.pattern).removeprefix("^")
        if isinstance(pattern, URLResolver):
            inner = ":".join(filter(None, (namespace, pattern.namespace)))
            yield from url_patterns(pattern.url_patterns, route, inner)
        elif pattern.name:
            yield (f"{namespace}:{pattern.name}" if namespace else pattern.name), route
        else:
            yield route, route


ALL_PATTERNS = dict(url_patterns())
SWEPT = sorted(SWEEP)
LOGIN_PAGES = {"/login/", "/admin/login/"}


# --- what counts as refused, and as a leak --------------------------------------------------


def body(response) -> str:
    if getattr(response, "streaming", False):
        return b"".join(response.streaming_content).decode(errors="replace").lower()
    return response.content.decode(errors="replace").lower()


def tokens_hidden_from(user_key: str) -> list[str]:
    """The victim's token; outside the victim's branch, the branch's token too."""
    return [VICTIM] if user_key.startswith("sibling.") else [VICTIM, BRANCH]


def final_path(response) -> str:
    if response.status_code in (301, 302):
        return urlparse(response["Location"]).path
    return response.wsgi_request.path


def is_refused(response, *, in_admin: bool) -> bool:
    """403 or 404; in the admin also its login page (not staff) or its index, where it says
    the record does not exist."""
    if response.status_code in (403, 404):
        return True
    sent_to = {"/admin/login/", "/admin/"} if in_admin else set()
    return response.status_code in (200, 302) and final_path(response) in sent_to


def fingerprint(world: World) -> dict:
    """The victim's records as stored, and how many rows each model has."""
    return {
        model.__name__: (
            None if model in LOGIN_RECORDS else model._base_manager.count(),
            list(model._base_manager.filter(pk=record.pk).values()),
        )
        for model, record in world.objects.items()
    }


def listed_pks(response) -> set:
    context = response.context
    if context is None or "cl" not in context:
        return set()
    return set(context["cl"].queryset.values_list("pk", flat=True))


def assert_outsider_refused(client, world: World, key: str, user_key: str) -> None:
    case = SWEEP[key]
    client.force_login(world.user(user_key))
    path = case.path(key, world)
    before = fingerprint(world) if case.data is not None else None
    requests = []
    if case.get:
        requests.append(("GET", client.get(path, case.query(world), follow=True)))
    if case.data is not None:
        requests.append(("POST", client.post(path, case.data(world))))
    for method, response in requests:
        where = f"{method} {path} as {user_key}"
        if case.names_record:
            refused = is_refused(response, in_admin=path.startswith("/admin/"))
            assert refused, f"{where}: {response.status_code}, not refused"
        text = body(response)
        for token in tokens_hidden_from(user_key):
            assert token not in text, f"{where}: the response shows the victim's “{token}”"
        if key.endswith("_changelist") and case.model not in SHARED:
            assert world.of(case.model).pk not in listed_pks(response), f"{where}: listed"
    if before is not None:
        assert fingerprint(world) == before, (
            f"POST {path} as {user_key} changed the victim's records"
        )


# --- the sweep ------------------------------------------------------------------------------


def test_every_url_pattern_has_a_sweep_case():
    """A URL added without a case here fails: say how to aim it at the victim, or why it reads
    no record (docs/security.md, Isolation)."""
    missing = sorted(set(ALL_PATTERNS) - set(SWEEP) - set(EXEMPT))
    assert not missing, (
        "URL patterns without an isolation case — add each to SWEEP (or EXEMPT, with the reason) "
        f"in tests/security/test_isolation_sweep.py: {missing}"
    )
    stale = sorted((set(SWEEP) | set(EXEMPT)) - set(ALL_PATTERNS))
    assert not stale, f"Isolation cases for URL patterns that no longer exist: {stale}"


def test_every_admin_model_has_a_victim_record(world):
    """Threat: an admin page added for a new model is swept with nothing to find."""
    missing = [
        model._meta.label
        for model in admin.site._registry
        if model not in SHARED and model not in world.objects
    ]
    assert not missing, f"Give the isolation world a victim's record of: {missing}"


@pytest.mark.parametrize("key", SWEPT)
def test_anonymous_is_sent_to_log_in(client, world, key):
    """Threat: someone with no account reads or changes a record by its URL."""
    case = SWEEP[key]
    path = case.path(key, world)
    before = fingerprint(world)
    if case.get:
        response = client.get(path, case.query(world))
        assert response.status_code in (302, 403), f"GET {path}: {response.status_code}"
        if response.status_code == 302:
            assert final_path(response) in LOGIN_PAGES, f"GET {path} → {response['Location']}"
    if case.data is not None:
        response = client.post(path, case.data(world))
        assert response.status_code in (302, 403), f"POST {path}: {response.status_code}"
        if response.status_code == 302:
            assert final_path(response) in LOGIN_PAGES, f"POST {path} → {response['Location']}"
    assert fingerprint(world) == before


@pytest.mark.parametrize("key", SWEPT)
def test_a_user_of_another_office_is_refused(client, world, key):
    """Threat: an assistant, supervisor or manager of another office — of the victim's branch
    or of another — reads or changes the victim office's records (R-… scoping, STYLE 8)."""
    outsiders = world.outsiders_of_office
    if SWEEP[key].branch_wide:  # the victim's branch is the sibling office's branch too
        outsiders = [user for user in outsiders if not user.startswith("sibling.")]
    for user_key in outsiders:
        assert_outsider_refused(client, world, key, user_key)


@pytest.mark.parametrize("key", SWEPT)
def test_a_branch_role_of_another_branch_is_refused(client, world, key):
    """Threat: the general manager or quality department of another branch reads or changes
    this branch's records (branch roles see every office of *their* branch only)."""
    for user_key in world.outsiders_of_branch:
        assert_outsider_refused(client, world, key, user_key)


def _expected_owner_status(key: str, case: Case, world: World) -> int:
    if case.owner_status is not None:
        return case.owner_status
    request = RequestFactory().get("/")
    request.user = world.user("root")
    model_admin = admin.site._registry[case.model]
    allowed = (
        model_admin.has_add_permission(request)
        if key.endswith("_add")
        else model_admin.has_delete_permission(request, None)
    )
    return 200 if allowed else 403


@pytest.mark.parametrize("key", SWEPT)
def test_the_rightful_user_reaches_it(client, world, key):
    """The sanity case: the office (or branch) the record belongs to does reach it, and sees
    the victim's token where the outsiders must not — so the sweep can fail."""
    case = SWEEP[key]
    client.force_login(world.user(case.owner))
    path = case.path(key, world)
    if case.get:
        response = client.get(path, case.query(world), follow=True)
        assert response.status_code == _expected_owner_status(key, case, world), path
        if response.redirect_chain:  # the admin's "does not exist" is a redirect to its index
            assert final_path(response) not in {*LOGIN_PAGES, "/admin/"}, path
        if case.owner_sees_victim:
            token = BRANCH if case.branch_wide else VICTIM
            assert token in body(response), f"{path} does not show the victim's record"
    if case.data is not None and case.owner_posts:
        response = client.post(path, case.data(world))
        assert response.status_code not in (403, 404), f"POST {path}: {response.status_code}"
        assert response.status_code < 500


REPORT_PAGES = sorted(key for key in DESK if key.startswith("reports:") and DESK[key].names_record)


def _at_branch_report(key: str, world: World) -> str:
    kwargs = {**DESK[key].kwargs(world), "pk": world.branch_report.pk}
    return reverse(key, kwargs=kwargs)


@pytest.mark.parametrize("key", REPORT_PAGES)
def test_a_branch_report_is_for_its_branch_roles_only(client, world, key):
    """Threat: office staff — of the branch's own offices too — or another branch's roles read
    or change the branch's monthly report: it goes to the branch roles (R-QD-2), an office's
    staff read their office's report (R-RPT-1)."""
    case, path = DESK[key], _at_branch_report(key, world)
    office_staff = [f"{o}.{r}" for o in ("victim", "sibling", "other") for r in OFFICE_ROLE_KEYS]
    report = {"commentary": world.branch_report.commentary, "sent": world.branch_report.sent_at}
    for user_key in office_staff + world.outsiders_of_branch:
        client.force_login(world.user(user_key))
        if case.get:
            response = client.get(path)
            assert response.status_code == 404, f"GET {path} as {user_key}"
        if case.data is not None:
            response = client.post(path, case.data(world))
            assert response.status_code == 404, f"POST {path} as {user_key}"
    world.branch_report.refresh_from_db()
    assert report == {
        "commentary": world.branch_report.commentary,
        "sent": world.branch_report.sent_at,
    }
    client.force_login(world.user("home.qd"))  # the sanity case: its quality department
    if case.get:
        response = client.get(path)
        assert response.status_code == 200, path
    else:
        assert client.post(path, case.data(world)).status_code == 302, path
