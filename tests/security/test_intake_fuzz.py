"""Hypothesis drives the intake form (issue #7, hostile input; R-REC-2, R-REC-3).

Threat: whatever a caller says, an assistant types or a script posts — any text, any date,
any enum value, NUL and control characters, megabyte-free but hostile — the intake either
records exactly what was posted (with the documented normalisations: trimmed text, the phone
in E.164, no facility unless a facility fault, no agreed reply when answered at once) or shows
the form again with a message and records nothing. Never a 500.

The list's query string is driven too: any parameters give a page, never a 500."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from complaints.models import (
    Channel,
    Classification,
    Complaint,
    FacilityKind,
    Severity,
    Temperament,
    UrgentKind,
)
from complaints.phones import normalise_phone
from tests.factories import BuildingFactory, CategoryFactory

SHANGHAI = ZoneInfo("Asia/Shanghai")
NOW = datetime(2026, 11, 20, 10, 0, tzinfo=SHANGHAI)  # Friday
pytestmark = [pytest.mark.django_db, pytest.mark.frozen_at(NOW)]
FUZZ = settings(
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

# Any character a browser can send (no lone surrogates: they cannot be encoded), NUL included.
CHARACTERS = st.characters(exclude_categories=["Cs"])
PRINTABLE = st.characters(exclude_categories=["Cs", "Cc"])  # plausible text; NUL is garbage
TEXT = st.text(PRINTABLE, max_size=40)


def up_to(field: str):
    """Text up to the model field's own limit, often right at it."""
    limit = Complaint._meta.get_field(field).max_length
    return st.one_of(
        st.text(PRINTABLE, max_size=limit), st.text(PRINTABLE, min_size=limit - 5, max_size=limit)
    )


GARBAGE = st.text(CHARACTERS, max_size=200)


