import os
import shutil

import pytest

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


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    """Tests create many users; the production hasher is slow on purpose."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


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
        from tests.factories import PASSWORD

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
