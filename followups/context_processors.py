from django.utils.functional import SimpleLazyObject

from .models import Notification


def unread_notifications(request):
    """The navigation's inbox badge: one count on the partial index of unread rows, made only
    when a template shows it (htmx partials don't)."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"unread_count": 0}
    return {
        "unread_count": SimpleLazyObject(
            lambda: Notification.objects.addressed_to(user).unread().count()
        )
    }
