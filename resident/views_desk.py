"""The desk's steps on a complaint's tracking link: issue a new one, revoke it."""

from django.http import Http404


def reissue(request, pk):
    raise Http404


def revoke(request, pk):
    raise Http404
