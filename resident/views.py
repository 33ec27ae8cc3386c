"""The resident's pages (docs/resident.md): no login; a token opens exactly its complaint."""

from django.http import Http404


def find(request):
    raise Http404


def track(request, token):
    raise Http404


def revisit(request, token):
    raise Http404


def photo(request, token, key):
    raise Http404
