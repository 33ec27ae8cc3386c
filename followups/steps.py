"""The complaint's steps after intake, in one table: which steps exist, which roles may take
each (at the complaint's office, or its branch for a branch role), in which statuses and for
which classes, and the form that carries it.

The workflow's guards (`followups.workflow`), the step forms the complaint's page offers
(`followups.templatetags.followups_tags`) and the step views all read it, so the page offers a
step exactly when the workflow would accept it from that user (tests/followups/test_steps.py
walks the table). What a step further needs — the typed fields, a revisit outcome that fits,
an owed day-15 report — the workflow checks when it runs."""

from __future__ import annotations

from dataclasses import dataclass, replace

from django import forms
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from accounts.roles import OFFICE_ROLES, Role
from complaints.models import OPEN_STATUSES, Classification, Status

from .forms import (
    ContactForm,
    CorrectiveActionForm,
    DispatchForm,
    EscalationReportForm,
    MajorReportForm,
    RejectClosureForm,
    RevisitForm,
)

HANDLING = (Status.RECORDED, Status.IN_PROGRESS)
CONTACTABLE = (*HANDLING, Status.RESOLVED)
EVERY_CLASS = frozenset(Classification.values)
EXPLAINERS = frozenset({Role.OFFICE_MANAGER, Role.CUSTOMER_SUPERVISOR})  # R-HND-2
MANAGER = frozenset({Role.OFFICE_MANAGER})


@dataclass(frozen=True)
class Step:
    """One row of the table. Most steps are open to every office role and every class and
    carry a form; a row says only where it differs."""

    name: str  # the step's URL name (followups:<name>) and its form's key on the page
    statuses: tuple[str, ...]
    rule: str
    action: str  # "You may not <action> for this office."
    wrong_status: str
    form: type[forms.Form] | None = None
    roles: frozenset[str] = OFFICE_ROLES
    classes: frozenset[str] = EVERY_CLASS
    not_yours: str = ""  # replaces the sentence built from `action`
    wrong_class: str = ""

    def allows(self, roles: frozenset[str], complaint) -> bool:
        return (
            bool(roles & self.roles)
            and complaint.status in self.statuses
            and complaint.classification in self.classes
        )

    def refused_actor(self, roles: frozenset[str]) -> list[str]:
        """Why a user holding `roles` at the complaint's office may not take this step."""
        if roles & self.roles:
            return []
        if self.not_yours:
            return [gettext(self.not_yours)]
        return [gettext("You may not %(action)s for this office.") % {"action": self.action}]

    def refused_now(self, complaint) -> list[str]:
        """Why the complaint, in its status and class, does not take this step now."""
        reasons = []
        if complaint.status not in self.statuses:
            reasons.append(gettext(self.wrong_status))
        if complaint.classification not in self.classes:
            reasons.append(gettext(self.wrong_class))
        return reasons

    def refusals(self, roles: frozenset[str], complaint) -> list[str]:
        return self.refused_actor(roles) + self.refused_now(complaint)


CONTACT = Step(
    name="contact",
    statuses=CONTACTABLE,
    form=ContactForm,
    rule="R-REPLY, R-URG-2",
    action=_("record this contact"),
    wrong_status=_("The complaint is no longer open for contacts."),
)
APPROVE = Step(
    name="approve",
    roles=MANAGER,
    statuses=(Status.REVISITED,),
    rule="R-CLO-1..3",
    action=_("approve closures"),
    not_yours=_("Only the office manager of this office approves closures."),
    wrong_status=_("the complaint has not been revisited with a closing outcome"),
)
STEPS: dict[str, Step] = {
    step.name: step
    for step in (
        CONTACT,
        # The explanation of an invalid complaint is a contact of its own kind (same form).
        replace(
            CONTACT,
            name="explain",
            roles=EXPLAINERS,
            classes=frozenset({Classification.INVALID}),
            rule="R-HND-2",
            wrong_class=_("Only an invalid complaint is explained instead of corrected."),
        ),
        Step(
            name="dispatch",
            statuses=HANDLING,
            form=DispatchForm,
            rule="R-URG-1",
            action=_("dispatch work"),
            wrong_status=_("Only a complaint being handled can be dispatched."),
        ),
        Step(
            name="corrective_action",
            statuses=HANDLING,
            classes=frozenset({Classification.VALID, Classification.TO_IMPROVE}),
            form=CorrectiveActionForm,
            rule="R-HND-1",
            action=_("record corrective actions"),
            wrong_status=_("Only a complaint being handled takes corrective actions."),
            wrong_class=_(
                "An invalid complaint is explained to the customer, not corrected (R-HND-2)."
            ),
        ),
        Step(
            name="resolve",
            statuses=HANDLING,
            rule="R-HND-1/2, R-REV-1",
            action=_("resolve complaints"),
            wrong_status=_("Only a complaint being handled can be resolved."),
        ),
        Step(
            name="revisit",
            statuses=(Status.RESOLVED,),
            form=RevisitForm,
            rule="R-REV-1/2",
            action=_("revisit customers"),
            wrong_status=_("Only a resolved complaint is revisited."),
        ),
        APPROVE,
        # The manager's other answer to the same request (R-CLO-3), with the reason typed.
        replace(
            APPROVE,
            name="reject",
            form=RejectClosureForm,
            rule="R-CLO-3",
            action=_("reject closures"),
            not_yours=_("Only the office manager of this office rejects closures."),
            wrong_status=_("Only a complaint waiting for approval can be rejected."),
        ),
        Step(
            name="escalation_report",
            roles=MANAGER,
            statuses=OPEN_STATUSES,
            form=EscalationReportForm,
            rule="R-FUP-3",
            action=_("report to the branch general manager"),
            not_yours=_("Only the office manager reports to the branch general manager."),
            wrong_status=_("A complaint no longer open is not reported to the branch GM."),
        ),
        # Offered only for a major complaint not reported yet (the tag checks, as the workflow).
        Step(
            name="major_report",
            roles=MANAGER,
            statuses=OPEN_STATUSES,
            form=MajorReportForm,
            rule="R-SEV-1",
            action=_("report major complaints to the branch leadership"),
            not_yours=_("Only the office manager reports a major complaint to the branch."),
            wrong_status=_("A complaint no longer open is not reported to the branch."),
        ),
    )
}


def open_steps(roles: frozenset[str], complaint) -> list[Step]:
    """The steps a user holding `roles` at the complaint's office may take on it now."""
    return [step for step in STEPS.values() if step.allows(roles, complaint)]
