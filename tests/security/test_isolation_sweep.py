"""The isolation sweep (issue #7): every URL pattern of the project, the admin's included, as
every kind of outsider.

Threat: staff of one office, or a branch role of another branch, read or change another
office's residents, complaints and records by typing its URLs — ids are sequential, so
guessing them is trivial (docs/architecture.md, Roles and scoping).

`isolation_cases.SWEEP` says, for each pattern, how to aim it at the victim office of
`isolation_world`; `EXEMPT` names the few patterns that read no record and why. A pattern in
neither fails `test_every_url_pattern_has_a_sweep_case`: a new URL cannot ship without its case.
"""

from urllib.parse import urlparse

import pytest
from django.contrib import admin
from django.test import RequestFactory
from django.urls import reverse

from tests.security.isolation_cases import (
    ALL_PATTERNS,
    DESK,
    EXEMPT,
    SHARED,
    SWEEP,
    SWEPT,
    Case,
)
from tests.security.isolation_world import (
    BRANCH,
    LOGIN_RECORDS,
    OFFICE_ROLES,
    VICTIM,
    World,
    world,
)

pytestmark = pytest.mark.django_db
LOGIN_PAGES = {"/login/", "/admin/login/"}
__all__ = ["world"]  # the module-scoped fixture, used by every test below

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
        f"in tests/security/isolation_cases.py: {missing}"
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
    # The REST API answers 401 (it names its token scheme) where the pages send to log in.
    refused = (302, 401, 403) if path.startswith("/api/") else (302, 403)
    if case.get:
        response = client.get(path, case.query(world))
        assert response.status_code in refused, f"GET {path}: {response.status_code}"
        if response.status_code == 302:
            assert final_path(response) in LOGIN_PAGES, f"GET {path} → {response['Location']}"
    if case.data is not None:
        response = client.post(path, case.data(world))
        assert response.status_code in refused, f"POST {path}: {response.status_code}"
        if response.status_code == 302:
            assert final_path(response) in LOGIN_PAGES, f"POST {path} → {response['Location']}"
    assert fingerprint(world) == before


@pytest.mark.parametrize("key", SWEPT)
def test_a_user_of_another_office_is_refused(client, world, key):
    """Threat: an assistant, supervisor or manager of another office — of the victim's branch
    or of another — reads or changes the victim office's records (docs/security.md, Isolation)."""
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


REPORT_PAGES = sorted(  # the report pages, and the API's reports
    key for key in DESK if key.startswith(("reports:", "api:report-")) and DESK[key].names_record
)


def _at_branch_report(key: str, world: World) -> str:
    kwargs = {**DESK[key].kwargs(world), "pk": world.branch_report.pk}
    return reverse(key, kwargs=kwargs)


@pytest.mark.parametrize("key", REPORT_PAGES)
def test_a_branch_report_is_for_its_branch_roles_only(client, world, key):
    """Threat: office staff — of the branch's own offices too — or another branch's roles read
    or change the branch's monthly report: it goes to the branch roles (R-QD-2), an office's
    staff read their office's report (R-RPT-1)."""
    case, path = DESK[key], _at_branch_report(key, world)
    office_staff = [f"{o}.{r}" for o in ("victim", "sibling", "other") for r in OFFICE_ROLES]
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
