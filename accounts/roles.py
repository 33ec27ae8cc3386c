"""The roles of the procedure (docs/procedure.md, People) and what each may do.

Kept free of ORM imports so data migrations, templates and tests share one list.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    CLIENT_ASSISTANT = "client_assistant", _("Client assistant")
    CUSTOMER_SUPERVISOR = "customer_supervisor", _("Customer supervisor")
    OFFICE_MANAGER = "office_manager", _("Office manager")
    BRANCH_GM = "branch_gm", _("Branch general manager")
    QUALITY_DEPARTMENT = "quality_department", _("Branch quality department")


OFFICE_ROLES = frozenset({Role.CLIENT_ASSISTANT, Role.CUSTOMER_SUPERVISOR, Role.OFFICE_MANAGER})
BRANCH_ROLES = frozenset({Role.BRANCH_GM, Role.QUALITY_DEPARTMENT})

# Roles that work in the admin site (closure approval, configuration, branch oversight).
STAFF_ROLES = frozenset(
    {Role.CUSTOMER_SUPERVISOR, Role.OFFICE_MANAGER, Role.BRANCH_GM, Role.QUALITY_DEPARTMENT}
)

# The order in which a person holding several roles sees their home page.
HOME_PRIORITY = (
    Role.OFFICE_MANAGER,
    Role.CUSTOMER_SUPERVISOR,
    Role.CLIENT_ASSISTANT,
    Role.QUALITY_DEPARTMENT,
    Role.BRANCH_GM,
)
