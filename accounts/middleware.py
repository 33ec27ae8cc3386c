import logging

from django.conf import settings
from django.core.exceptions import BadRequest
from django.utils import translation
from django.utils.cache import add_never_cache_headers, patch_vary_headers
from django.views.defaults import bad_request

logger = logging.getLogger("django.security.malformed")


class ChosenLanguageMiddleware:
    """Simplified Chinese unless the user chose another language with the language switch.

    Unlike Django's LocaleMiddleware the browser's Accept-Language is ignored: every front
    desk reads the same words as the procedure, whatever the PC's system language is.
    """

    def __init__(self, get_response):
        self.get_response = get_response
        self.languages = {code for code, _name in settings.LANGUAGES}

    def __call__(self, request):
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        language = chosen if chosen in self.languages else settings.LANGUAGE_CODE
        # override (not activate): the thread's language is restored after the response,
        # so code that runs later on this thread (tasks, tests) is not left in English.
        with translation.override(language):
            request.LANGUAGE_CODE = translation.get_language()
            response = self.get_response(request)
        patch_vary_headers(response, ("Cookie",))
        response.headers.setdefault("Content-Language", language)
        return response


class RefuseNulInQueryMiddleware:
    """A NUL character in the query string is answered with the 400 page.

    PostgreSQL cannot hold NUL in text: a `?status=%00` reaching a filter (the admin's list
    filters, a lookup) would be a 500. Forms refuse NUL in posted text with a field error; a
    link carrying one is not something a person typed (docs/security.md, hostile input)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if any("\x00" in key or "\x00" in value for key, value in _pairs(request.GET)):
            raise BadRequest("NUL character in the query string")
        return self.get_response(request)


# Control characters (C0 and DEL, tab allowed in headers): no browser sends them in a cookie or
# a header, and PostgreSQL cannot store NUL — a session cookie `"abcdefgh\\000…"` (an octal
# escape that Django's cookie parser decodes) made the session lookup fail on every page.
_CONTROL = {chr(code) for code in range(32)} | {"\x7f"}
_CONTROL_IN_HEADER = _CONTROL - {"\t"}


class RefuseMalformedRequestMiddleware:
    """A cookie or a header carrying a control character is answered with the 400 page (the
    desk's page, with its CSP and X-Frame-Options), before anything reads the session. The
    answer also deletes the spoiled cookies, so the browser's next request works again."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        spoiled = [
            name
            for name, value in request.COOKIES.items()
            if _CONTROL.intersection(name) or _CONTROL.intersection(value)
        ]
        in_header = any(
            key.startswith("HTTP_") and isinstance(value, str) and _has_control(value)
            for key, value in request.META.items()
            if key != "HTTP_COOKIE"  # judged cookie by cookie above
        )
        if not spoiled and not in_header:
            return self.get_response(request)
        logger.warning("Malformed request refused: %s", "cookie" if spoiled else "header")
        response = bad_request(request, BadRequest("control character in a cookie or header"))
        for name in spoiled:
            if not _CONTROL.intersection(name):
                response.delete_cookie(name)
        return response


def _has_control(value: str) -> bool:
    return bool(_CONTROL_IN_HEADER.intersection(value))


def _pairs(query):
    for key, values in query.lists():
        for value in values:
            yield key, value


class NoStoreMiddleware:
    """Every page, download and redirect the desk answers is kept by no browser or proxy.

    Front-desk PCs are shared: the next person at the PC must not find a resident's complaint,
    a monthly export or a colleague's inbox in the browser's cache or history (docs/security.md,
    shared PCs). Static files never reach this middleware (whitenoise answers them first and
    lets them be cached); a response that already forbids storing keeps its own header."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if "no-store" not in response.get("Cache-Control", ""):
            add_never_cache_headers(response)
        return response
