from django.utils.functional import SimpleLazyObject

from accounts.roles import Role
from accounts.staffing import offices_worked_in
from complaints.models import Complaint, Status


def closure_queue(request):
    """The navigation's closure queue for office managers (R-CLO-3): one count, made only when
    a template shows it."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated or Role.OFFICE_MANAGER not in user.roles:
        return {"closures_waiting": None}
    return {
        "closures_waiting": SimpleLazyObject(
            lambda: (
                Complaint.objects.visible_to(user)
                .filter(office__in=offices_worked_in(user), status=Status.REVISITED)
                .count()
            )
        )
    }
