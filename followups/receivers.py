"""Follow-ups answering events of the complaints app (which does not import this one)."""

from django.dispatch import receiver
from django.utils.translation import gettext as _
from django.utils.translation import override

from accounts.roles import Role
from accounts.staffing import holds, staff
from complaints.signals import complaint_recorded

from .notify import notify


@receiver(complaint_recorded)
def tell_who_must_know(sender, complaint, by, now, **kwargs):
    """R-SEV-1: a major complaint goes to the office manager at once; R-QD-1: the manager the
    quality department named as handler is told. Rows in the intake's own transaction."""
    with override("zh-hans"):
        if complaint.is_major:
            for manager in staff(complaint.office, Role.OFFICE_MANAGER):
                notify(
                    manager,
                    kind="major",
                    complaint=complaint,
                    key=f"major:{complaint.pk}",
                    title=_("Major complaint %(number)s") % {"number": complaint.number},
                    body=_("%(office)s recorded a major complaint from %(name)s: %(description)s")
                    % {
                        "office": complaint.office.name,
                        "name": complaint.complainant_name,
                        "description": complaint.description,
                    },
                    now=now,
                )
        if complaint.handler_id and holds(complaint.handler, Role.OFFICE_MANAGER, complaint.office):
            notify(
                complaint.handler,
                kind="assigned",
                complaint=complaint,
                key=f"assigned:{complaint.pk}",
                title=_("The quality department named you handler of %(number)s")
                % {"number": complaint.number},
                body=complaint.description,
                now=now,
            )
