"""The attachments of a complaint's page:

    {% load complaint_attachments %}
    {% complaint_attachments complaint %}   the gallery, the documents, and the forms

The rows come prefetched by `selectors.complaint_detail`; which forms show is a courtesy: the
workflow (`complaints.attachments`) checks every upload and withdrawal again."""

from django import template
from django.db.models import Q

from accounts.models import Membership
from accounts.roles import OFFICE_ROLES, Role

from ..attachments import WITHDRAWING_ROLES
from ..forms_attachments import AttachForm, WithdrawForm

register = template.Library()


def _roles(user, complaint) -> set[tuple[str, bool]]:
    """(role, held in the complaint's office itself) for the user's roles there or in its branch."""
    if not user.is_authenticated:
        return set()
    rows = Membership.objects.filter(
        Q(office_id=complaint.office_id) | Q(branch_id=complaint.office.branch_id), user=user
    ).values_list("role", "office_id")
    return {(role, office_id == complaint.office_id) for role, office_id in rows}


@register.inclusion_tag("complaints/partials/attachments.html", takes_context=True)
def complaint_attachments(context, complaint):
    roles = _roles(context["request"].user, complaint)
    in_office = {role for role, here in roles if here}
    attachments = list(complaint.attachments.all())
    shown = [a for a in attachments if not a.is_withdrawn]
    return {
        "complaint": complaint,
        "photos": [a for a in shown if a.is_photo],
        "documents": [a for a in shown if not a.is_photo],
        "withdrawn": [a for a in attachments if a.is_withdrawn],
        "may_attach": bool(in_office & OFFICE_ROLES) or (Role.QUALITY_DEPARTMENT, False) in roles,
        "may_withdraw": bool(in_office & set(WITHDRAWING_ROLES)),
        "attach_form": AttachForm(),
        "withdraw_form": WithdrawForm(),
        "request": context["request"],
    }
