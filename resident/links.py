"""Issuing, finding and revoking tracking links (docs/resident.md, "The tracking link").

The token is 256 bits: an HMAC (the site's SECRET_KEY) of a 32-byte random seed. The database
keeps the seed and the token's SHA-256, so the desk can show the link again on the complaint's
page (a key holder derives it) while a copy of the database alone opens no page by its links;
a changed SECRET_KEY leaves issued links working (found by their hash) but no longer shown —
staff issue a new one. The short code is kept as it is: staff read it out on the phone."""

from __future__ import annotations

import hashlib
import secrets
import unicodedata
from base64 import urlsafe_b64encode
from datetime import datetime

from django.conf import settings
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.crypto import salted_hmac

from complaints.models import ComplaintEvent

from .models import CODE_LENGTH, TrackingLink

SEED_BYTES = 32
# No 0/O, 1/I/L: a code read out on the phone is typed back without guessing.
CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
_SALT = "resident.tracking-link"


def _derive(seed: str) -> str:
    digest = salted_hmac(_SALT, seed, algorithm="sha256").digest()
    return urlsafe_b64encode(digest).decode().rstrip("=")


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _new_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


def issue_link(
    complaint, *, by=None, now: datetime | None = None, on_timeline: bool = True
) -> tuple[TrackingLink, str]:
    """A new link for `complaint`, revoking its live one; returns the link and its token.

    `by` is the staff member who asked (None when issued by the resident's own form). The
    timeline says so, and the receiver of that event mails the link (`resident.receivers`), in
    this transaction. The link every complaint gets at intake is issued `on_timeline=False`:
    the "recorded" event stands for it, and its first mail carries the link."""
    now = now or timezone.now()
    with transaction.atomic():
        replaced = TrackingLink.objects.filter(complaint=complaint, revoked_at__isnull=True).update(
            revoked_at=now, revoked_by=by
        )
        for _attempt in range(5):  # a code drawn twice (1 in 10^12) draws again
            seed = secrets.token_hex(SEED_BYTES)
            token = _derive(seed)
            try:
                with transaction.atomic():
                    link = TrackingLink.objects.create(
                        complaint=complaint,
                        seed=seed,
                        token_hash=hash_token(token),
                        code=_new_code(),
                        created_at=now,
                        created_by=by,
                    )
                break
            except IntegrityError:
                continue
        else:  # pragma: no cover — five collisions in a row mean a broken random source
            raise RuntimeError("could not draw a unique tracking code")
        if on_timeline:
            ComplaintEvent.objects.create(
                complaint=complaint,
                kind=ComplaintEvent.Kind.TRACKING_LINK,
                actor=by,
                at=now,
                data={"link": link.pk, "replaced": bool(replaced)},
            )
    return link, token


def revoke_link(link: TrackingLink, *, by=None, now: datetime | None = None) -> TrackingLink:
    """Revoke `link`, with its line on the timeline (a no-op when already revoked)."""
    now = now or timezone.now()
    with transaction.atomic():
        revoked = TrackingLink.objects.filter(pk=link.pk, revoked_at__isnull=True).update(
            revoked_at=now, revoked_by=by
        )
        if revoked:
            link.revoked_at, link.revoked_by = now, by
            ComplaintEvent.objects.create(
                complaint_id=link.complaint_id,
                kind=ComplaintEvent.Kind.TRACKING_LINK_REVOKED,
                actor=by,
                at=now,
                data={"link": link.pk},
            )
    return link


def token_of(link: TrackingLink) -> str | None:
    """The link's token, derived again; None when the secret key changed since it was issued."""
    token = _derive(link.seed)
    return token if hash_token(token) == link.token_hash else None


def live_link(complaint) -> tuple[TrackingLink | None, str | None]:
    """The complaint's live link and its token (derived again), or Nones: what the desk's card,
    the mails and a superseded complaint's page show."""
    link = TrackingLink.objects.live().filter(complaint=complaint).first()
    return link, (token_of(link) if link else None)


def link_for_token(token: str) -> TrackingLink | None:
    """The live link this token opens, or None (unknown, malformed or revoked alike)."""
    if not token or len(token) > 100:
        return None
    return (
        TrackingLink.objects.live()
        .select_related("complaint", "complaint__office")
        .filter(token_hash=hash_token(token))
        .first()
    )


def normalise_code(typed: str) -> str:
    """What the resident typed, as stored: full-width folded, upper case, no spaces or dashes."""
    text = unicodedata.normalize("NFKC", typed or "").upper()
    return "".join(ch for ch in text if ch.isalnum())


def link_for_code(typed: str) -> TrackingLink | None:
    code = normalise_code(typed)
    if len(code) != CODE_LENGTH or any(ch not in CODE_ALPHABET for ch in code):
        return None
    return TrackingLink.objects.live().filter(code=code).first()


def tracking_url(request_or_none, token: str) -> str:
    """The tracking page's full address: from the request when there is one, else from
    `RESIDENT_BASE_URL` (the mails, written by a worker)."""
    path = reverse("resident:track", args=[token])
    if request_or_none is not None:
        return request_or_none.build_absolute_uri(path)
    return settings.RESIDENT_BASE_URL.rstrip("/") + path
