from django.conf import settings
from django.core.exceptions import BadRequest
from django.utils import translation
from django.utils.cache import add_never_cache_headers, patch_vary_headers


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
