"""Follow-ups answering events of the complaints app (which does not import this one)."""

from django.dispatch import receiver

from accounts.roles import Role
from accounts.staffing import staff
from complaints.signals import complaint_made_major, complaint_recorded, reply_limit_moved

from .models import Notification
from .notify import notify

Kind = Notification.Kind


@receiver(complaint_recorded)
def tell_who_must_know(sender, complaint, by, now, **kwargs):
    """R-SEV-1: a major complaint goes to the office manager at once; R-QD-1: the manager the
    quality department named as handler is told. Rows in the intake's own transaction."""
    if complaint.is_major:
        _tell_the_managers_it_is_major(complaint, now=now)
    if complaint.handler_id:
        notify(
            complaint.handler,
            Kind.ASSIGNED,
            complaint=complaint,
            key=f"assigned:{complaint.pk}",
            text=complaint.description,
            now=now,
            number=complaint.number,
        )


@receiver(complaint_made_major)
def tell_the_manager_of_a_major_complaint(sender, complaint, by, now, **kwargs):
    """R-SEV-1: a complaint made major by a correction goes to the office manager as at intake."""
    _tell_the_managers_it_is_major(complaint, now=now)


def _tell_the_managers_it_is_major(complaint, *, now) -> None:
    """R-SEV-1: the office managers are told of a major complaint at once (once: the key)."""
    _tell(
        staff(complaint.office, Role.OFFICE_MANAGER),
        Kind.MAJOR,
        complaint,
        key=f"major:{complaint.pk}",
        now=now,
        office=complaint.office.name,
        name=complaint.complainant_name,
        description=complaint.description,
    )


def _tell(users, kind, complaint, *, key: str, now, **figures) -> None:
    """A notice of `kind` about `complaint`, its number among the figures, to each of `users`
    (an empty receiver left out: a complaint still to check has none yet)."""
    for user in users:
        if user is not None:
            notify(user, kind, complaint=complaint, key=key, now=now, number=complaint.number,
                   **figures)  # fmt: skip


@receiver(reply_limit_moved)
def ask_for_a_new_reply_time(sender, complaint, limit, now, **kwargs):
    """A calendar change put the agreed reply past the procedure's limit: the agreed time is not
    moved behind the customer's back; the receiver and supervisors are asked to agree a new one."""
    from django.utils import timezone

    local = timezone.localtime(limit, complaint.office.zone)
    _tell(
        {complaint.received_by, *staff(complaint.office, Role.CUSTOMER_SUPERVISOR)},
        Kind.REPLY_LIMIT_MOVED,
        complaint,
        key=f"reply_limit_moved:{complaint.pk}:{limit:%Y%m%d}",
        now=now,
        limit=f"{local:%Y-%m-%d %H:%M}",
    )
