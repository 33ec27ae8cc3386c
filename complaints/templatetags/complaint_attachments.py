"""The attachments of a complaint's page:

    {% load complaint_attachments %}
    {% complaint_attachments complaint %}   the gallery, the documents, and the forms

The rows come prefetched by `selectors.complaint_detail`; which forms show is a courtesy: the
workflow (`complaints.attachments`) checks every upload and withdrawal again."""

from django import template

from accounts.roles import OFFICE_ROLES, Role
from accounts.staffing import roles_of

from ..attachments import WITHDRAWING_ROLES
from ..forms_attachments import AttachForm, WithdrawForm

register = template.Library()


@register.inclusion_tag("complaints/partials/attachments.html", takes_context=True)
def complaint_attachments(context, complaint):
    roles = roles_of(context["request"].user, complaint.office)
    attachments = list(complaint.attachments.all())
    shown = [a for a in attachments if not a.is_withdrawn]
    return {
        "complaint": complaint,
        "photos": [a for a in shown if a.is_photo],
        "documents": [a for a in shown if not a.is_photo],
        "withdrawn": [a for a in attachments if a.is_withdrawn],
        "may_attach": bool(roles & (OFFICE_ROLES | {Role.QUALITY_DEPARTMENT})),
        "may_withdraw": bool(roles & set(WITHDRAWING_ROLES)),
        "attach_form": AttachForm(),
        "withdraw_form": WithdrawForm(),
        "request": context["request"],
    }
