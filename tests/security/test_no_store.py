"""Front-desk PCs are shared: nothing the desk answers stays in the browser's cache.

Threat: the next person at a shared front-desk PC (or a proxy between it and the server)
reads the previous user's pages from the cache — a resident's complaint, the duty log, the
inbox, a monthly export — after they logged out. Every URL of the isolation sweep is fetched
by its rightful user and must say `Cache-Control: no-store`; so must what an anonymous
visitor gets (the login redirect) and the error pages.
"""

import pytest
from django.test import override_settings
from django.urls import include, path

from tests.security.isolation_cases import SWEEP, SWEPT
from tests.security.isolation_world import world

pytestmark = pytest.mark.django_db
__all__ = ["world"]  # the module-scoped fixture of the sweep's world


def assert_not_stored(response, where: str) -> None:
    directives = {d.strip() for d in response.get("Cache-Control", "").split(",")}
    assert {"no-store", "private"} <= directives, f"{where}: {response.get('Cache-Control')}"


@pytest.mark.parametrize("key", SWEPT)
def test_every_page_and_download_of_the_rightful_user_is_not_stored(client, world, key):
    """Threat: a desk page, an xlsx/CSV download or an admin page stays in a shared PC's cache."""
    case = SWEEP[key]
    client.force_login(world.user(case.owner))
    url = case.path(key, world)
    if case.get:
        assert_not_stored(client.get(url, case.query(world)), f"GET {url}")
    if case.data is not None:
        assert_not_stored(client.post(url, case.data(world)), f"POST {url}")


@pytest.mark.parametrize("key", SWEPT)
def test_what_an_anonymous_visitor_gets_is_not_stored(client, world, key):
    """Threat: a proxy keeps the redirect to the login page (with its `next`) for everyone."""
    case = SWEEP[key]
    url = case.path(key, world)
    if case.get:
        assert_not_stored(client.get(url, case.query(world)), f"GET {url}")


def _boom(request):
    raise RuntimeError("a bug")


urlpatterns = [path("boom/", _boom), path("", include("config.urls"))]


@override_settings(ROOT_URLCONF=__name__)
def test_the_error_pages_are_not_stored(client):
    """Threat: a 500 or 404 page stays cached in place of the page the user wanted."""
    client.raise_request_exception = False
    assert_not_stored(client.get("/boom/"), "500")
    assert_not_stored(client.get("/nowhere/"), "404")


@override_settings(WHITENOISE_USE_FINDERS=True, WHITENOISE_AUTOREFRESH=True)
def test_static_files_stay_cacheable(client):
    """The sanity case: what whitenoise serves (it answers before the middleware) is left to
    the browser's cache — so the header above is the middleware's doing, not everyone's."""
    response = client.get("/static/css/desk.css")
    assert response.status_code == 200
    assert "no-store" not in response.get("Cache-Control", "")
