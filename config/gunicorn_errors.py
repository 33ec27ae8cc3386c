"""gunicorn's own answers to requests it cannot parse, in the desk's clothes.

gunicorn refuses a request before Django sees it when a header holds a raw control byte (a NUL
in a cookie), a Content-Length is no number, or the request line is garbage, and answers with
its bare English page and no security header. `gunicorn.conf.py` (read by gunicorn from the
working directory) puts `write_desk_error` in its place: the desk's error page in the default
language (Chinese), with the Content-Security-Policy, X-Frame-Options and `no-store` every
answer of the desk carries (docs/security.md, malformed requests)."""

from gunicorn import util

_bare_error = util.write_error


def desk_error_response(status_int: int, reason: str) -> bytes:
    from csp.utils import build_policy
    from django.conf import settings
    from django.template.loader import render_to_string
    from django.utils import translation

    template = "500.html" if status_int >= 500 else "400.html"
    with translation.override(settings.LANGUAGE_CODE):
        body = render_to_string(template).encode()
    head = (
        f"HTTP/1.1 {status_int} {reason}\r\n"
        "Connection: close\r\n"
        "Content-Type: text/html; charset=utf-8\r\n"
        f"Content-Length: {len(body)}\r\n"
        f"Content-Security-Policy: {build_policy()}\r\n"
        f"X-Frame-Options: {settings.X_FRAME_OPTIONS}\r\n"
        "X-Content-Type-Options: nosniff\r\n"
        "Cache-Control: max-age=0, no-cache, no-store, must-revalidate, private\r\n"
        f"Content-Language: {settings.LANGUAGE_CODE}\r\n"
        "\r\n"
    )
    return head.encode("latin-1") + body


def write_desk_error(sock, status_int, reason, mesg):
    try:
        response = desk_error_response(status_int, reason)
    except Exception:  # Django not loaded yet, a template missing: gunicorn's page, not none
        _bare_error(sock, status_int, reason, mesg)
        return
    util.write_nonblock(sock, response)


def install() -> None:
    util.write_error = write_desk_error
