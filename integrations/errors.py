"""The API's answer to a request Django refuses before any view (a NUL in the query string, a
body too large: `BadRequest`, `SuspiciousOperation`): JSON, as the schema documents a 400,
where the desk's pages show their error page."""

from django.http import JsonResponse
from django.utils.translation import gettext
from django.views import defaults


def bad_request(request, exception):
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": gettext("The request could not be read")}, status=400)
    return defaults.bad_request(request, exception)
