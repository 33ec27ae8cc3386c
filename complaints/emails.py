"""Customers' e-mail addresses: only plain ones are taken, and every link to one is encoded.

Django's EmailField accepts a quoted local part such as `"x?bcc=evil@e.x"@x.cn`, valid by the
RFC; in a `mailto:` link its `?` starts header fields, so clicking it would copy the mail to
whoever the caller chose. A front desk never needs such an address (docs/security.md)."""

import re
from urllib.parse import quote

from django.utils.translation import gettext_lazy as _

# name@domain: letters, digits, dot, underscore, plus and hyphen before the @ (no quotes,
# no `?` `&` `%` `#` `=`, nothing a mailto link reads as syntax); the domain as Django checks.
PLAIN_LOCAL_PART = re.compile(r"[A-Za-z0-9._+-]+")
PLAIN_EMAIL_ONLY = _(
    "Give the e-mail address as name@domain: letters, digits and . _ + - before the @, "
    "no quotes or other signs."
)


def is_plain_email(address: str) -> bool:
    local, at, _domain = address.rpartition("@")
    return bool(at) and PLAIN_LOCAL_PART.fullmatch(local) is not None


def mailto_href(address: str) -> str:
    """A `mailto:` URL naming exactly this address: everything but its plain characters is
    percent-encoded, so nothing in it can add a header (`?`, `&`) or a fragment (`#`)."""
    return "mailto:" + quote(address, safe="@._+-")
