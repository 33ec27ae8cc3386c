"""PostgreSQL restarts while the desk is in use (threat: a database failover or upgrade):
the pages answer again without restarting the app (CONN_HEALTH_CHECKS; docs/reliability.md).

The test runs its own PostgreSQL cluster in a temporary folder, so that restarting it
disturbs nothing else on the machine."""

import glob
import http.cookiejar
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pytest
from django.db import connection

from .conftest import ROOT, free_port, wait_until

CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def as_postgres(*command, **kwargs):
    prefix = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
    return subprocess.run([*prefix, *command], check=True, capture_output=True, **kwargs)  # noqa: S603


@pytest.fixture
def cluster():
    if connection.vendor != "postgresql":
        pytest.skip("the test restarts a PostgreSQL server: CI runs it")
    binaries = sorted(glob.glob("/usr/lib/postgresql/*/bin/pg_ctl"))
    if not binaries:
        pytest.fail("PostgreSQL's server binaries are needed for this test")
    bin_dir = Path(binaries[-1]).parent
    # Not under pytest's own temporary folder: the server's user must be able to reach it.
    folder = Path(tempfile.mkdtemp(prefix="desk-pg-"))
    if os.geteuid() == 0:
        shutil.chown(folder, "postgres")
    port = free_port()
    as_postgres(str(bin_dir / "initdb"), "-D", str(folder / "data"), "-U", "postgres",
                "--auth=trust", "-E", "UTF8", "--locale=C.UTF-8")  # fmt: skip
    pg_ctl = [str(bin_dir / "pg_ctl"), "-D", str(folder / "data"), "-l", str(folder / "log"),
              "-o", f"-p {port} -k {folder} -c listen_addresses=127.0.0.1", "-w"]  # fmt: skip
    as_postgres(*pg_ctl, "start")
    as_postgres(str(bin_dir / "createdb"), "-h", "127.0.0.1", "-p", str(port), "-U", "postgres",
                "desk")  # fmt: skip
    yield {"url": f"postgres://postgres@127.0.0.1:{port}/desk", "pg_ctl": pg_ctl}
    try:
        as_postgres(*pg_ctl, "-m", "immediate", "stop")
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def test_pages_recover_after_a_postgresql_restart_without_restarting_the_app(cluster):
    env = {
        **os.environ,
        "DATABASE_URL": cluster["url"],
        "DEBUG": "true",
        "CONN_MAX_AGE": "600",
        "ALLOWED_HOSTS": "127.0.0.1",
        "DJANGO_SUPERUSER_PASSWORD": "restart-test-2026",
    }
    env.pop("REDIS_URL", None)

    def manage(*args):
        subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=env, check=True,  # noqa: S603
                       capture_output=True)  # fmt: skip

    manage("migrate", "--noinput", "-v0")
    manage("createsuperuser", "--noinput", "--username", "admin", "--email", "a@example.com")
    port = free_port()
    web = subprocess.Popen(  # noqa: S603
        [str(Path(sys.executable).parent / "gunicorn"), "config.wsgi", "--workers", "2",
         "--bind", f"127.0.0.1:{port}", "--log-level", "warning"],
        cwd=ROOT, env=env,
    )  # fmt: skip
    try:
        base = f"http://127.0.0.1:{port}"
        opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar())
        )

        def status(path):
            try:
                with opener.open(base + path, timeout=10) as response:  # noqa: S310
                    return response.status
            except urllib.error.HTTPError as error:
                return error.code
            except OSError:
                return None

        wait_until(lambda: status("/login/") == 200, "gunicorn to answer")
        with opener.open(base + "/login/") as page:  # noqa: S310
            token = CSRF.search(page.read().decode()).group(1)
        login = urllib.parse.urlencode({"username": "admin", "password": "restart-test-2026",
                                        "csrfmiddlewaretoken": token}).encode()  # fmt: skip
        opener.open(base + "/login/", data=login).close()  # noqa: S310
        # Every worker holds a database connection (CONN_MAX_AGE) when the server goes away.
        assert all(status("/complaints/") == 200 for _ in range(10))
        workers = sorted(int(pid) for pid in Path(f"/proc/{web.pid}/task/{web.pid}/children")
                         .read_text().split())  # fmt: skip
        as_postgres(*cluster["pg_ctl"], "-m", "fast", "restart")
        time.sleep(0.5)
        answers = [status("/complaints/") for _ in range(20)]
        assert answers == [200] * 20  # the first request after the restart reconnects
        assert web.poll() is None
        assert sorted(int(pid) for pid in Path(f"/proc/{web.pid}/task/{web.pid}/children")
                      .read_text().split()) == workers  # not restarted either  # fmt: skip
    finally:
        web.terminate()
        web.wait(timeout=30)
