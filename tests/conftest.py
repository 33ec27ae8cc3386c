"""The preamble every test shares: one clock, one world, one meaning per name.

- `frozen`: the clock, stopped at the instant of the test's `frozen_at` marker (a module says
  `pytestmark = [..., pytest.mark.frozen_at(NOW)]`); a test that moves it asks for `frozen`
  (a time-machine traveller: `frozen.shift(...)`, `frozen.move_to(...)`).
- `english`: the test reads the source wording: its client's language cookie says English and
  so does the active translation (the desk speaks Chinese otherwise).
- `branch` (SZ) and its `office` (HY, 华苑管理处) and `other_office` (CH, 翠湖山庄管理处).
- The people, one per role, each a user (never a login): `assistant` (李娜), `colleague` (a
  second assistant, 王芳), `supervisor` (赵主任) and `manager` of `office`; `branch_gm` and
  `quality` of `branch`; `superuser`. `record(**fields)` makes a complaint of `office` received
  by `supervisor`.
- The logged-in clients: `assistant_client`, `supervisor_client`, `manager_client`,
  `branch_gm_client`, `quality_client`, `superuser_client` are the test's one `client`
  (pytest-django's), logged in as that person; `client_as(user)` logs it in as anyone else.
  A test has one client, so the last login wins.
- The browser: `browser`, `page`, `login` (through the real login page).

Each fixture builds its records with `tests/factories.py`; a test still builds the rest of its
world itself and reads like the rule it proves.
"""

import os
import shutil

import pytest
import time_machine
from django.conf import settings as django_settings
from django.contrib.auth import get_user_model
from django.utils import translation

from accounts.roles import Role
from tests.factories import PASSWORD, BranchFactory, ComplaintFactory, OfficeFactory, staff

# Playwright's sync API runs an event loop in the test thread; the ORM calls the tests make
# next to it are still synchronous and safe.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def pytest_configure(config):
    config.addinivalue_line(
        "markers", "frozen_at(instant): stop the clock at this aware instant (the `frozen` fixture)"
    )


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    """Tests create many users; the production hasher is slow on purpose."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(scope="session", autouse=True)
def attachment_storage(tmp_path_factory):
    """Attachments go to a temporary directory for the session (module-scoped worlds too),
    never into the work tree's var/media/."""
    from django.conf import settings
    from django.test import override_settings

    location = tmp_path_factory.mktemp("media") / "attachments"  # MEDIA_ROOT/attachments
    storage = {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": location, "base_url": None},
    }
    override = override_settings(STORAGES={**settings.STORAGES, "attachments": storage})
    override.enable()
    yield location
    override.disable()


# --- the clock and the language --------------------------------------------------------------


@pytest.fixture(autouse=True)
def frozen(request):
    """The clock stopped at the `frozen_at` marker's instant (no marker: the clock runs, None).

    Autouse, so the clock is stopped before any other fixture builds a record."""
    marker = request.node.get_closest_marker("frozen_at")
    if marker is None:
        yield None
        return
    with time_machine.travel(*marker.args, tick=False) as traveller:
        yield traveller


@pytest.fixture
def english(client):
    """The source wording: the client's language cookie and the active translation say English."""
    client.cookies[django_settings.LANGUAGE_COOKIE_NAME] = "en"
    with translation.override("en"):
        yield


# --- one branch, its offices, one person per role --------------------------------------------


@pytest.fixture
def branch():
    return BranchFactory(code="SZ", name="深圳分公司")


@pytest.fixture
def office(branch):
    return OfficeFactory(code="HY", name="华苑管理处", branch=branch)


@pytest.fixture
def other_office(branch):
    """A second office of the same branch: what `office`'s staff must never see."""
    return OfficeFactory(code="CH", name="翠湖山庄管理处", branch=branch)


@pytest.fixture
def assistant(office):
    return staff(
        Role.CLIENT_ASSISTANT, office=office, full_name="李娜", email="assistant@example.com"
    )


@pytest.fixture
def colleague(office):
    """A second client assistant of `office` (the next shift, the countersignature)."""
    return staff(Role.CLIENT_ASSISTANT, office=office, full_name="王芳")


@pytest.fixture
def supervisor(office):
    return staff(
        Role.CUSTOMER_SUPERVISOR, office=office, full_name="赵主任", email="supervisor@example.com"
    )


@pytest.fixture
def manager(office):
    return staff(
        Role.OFFICE_MANAGER, office=office, full_name="张经理", email="manager@example.com"
    )


@pytest.fixture
def branch_gm(branch):
    return staff(Role.BRANCH_GM, branch=branch, full_name="陈总", email="gm@example.com")


@pytest.fixture
def quality(branch):
    """The branch quality department."""
    return staff(
        Role.QUALITY_DEPARTMENT, branch=branch, full_name="品质部", email="quality@example.com"
    )


@pytest.fixture
def superuser():
    return get_user_model().objects.create_superuser("root", "root@example.com", PASSWORD)


@pytest.fixture
def record(office, supervisor):
    """Make a complaint of `office`, received by `supervisor` (one user: fast tests)."""

    def complaint(**fields):
        fields.setdefault("office", office)
        fields.setdefault("received_by", supervisor)
        return ComplaintFactory(**fields)

    return complaint


# --- the logged-in clients ---------------------------------------------------------------------


@pytest.fixture
def client_as(client):
    """Log the test's client in as `user` and return it."""

    def log_in(user):
        client.force_login(user)
        return client

    return log_in


@pytest.fixture
def assistant_client(client_as, assistant):
    return client_as(assistant)


@pytest.fixture
def supervisor_client(client_as, supervisor):
    return client_as(supervisor)


@pytest.fixture
def manager_client(client_as, manager):
    return client_as(manager)


@pytest.fixture
def branch_gm_client(client_as, branch_gm):
    return client_as(branch_gm)


@pytest.fixture
def quality_client(client_as, quality):
    return client_as(quality)


@pytest.fixture
def superuser_client(client_as, superuser):
    return client_as(superuser)


# --- the browser -------------------------------------------------------------------------------


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    executable = shutil.which("chromium") or shutil.which("chromium-browser")
    if executable is None:
        pytest.fail("Browser tests need Chromium: apt-get install chromium (.ci/run does).")
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser, live_server):
    context = browser.new_context(
        locale="zh-CN", timezone_id="Asia/Shanghai", base_url=live_server.url
    )
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    context.close()


@pytest.fixture
def login(page):
    """Log in through the real login page."""

    def login_as(user, password=None):
        page.goto("/login/")
        page.fill("input[name=username]", user.username)
        page.fill("input[name=password]", password or PASSWORD)
        page.click("button[type=submit]")
        page.wait_for_load_state()
        return page

    return login_as


@pytest.fixture(autouse=True, scope="session")
def in_process_broker():
    """What the test process itself publishes — the on-commit e-mail kicks of the tests that
    commit (transaction=True, live_server) — goes to an in-memory broker. No worker reads the
    shared Redis queue during those tests, so each kick used to stay there (CI checks that none
    is left). Tests with a real worker point the app at their broker and put it back."""
    from config.celery import app

    saved = app.conf.broker_url
    app.conf.broker_url = "memory://"
    yield
    app.conf.broker_url = saved
