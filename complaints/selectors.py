"""Reading for pages: every query starts from the user's scope."""

import operator
import re
from datetime import date, datetime, time, timedelta
from functools import reduce

from django.contrib.postgres.fields import ArrayField
from django.db import connection
from django.db.models import (
    Case,
    Count,
    F,
    Func,
    IntegerField,
    Prefetch,
    Q,
    QuerySet,
    TextField,
    Value,
    When,
)
from django.db.models.functions import StrIndex
from django.db.models.lookups import GreaterThan
from django.shortcuts import get_object_or_404
from django.utils import timezone

from accounts.scoping import visible_offices
from config import logs

from . import searchtext
from .models import (
    OPEN_STATUSES,
    OVERDUE_KINDS,
    Attachment,
    Complaint,
    ComplaintEvent,
    DutyLogEntry,
)
from .phones import normalise_phone
from .queues import queue_condition


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
NUMBER_LIKE = re.compile(r"[A-Za-z0-9]+-\d{6}-\d{4,}")  # HY-202611-0042
EXACT_FILTERS = ("office", "classification", "channel", "category", "severity", "building")


class SearchBigrams(Func):
    """The search text's two-character pieces as an array: the expression a GIN index keeps
    (PostgreSQL, migration complaints 0009), written as the index writes it."""

    template = "string_to_array(%(expressions)s, ' ')"
    output_field = ArrayField(TextField())


def _word(word: str, *, indexed: bool) -> Q:
    # PostgreSQL: from 3 characters on, LIKE is served by the trigram index of the text; a
    # two-character word is one of the text's bigrams exactly when it occurs in it, so the
    # bigram index answers alone (a count then needs no row of the table). One character has
    # neither and filters the user's own offices' rows.
    if indexed and searchtext.indexed(word):
        return Q(search_bigrams__contains=[word])
    if indexed and (grams := searchtext.digit_grams(word)):
        # A number or phone fragment: every number shares the trigrams of its year and month
        # ("202", "026", "-00"), so the trigram index would read posting lists of the whole
        # table; the six-character pieces of its digit run are keys of the bigram index held by
        # a few rows. `strpos` (no index serves it) then checks the word itself on those rows.
        return Q(search_bigrams__contains=grams) & Q(
            GreaterThan(StrIndex("search_text", Value(word)), 0)
        )
    return Q(search_text__contains=word)


def _search(query: searchtext.Query, *, indexed: bool) -> Q:
    """Every word somewhere in the search text (number, phone, complainant, address, category,
    description, request), or the phone typed with spaces or dashes as one run of digits."""
    conditions = reduce(operator.and_, (_word(word, indexed=indexed) for word in query.words))
    if query.digits:
        conditions |= _word(query.digits, indexed=indexed)
    return conditions


def _exact(text: str) -> Q:
    """The complaint whose number or phone is exactly the query: listed first."""
    exact = Q(number=text.strip().upper())
    if phone := normalise_phone(text):
        exact |= Q(phone=phone)
    return exact


def _start_of(day: date) -> datetime:
    """Midnight of `day` in the desk's time zone (Asia/Shanghai unless configured)."""
    return datetime.combine(day, time.min, tzinfo=timezone.get_current_timezone())


def complaint_list(user, filters: dict, *, now: datetime | None = None) -> QuerySet[Complaint]:
    """The complaints `user` may see, narrowed by the validated `filters` of
    `ComplaintFilterForm` (missing or empty values do not filter), in a whitelisted order."""
    complaints = (
        Complaint.objects.visible_to(user)
        .select_related("office", "category", "building", "unit__building")
        .defer("search_text", "search_grams")  # the page shows the record's own fields
    )
    order = ()
    query = searchtext.parse(filters.get("q") or "")
    if not query.empty:
        text = filters["q"]
        indexed = connection.vendor == "postgresql"
        if indexed:
            complaints = complaints.alias(search_bigrams=SearchBigrams("search_grams"))
        complaints = complaints.filter(_search(query, indexed=indexed))
        exact = _exact(text)
        if normalise_phone(text) or NUMBER_LIKE.fullmatch(text.strip()):
            # Exact matches first; only a query that could be exact pays for this ordering
            # (otherwise the newest-first index walks the matches in order).
            complaints = complaints.alias(
                inexact=Case(When(exact, then=Value(0)), default=Value(1))
            )
            order = ("inexact",)
    complaints = complaints.filter(
        **{field: filters[field] for field in EXACT_FILTERS if filters.get(field)}
    )
    if status := filters.get("status"):
        complaints = complaints.open() if status == OPEN else complaints.filter(status=status)
    if kind := filters.get("overdue"):
        complaints = complaints.overdue(kind, now or timezone.now())
    if queue := filters.get("queue"):  # the home page's work queues
        offices = visible_offices(user)
        complaints = complaints.filter(
            queue_condition(queue, offices=offices, now=now or timezone.now())
        )
    if start := filters.get("received_from"):
        complaints = complaints.filter(received_at__gte=_start_of(start))
    if end := filters.get("received_to"):
        complaints = complaints.filter(received_at__lt=_start_of(end + timedelta(days=1)))
    sort = filters.get("sort")
    return complaints.order_by(*order, *COMPLAINT_SORTS.get(sort, COMPLAINT_SORTS[DEFAULT_SORT]))


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
            Prefetch(
                "events",
                ComplaintEvent.objects.select_related("actor").prefetch_related("attachments"),
            ),
            Prefetch(
                "attachments", Attachment.objects.select_related("uploaded_by", "withdrawn_by")
            ),
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
    complaint = get_object_or_404(complaints, pk=pk)
    logs.bind(complaint=complaint.number, office=complaint.office.code)
    return complaint


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
