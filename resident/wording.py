"""The complaint's state in the resident's words, and the staff's roles instead of names."""

from django.utils.translation import gettext_lazy as _

from accounts.roles import Role
from accounts.staffing import roles_of
from complaints.models import Status

STATE_WORDS = {
    Status.RECORDED: _("We have received your complaint and will contact you soon."),
    Status.IN_PROGRESS: _("We are handling your complaint."),
    Status.RESOLVED: _("We have finished handling your complaint. Are you satisfied?"),
    Status.REVISITED: _(
        "Thank you for your answer. The office manager is checking the handling before the "
        "complaint is closed."
    ),
    Status.CLOSED: _("Your complaint is closed. Thank you for telling us."),
    Status.SUPERSEDED: _(
        "You were not satisfied: we recorded your opinion as a new complaint and handle it again."
    ),
}

# The most senior role first: a person holding two is named by the one the resident would ask for.
_ROLE_ORDER = (Role.OFFICE_MANAGER, Role.CUSTOMER_SUPERVISOR, Role.CLIENT_ASSISTANT)
_STAFF = _("Customer service")


def state_words(status: str) -> str:
    return str(STATE_WORDS.get(status, ""))


def role_label(user, office) -> str:
    """What the resident reads instead of a staff member's name (names never appear)."""
    if user is None:
        return str(_STAFF)
    held = roles_of(user, office)
    for role in _ROLE_ORDER:
        if role in held:
            return str(role.label)
    return str(_STAFF)
