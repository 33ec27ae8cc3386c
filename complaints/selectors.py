"""Reading for pages: every query starts from the user's scope (STYLE 8)."""

import re
from datetime import date, datetime, time, timedelta

from django.db.models import Case, Count, F, IntegerField, Prefetch, Q, QuerySet, Value, When
from django.shortcuts import get_object_or_404
from django.utils import timezone

from .models import OPEN_STATUSES, OVERDUE_KINDS, Complaint, ComplaintEvent, DutyLogEntry
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


OPEN = "open"
"""The status filter's value for every open status at once."""

COMPLAINT_SORTS = {
    # The only orderings the list accepts: user input never reaches order_by unchecked.
    "-received_at": ("-received_at", "-pk"),
    "received_at": ("received_at", "pk"),
    "number": ("number",),
    "-number": ("-number",),
    "reply_due": (F("reply_due").asc(nulls_last=True), "-received_at", "-pk"),
    "next_contact_due": ("next_contact_due", "-received_at", "-pk"),
}
DEFAULT_SORT = "-received_at"
EXACT_FILTERS = ("office", "classification", "channel", "category", "severity", "building")
MIN_PHONE_DIGITS = 4
TRIGRAM = 3


def _search(text: str) -> Q:
    """Number (prefix), phone (as typed in any spacing, or a run of its digits), complainant,
    and the words of the complaint."""
    # On PostgreSQL the trigram indexes (migration complaints 0006) serve `icontains` from 3
    # characters on. A shorter word has no whole trigram: the index would be read end to end,
    # so it is matched as typed (`contains`, no UPPER), which leaves PostgreSQL to filter the
    # office's own rows instead (docs/performance.md). Chinese words have no case anyway.
    words = "icontains" if len(text) >= TRIGRAM else "contains"
    conditions = (
        Q(number__istartswith=text)
        | Q(**{f"complainant_name__{words}": text})
        | Q(**{f"description__{words}": text})
        | Q(**{f"customer_request__{words}": text})
    )
    phone = normalise_phone(text)
    if phone:
        conditions |= Q(phone=phone)
    digits = re.sub(r"\D", "", text)
    if len(digits) >= MIN_PHONE_DIGITS:
        conditions |= Q(phone__contains=digits)
    return conditions


def _start_of(day: date) -> datetime:
    """Midnight of `day` in the desk's time zone (Asia/Shanghai unless configured)."""
    return datetime.combine(day, time.min, tzinfo=timezone.get_current_timezone())


def complaint_list(user, filters: dict, *, now: datetime | None = None) -> QuerySet[Complaint]:
    """The complaints `user` may see, narrowed by the validated `filters` of
    `ComplaintFilterForm` (missing or empty values do not filter), in a whitelisted order."""
    complaints = Complaint.objects.visible_to(user).select_related(
        "office", "category", "building", "unit__building"
    )
    if text := (filters.get("q") or "").strip():
        complaints = complaints.filter(_search(text))
    complaints = complaints.filter(
        **{field: filters[field] for field in EXACT_FILTERS if filters.get(field)}
    )
    if status := filters.get("status"):
        complaints = complaints.open() if status == OPEN else complaints.filter(status=status)
    if kind := filters.get("overdue"):
        complaints = complaints.overdue(kind, now or timezone.now())
    if start := filters.get("received_from"):
        complaints = complaints.filter(received_at__gte=_start_of(start))
    if end := filters.get("received_to"):
        complaints = complaints.filter(received_at__lt=_start_of(end + timedelta(days=1)))
    sort = filters.get("sort")
    return complaints.order_by(*COMPLAINT_SORTS.get(sort, COMPLAINT_SORTS[DEFAULT_SORT]))


def complaint_detail(user, pk: int) -> Complaint:
    """One complaint with everything its page shows; 404 outside the user's scope."""
    complaints = (
        Complaint.objects.visible_to(user)
        .select_related(
            "office",
            "category",
            "building",
            "unit__building",
            "received_by",
            "entered_by",
            "closed_by",
            "handler",
            "linked_to",
            "website_scan",
        )
        .prefetch_related(
            Prefetch("events", ComplaintEvent.objects.select_related("actor")),
            Prefetch(
                "linked_complaints",
                Complaint.objects.visible_to(user).order_by("received_at", "pk"),
            ),
            Prefetch(
                "duty_log_entries",
                DutyLogEntry.objects.select_related("recorder").order_by("occurred_at", "pk"),
            ),
        )
    )
    return get_object_or_404(complaints, pk=pk)


def desk_gauges(*, now: datetime | None = None) -> list[dict]:
    """Per office: its open complaints and how many of them are past each deadline — the
    operator's metrics (docs/operations.md, Metrics), desk-wide, so no user's scope. One
    aggregate over the open complaints (the `complaint_office_status` index)."""
    now = now or timezone.now()
    counts = {
        kind: Count("pk", filter=Complaint.objects.overdue_condition(kind, now))
        for kind, _label in OVERDUE_KINDS
    }
    return list(
        Complaint.objects.open()
        .order_by()
        .values("office__code")
        .annotate(open=Count("pk"), **{f"overdue_{kind}": n for kind, n in counts.items()})
    )
