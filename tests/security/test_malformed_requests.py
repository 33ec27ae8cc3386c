"""Malformed requests get the desk's 400 page with the desk's headers; errors its 500 page.

Threat: a session cookie carrying a NUL (`"…\\000…"`, which Django's cookie parser decodes, or
the raw byte) made every dynamic page a 500 without any login — an outsider could take the
desk's pages down for a browser, or probe its error handling; refusals that gunicorn or an
outer middleware produced went out without the Content-Security-Policy and X-Frame-Options,
and a 500 was Django's bare English page. Raw sockets against gunicorn, as the outside test
did, because a test client cannot send the raw bytes.
"""

import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.db import connection
from django.test import override_settings
from django.urls import include, path

ROOT = Path(__file__).resolve().parents[2]
SECRET = "k7Qzp2R9vLx4mN8wT0bY6cJ1hF5dS3gA-malformed-request-test-only-secret"
BAD_REQUEST_ZH = "无法读取提交的内容"  # 400.html's heading in Chinese
SERVER_ERROR_ZH = "投诉台出错了"  # 500.html's heading in Chinese

pytestmark = pytest.mark.django_db


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(scope="module")
def gunicorn(django_db_setup, tmp_path_factory):
    """gunicorn with production settings (DEBUG off) on the test database, as deployed: from
    the repository root, so it reads `gunicorn.conf.py`."""
    port = _free_port()
    db = connection.settings_dict
    env = {
        **{key: os.environ[key] for key in ("PATH", "HOME", "LANG") if key in os.environ},
        "DJANGO_SETTINGS_MODULE": "tests.security.gunicorn_settings",
        "DEBUG": "false",
        "SECRET_KEY": SECRET,
        "ALLOWED_HOSTS": "127.0.0.1",
        "SECURE_SSL_REDIRECT": "false",
        "DATABASE_URL": f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}",
    }
    log = (tmp_path_factory.mktemp("gunicorn") / "gunicorn.log").open("w+")
    gunicorn_bin = Path(sys.executable).with_name("gunicorn")
    process = subprocess.Popen(  # noqa: S603
        [str(gunicorn_bin), "config.wsgi", "--bind", f"127.0.0.1:{port}", "--workers", "1"],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        with socket.socket() as probe:
            if probe.connect_ex(("127.0.0.1", port)) == 0:
                break
        time.sleep(0.2)
    else:
        process.kill()
        log.seek(0)
        pytest.fail("gunicorn did not start:\n" + log.read()[-3000:])
    yield port
    process.terminate()
    process.wait(timeout=20)
    log.close()


def send(port: int, request: bytes) -> tuple[str, dict[str, list[str]], str]:
    """The status line, the headers (lower-cased names) and the body of one raw request."""
    with socket.create_connection(("127.0.0.1", port), timeout=20) as sock:
        sock.sendall(request)
        data = b""
        while chunk := sock.recv(65536):
            data += chunk
    head, _, body = data.partition(b"\r\n\r\n")
    status, *lines = head.decode("latin-1").split("\r\n")
    headers: dict[str, list[str]] = {}
    for line in lines:
        name, _, value = line.partition(":")
        headers.setdefault(name.strip().lower(), []).append(value.strip())
    return status, headers, body.decode("utf-8", errors="replace")


def get(path_: str, *extra: bytes) -> bytes:
    return (
        b"\r\n".join(
            [f"GET {path_} HTTP/1.1".encode(), b"Host: 127.0.0.1", *extra, b"Connection: close"]
        )
        + b"\r\n\r\n"
    )


def assert_the_desks_400(status, headers, body, where):
    assert status.split()[1] == "400", f"{where}: {status}"
    assert "'self'" in headers.get("content-security-policy", [""])[0], where
    assert "frame-ancestors 'none'" in headers["content-security-policy"][0], where
    assert headers.get("x-frame-options") == ["DENY"], where
    assert "no-store" in headers.get("cache-control", [""])[0], where
    assert 'data-testid="error-page"' in body and BAD_REQUEST_ZH in body, where


# A NUL or another control character in a cookie, as Django decodes it from a quoted octal
# escape: the browser-side form of the outside test's session cookie.
ESCAPED_COOKIES = [
    b'Cookie: sessionid="abcdefghijkl\\000mnopqrstuvwxyz0123"',
    b'Cookie: sessionid="abcdefghijklmnop\\001qrstuvwxyz"',
    b'Cookie: csrftoken="abcdefghijkl\\000mnop"',
    b'Cookie: django_language="zh-hans\\000"',
]
PAGES = ["/", "/login/", "/complaints/", "/complaints/new/", "/admin/", "/admin/login/"]


@pytest.mark.parametrize(
    "cookie", ESCAPED_COOKIES, ids=["session-nul", "session-soh", "csrf", "language"]
)
@pytest.mark.parametrize("page", PAGES)
def test_a_control_character_in_a_cookie_gets_the_desks_400(gunicorn, page, cookie):
    """Threat: a session cookie with a NUL made every dynamic page a 500, without login."""
    status, headers, body = send(gunicorn, get(page, cookie))
    assert_the_desks_400(status, headers, body, f"{page} {cookie!r}")


def test_the_400_deletes_the_spoiled_cookie(gunicorn):
    """Threat: a spoiled cookie kept the browser out of every page until cleared by hand."""
    _status, headers, _body = send(gunicorn, get("/", ESCAPED_COOKIES[0]))
    deleted = [c for c in headers.get("set-cookie", []) if c.startswith("sessionid=")]
    assert deleted and "Max-Age=0" in deleted[0]


# Bytes gunicorn itself refuses before the desk sees the request (its own bare page before).
RAW_REQUESTS = {
    "raw NUL in the session cookie": get("/", b"Cookie: sessionid=abcdefghijkl\x00mnop"),
    "control byte in User-Agent": get("/login/", b"User-Agent: desk\x01probe"),
    "NUL in a header name": get("/login/", b"X-Pro\x00be: 1"),
    "Content-Length that is no number": (
        b"POST /login/ HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: abc\r\n"
        b"Connection: close\r\n\r\n"
    ),
    "garbage request line": b"GET /login/ HTTP/9\x00\r\nHost: 127.0.0.1\r\n\r\n",
    "header line without a colon": get("/login/", b"NoColonHere"),
}


@pytest.mark.parametrize("name", RAW_REQUESTS)
def test_a_malformed_header_gets_the_desks_400(gunicorn, name):
    """Threat: what gunicorn refused went out as its bare English page with no CSP or
    X-Frame-Options (config.gunicorn_errors)."""
    status, headers, body = send(gunicorn, RAW_REQUESTS[name])
    assert_the_desks_400(status, headers, body, name)


def test_a_host_the_desk_does_not_serve_gets_the_desks_400(gunicorn):
    """Threat: a forged Host header (cache poisoning, password-reset links) — refused by an
    outer middleware, so the 400 went out without the frame and content policies."""
    request = get("/login/").replace(b"Host: 127.0.0.1", b"Host: evil.example")
    assert_the_desks_400(*send(gunicorn, request), "evil Host")


def test_a_clean_request_is_served(gunicorn):
    """The sanity case: the same server answers a well-formed request with the login page."""
    status, headers, body = send(gunicorn, get("/login/"))
    assert status.split()[1] == "200"
    assert headers.get("x-frame-options") == ["DENY"]


def test_the_test_client_gets_the_400_for_a_nul_session_cookie(client):
    """Threat as above, in process: the middleware refuses before the session is read."""
    client.cookies["sessionid"] = "abcdefghijkl\x00mnopqrstuvwxyz0123"
    response = client.get("/complaints/")
    assert response.status_code == 400
    assert BAD_REQUEST_ZH in response.content.decode()


def _raises(request):
    raise RuntimeError("a bug in a view")


urlpatterns = [path("boom/", _raises), path("", include("config.urls"))]


@override_settings(ROOT_URLCONF=__name__)
def test_a_server_error_gets_the_desks_500_page_in_chinese(client):
    """Threat: a bug showed Django's bare English 500 page, without the desk's headers, to a
    front desk that reads Chinese (and told the caller nothing useful)."""
    client.raise_request_exception = False
    response = client.get("/boom/")
    assert response.status_code == 500
    page = response.content.decode()
    assert SERVER_ERROR_ZH in page and 'data-testid="error-page"' in page
    assert "<nav" not in page  # standalone: no navigation, no user, no context processor
    assert "a bug in a view" not in page  # nothing of the error itself
    assert "frame-ancestors 'none'" in response["Content-Security-Policy"]
    assert response["X-Frame-Options"] == "DENY"
    assert "no-store" in response["Cache-Control"]
