"""Reading for pages: every query starts from the user's scope (STYLE 8)."""

from django.db.models import Case, IntegerField, Q, QuerySet, Value, When

from .models import OPEN_STATUSES, Complaint
from .phones import normalise_phone


def earlier_complaints(
    user, *, phone: str = "", building_id=None, room: str = "", limit: int = 10
) -> QuerySet[Complaint]:
    """The same customer's earlier complaints — by phone, or by building and room — open first."""
    conditions = Q()
    normalised = normalise_phone(phone) if phone else None
    if normalised:
        conditions |= Q(phone=normalised)
    if building_id and room.strip():
        conditions |= Q(building_id=building_id, room__iexact=room.strip())
    if not conditions:
        return Complaint.objects.none()
    return (
        Complaint.objects.visible_to(user)
        .filter(conditions)
        .select_related("office", "category", "building", "unit")
        .annotate(
            open_first=Case(
                When(status__in=OPEN_STATUSES, then=Value(0)),
                default=Value(1),
                output_field=IntegerField(),
            )
        )
        .order_by("open_first", "-received_at")[:limit]
    )