def _local(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M")


# Around NOW (a few in the future, refused: R-REC-2), and anything else as garbage.
NEAR = st.datetimes(min_value=datetime(2026, 11, 17), max_value=datetime(2026, 11, 20, 10, 30))
FAR = st.datetimes(min_value=datetime(1, 1, 1), max_value=datetime(9999, 12, 31))
TIME_GARBAGE = st.one_of(FAR.map(_local), GARBAGE)


@pytest.fixture
def choices(office):
    """The office's own choices an intake form offers."""
    return {
        "office": office,
        "building": BuildingFactory(office=office, name="3栋"),
        "category": CategoryFactory(name="装修噪音"),
    }


def _fields(choices) -> dict[str, tuple]:
    """Each field's (plausible, garbage) values. Plausible ones are often still refused (a
    to-improve complaint without a responsible party, a NUL in a text): both paths run."""
    enum = lambda values: (st.sampled_from(list(values)), GARBAGE)  # noqa: E731
    pk = lambda obj: (st.sampled_from([str(obj.pk), ""]), GARBAGE)  # noqa: E731
    return {
        "office": (st.just(str(choices["office"].pk)), GARBAGE),
        "channel": enum(Channel.values),
        "complainant_name": (st.one_of(st.just("王先生"), up_to("complainant_name")), GARBAGE),
        "phone": (st.sampled_from(["138 0013 8000", "0755-8888 1234", "+8613900139000", ""]),
                  GARBAGE),
        "email": (st.one_of(st.just(""), st.emails().filter(lambda e: len(e) <= 254)), GARBAGE),
        "building": pk(choices["building"]),
        "room": (up_to("room"), GARBAGE),
        "address_note": (up_to("address_note"), GARBAGE),
        "received_at": (NEAR.map(_local), TIME_GARBAGE),
        "category": pk(choices["category"]),
        "classification": enum(Classification.values),
        "responsible_party": (up_to("responsible_party"), GARBAGE),
        "severity": enum(Severity.values),
        "urgent_kind": enum(UrgentKind.values),
        "facility_kind": enum(FacilityKind.values),
        "temperament": enum(Temperament.values),
        "description": (st.one_of(st.just("楼上夜间装修"), TEXT), GARBAGE),
        "customer_request": (TEXT, GARBAGE),
        "reply_due": (st.sampled_from(["2026-11-20T17:00", "2026-11-23T17:00"]), TIME_GARBAGE),
    }  # fmt: skip


@st.composite
def intake_posts(draw, choices):
    """A post with up to three fields spoiled and the rest plausible."""
    fields = _fields(choices)
    spoiled = draw(st.sets(st.sampled_from(sorted(fields)), max_size=3))
    post = {name: draw(pair[name in spoiled]) for name, pair in fields.items()}
    for flag in ("is_major", "answered_at_once"):
        if draw(st.booleans()):
            post[flag] = "on"
    return post


def _aware(local: str) -> datetime:
    return datetime.strptime(local, "%Y-%m-%dT%H:%M").replace(tzinfo=SHANGHAI)


def assert_recorded_as_posted(complaint: Complaint, post: dict):
    """The round trip: what was saved is what was posted, normalised as documented."""
    for name in (
        "complainant_name", "room", "address_note", "responsible_party", "description",
        "customer_request", "email",
    ):  # fmt: skip
        assert getattr(complaint, name) == post[name].strip(), name
    assert complaint.phone == (normalise_phone(post["phone"].strip()) or "")
    for name in ("channel", "classification", "severity", "urgent_kind", "temperament"):
        assert getattr(complaint, name) == post[name], name
    facility = post["facility_kind"] if post["urgent_kind"] == UrgentKind.FACILITY else ""
    assert complaint.facility_kind == facility
    assert complaint.received_at == _aware(post["received_at"])
    answered = "answered_at_once" in post
    assert complaint.answered_at_once is answered
    assert complaint.reply_due == (None if answered else _aware(post["reply_due"]))
    assert complaint.is_major is ("is_major" in post)
    assert str(complaint.office_id) == post["office"]
    assert str(complaint.category_id or "") == post["category"]
    assert str(complaint.building_id or "") == post["building"]


@FUZZ
@given(data=st.data())
def test_intake_records_exactly_what_was_posted_or_says_why_not(assistant_client, choices, data):
    """Threat: a posted value makes intake fail with a 500 or record other than posted."""
    post = data.draw(intake_posts(choices))
    before = Complaint.objects.count()
    response = assistant_client.post(reverse("complaints:intake"), post)  # a 500 raises here
    event(f"intake answered {response.status_code}")
    if response.status_code == 302:
        assert Complaint.objects.count() == before + 1
        assert_recorded_as_posted(Complaint.objects.latest("pk"), post)
    else:
        assert response.status_code == 400
        assert Complaint.objects.count() == before
        assert response.context["form"].errors
        assert 'data-testid="form-errors"' in response.text


QUERY_KEYS = st.one_of(
    st.sampled_from(
        [
            "q", "office", "status", "classification", "channel", "category", "severity",
            "building", "overdue", "received_from", "received_to", "sort", "per_page", "page",
            "received_by__password", "o", "office__branch__name__regex",
        ]
    ),
    st.text(st.characters(exclude_categories=["Cs"], exclude_characters="\x00"), max_size=30),
)  # fmt: skip
QUERY_VALUES = st.one_of(
    st.sampled_from(["open", "valid", "-received_at", "2026-11-20", "2026-02-30", "9999-12-31"]),
    st.integers(min_value=-(10**30), max_value=10**30).map(str),
    st.text(st.characters(exclude_categories=["Cs"], exclude_characters="\x00"), max_size=40),
)


@settings(FUZZ, max_examples=60)
@given(query=st.lists(st.tuples(QUERY_KEYS, QUERY_VALUES), max_size=6))
def test_any_query_string_gives_the_list_never_a_500(assistant_client, choices, query):
    """Threat: a crafted query string takes the complaint list down with a 500."""
    response = assistant_client.get(reverse("complaints:list"), query)
    assert response.status_code == 200


def test_the_anchor_post_is_recorded_as_posted(assistant_client, choices):
    """The strategy's anchor values make a recordable complaint: a generator that only ever
    produced refusals would prove nothing about the round trip."""
    post = {
        "office": str(choices["office"].pk), "channel": "phone", "complainant_name": " 王先生 ",
        "phone": "138 0013 8000", "email": "", "building": str(choices["building"].pk),
        "room": "1502", "address_note": "", "received_at": "2026-11-20T09:40",
        "category": str(choices["category"].pk), "classification": "valid",
        "responsible_party": "", "severity": "general", "urgent_kind": "facility",
        "facility_kind": "lift", "temperament": "", "description": "电梯停运",
        "customer_request": "尽快修复", "reply_due": "2026-11-23T17:00",
    }  # fmt: skip
    assert assistant_client.post(reverse("complaints:intake"), post).status_code == 302
    assert_recorded_as_posted(Complaint.objects.get(), post)
