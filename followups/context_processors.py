from django.utils.functional import SimpleLazyObject

from accounts.roles import Role
from accounts.staffing import current_memberships
from complaints.models import Complaint, Status

from .models import Notification


def unread_notifications(request):
    """The navigation's inbox badge, and the office manager's closure queue (R-CLO-3): each
    one count, made only when a template shows it (htmx partials don't). A notice whose matter
    is done is not unread (followups.notices)."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"unread_count": 0, "closure_queue_count": 0}
    return {
        "unread_count": SimpleLazyObject(
            lambda: Notification.objects.addressed_to(user).unread().count()
        ),
        "closure_queue_count": SimpleLazyObject(lambda: closure_queue_count(user)),
    }


def closure_queue_count(user) -> int:
    """Complaints waiting for the approval of `user` as office manager (0 for anyone else)."""
    managed = current_memberships().filter(
        user=user, role=Role.OFFICE_MANAGER, office__isnull=False
    )
    return Complaint.objects.filter(
        status=Status.REVISITED, office__in=managed.values("office")
    ).count()
