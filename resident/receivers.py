"""How the desk's events reach the resident without the desk importing this app (the imports
point one way: resident → followups → complaints → accounts). Connected in `apps.ready`.

- Every recorded complaint gets its tracking link in the intake transaction (`complaint_recorded`).
- Every timeline event may change what the resident is told: a link issued is mailed at once;
  after any other event's commit, a state different from the last one mailed is mailed (the
  first mail of a complaint, after its intake, is the link's)."""

from functools import partial

from django.db import transaction

from complaints.models import ComplaintEvent

from .links import issue_link
from .mails import note_state, write_mail
from .models import ResidentMail


def issue_at_intake(sender, *, complaint, by, now, **kwargs) -> None:
    issue_link(complaint, by=by, now=now, on_timeline=False)


def mail_what_changed(sender, *, instance: ComplaintEvent, created: bool, raw=False, **kwargs):
    if not created or raw:
        return
    if instance.kind == ComplaintEvent.Kind.TRACKING_LINK:
        write_mail(
            instance.complaint,
            kind=ResidentMail.Kind.LINK,
            key=f"link:{instance.pk}",
            now=instance.at,
        )
    elif instance.kind != ComplaintEvent.Kind.TRACKING_LINK_REVOKED:
        transaction.on_commit(
            partial(note_state, instance.complaint_id, key=f"state:{instance.pk}"), robust=True
        )
