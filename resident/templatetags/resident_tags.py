"""The tracking link's card on the desk's recorded page and complaint page.

The desk's templates load this library (`{% load resident_tags %}`): a template's tag, not a
Python import, so `complaints` and `followups` still import nothing of `resident`."""

import segno
from django import template

from accounts.staffing import works_in

from ..links import live_link, tracking_url

register = template.Library()


@register.inclusion_tag("resident/partials/link_card.html", takes_context=True)
def tracking_link_card(context, complaint):
    request = context.get("request")
    link, token = live_link(complaint)
    url = tracking_url(request, token) if token else ""
    user = getattr(request, "user", None)
    return {
        "complaint": complaint,
        "link": link,
        "url": url,
        "qr": segno.make(url, error="m").svg_data_uri(scale=4, border=2) if url else "",
        "may_change": bool(user and user.is_authenticated and works_in(user, complaint.office)),
        "csrf_token": context.get("csrf_token"),
    }
