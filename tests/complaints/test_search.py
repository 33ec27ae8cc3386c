"""The list's one search box: what the desk types finds the complaint (R-REC-3 names what a
record holds: number, contact, complainant, address, category, what happened, the request).

Runs on PostgreSQL (the bigram index) and on SQLite (the embedded default, a plain scan)."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.roles import Role
from complaints import searchtext
from complaints.workflow import correct_record
from tests.factories import (
    BuildingFactory,
    CategoryFactory,
    ComplaintFactory,
    OfficeFactory,
    UnitFactory,
    staff,
)

pytestmark = pytest.mark.django_db
SHANGHAI = ZoneInfo("Asia/Shanghai")
NOW = datetime(2026, 12, 1, 10, 0, tzinfo=SHANGHAI)
URL = reverse("complaints:list")


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def office():
    return OfficeFactory(code="HY")


@pytest.fixture
def supervisor(office, client):
    user = staff(Role.CUSTOMER_SUPERVISOR, office=office)
    client.force_login(user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"  # assert the source wording
    return user


@pytest.fixture
def record(office, supervisor):
    def complaint(hours_ago=1, **fields):
        fields.setdefault("office", office)
        fields.setdefault("received_by", supervisor)
        fields.setdefault("received_at", NOW - timedelta(hours=hours_ago))
        # Fixed facts, so that no factory sequence number matches a search by chance.
        fields.setdefault("complainant_name", "张女士")
        fields.setdefault("phone", "+8613912345678")
        fields.setdefault("building", BuildingFactory(office=office, name="9栋"))
        fields.setdefault("category", CategoryFactory(name="其他"))
        return ComplaintFactory(**fields)

    return complaint


def numbers(response) -> list[str]:
    """The numbers of the rows, in the order the page shows them."""
    assert response.status_code == 200
    return [complaint.number for complaint, _deadline, _waiting in response.context["rows"]]


def search(client, text) -> list[str]:
    return numbers(client.get(URL, {"q": text}))


def test_a_fragment_of_the_number_finds_it_anywhere(client, record):
    first, second = record(hours_ago=2), record()
    assert (first.number, second.number) == ("HY-202612-0001", "HY-202612-0002")
    assert search(client, "202612-0002") == [second.number]
    assert search(client, "0001") == [first.number]
    assert search(client, "hy-202612") == [second.number, first.number]


def test_a_fragment_of_the_phone_finds_it_however_it_is_typed(client, record):
    match = record(phone="+8613800138000")
    record(phone="+8613900139001")
    for typed in ("0013 8000", "138-0013-8000", "+86 138 0013 8000", "00138"):
        assert search(client, typed) == [match.number], typed


@pytest.mark.parametrize("typed", ["703", "2栋703", "2栋1单元703", "2-1-703", "２栋７０３"])
def test_the_address_is_found_in_the_forms_the_desk_types(client, record, office, typed):
    second = BuildingFactory(office=office, name="2栋")
    match = record(building=second, unit=UnitFactory(building=second, name="1单元"), room="703")
    third = BuildingFactory(office=office, name="3栋")
    record(building=third, unit=UnitFactory(building=third, name="1单元"), room="1502")
    assert search(client, typed) == [match.number]


def test_the_category_name_finds_its_complaints(client, record):
    noise = record(category=CategoryFactory(name="装修噪音"), description="楼上施工")
    record(category=CategoryFactory(name="电梯故障"), description="电梯停运")
    assert search(client, "装修噪音") == [noise.number]


def test_two_character_words_of_the_description_and_request_are_found(client, record):
    leak = record(description="厨房水管漏水", customer_request="上门维修")
    noise = record(description="夜间施工", customer_request="降低噪音")
    record(description="电梯异响", customer_request="检修电梯")
    assert search(client, "漏水") == [leak.number]
    assert search(client, "噪音") == [noise.number]


def test_every_word_typed_must_match_somewhere(client, record, office):
    second = BuildingFactory(office=office, name="2栋")
    wang = record(complainant_name="王先生", building=second, room="703")
    record(complainant_name="李女士", building=second, room="703")
    record(complainant_name="王先生", building=second, room="1502")
    assert search(client, "王 703") == [wang.number]


def test_an_exact_phone_comes_first_then_the_newest(client, record):
    caller = record(hours_ago=48, phone="+8613800138000", description="楼上漏水")
    neighbour = record(hours_ago=1, description="邻居 13800138000 代为投诉")
    assert search(client, "13800138000") == [caller.number, neighbour.number]
    assert search(client, "漏水 13800138000") == [caller.number]


def test_an_exact_number_comes_first_then_the_newest(client, record):
    earlier = record(hours_ago=48)
    repeat = record(hours_ago=1, description=f"同 {earlier.number} 再次投诉")
    assert search(client, earlier.number) == [earlier.number, repeat.number]
    assert search(client, earlier.number.lower()) == [earlier.number, repeat.number]


def test_without_an_exact_match_the_newest_comes_first(client, record):
    older = record(hours_ago=30, description="水管漏水")
    newer = record(hours_ago=2, description="阳台漏水")
    assert search(client, "漏水") == [newer.number, older.number]


def test_the_list_says_what_matched(client, record, office):
    second = BuildingFactory(office=office, name="2栋")
    match = record(building=second, room="703", description="703 室楼上漏水")
    response = client.get(URL, {"q": "703"})
    assert numbers(response) == [match.number]
    assert "Matched: address, what happened" in response.text


def test_another_offices_complaints_are_never_found(client, record):
    ComplaintFactory(office=OfficeFactory(code="BH"), description="楼上漏水")
    ours = record(description="楼上漏水")
    assert search(client, "漏水") == [ours.number]


def test_a_corrected_record_is_found_by_its_new_facts(client, record, office):
    complaint = record(room="1502")
    complaint.room = "703"
    correct_record(
        complaint, by=staff(Role.OFFICE_MANAGER, office=office), changed={"room": "room"}
    )
    assert search(client, "703") == [complaint.number]
    assert search(client, "1502") == []


def test_a_search_costs_the_queries_of_the_plain_list(client, record, office):
    for _ in range(3):
        building = BuildingFactory(office=office)
        record(building=building, unit=UnitFactory(building=building), description="楼上漏水")
    with CaptureQueriesContext(connection) as plain:
        client.get(URL)
    with CaptureQueriesContext(connection) as searched:
        assert len(search(client, "漏水")) == 3
    assert len(searched) == len(plain)


def test_search_text_keeps_each_part_in_its_own_segment():
    parts = searchtext.segments(
        number="HY-202612-0001", phone="+8613800138000", complainant="王先生",
        building="2栋", unit="1单元", room="703", address_note="", category="装修噪音",
        description="楼上  装修\n噪音", request="停止施工",
    )  # fmt: skip
    assert parts["phone"] == "13800138000"
    assert parts["address"].split() == ["2栋1单元703", "2栋703", "2-1-703", "2-703", "703"]
    assert searchtext.search_text(parts).split("\n")[5] == "楼上 装修 噪音"


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the bigram index is PostgreSQL's")
def test_a_two_character_word_is_served_by_the_bigram_index(client, record):
    from complaints.selectors import complaint_list

    # Whoever reads every office (here a superuser) has no office index to fall back on: the
    # plan must be able to use the index, or the query's expression drifted from the index's.
    record(description="楼上漏水")
    everyone = get_user_model().objects.create_superuser("root", "root@example.invalid", "x")
    queryset = complaint_list(everyone, {"q": "漏水"})
    with connection.cursor() as cursor:
        # No table walk, and no walk of another index with the condition as a filter (which
        # earlier tests' statistics can make cheaper): only an index serving it remains.
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SET LOCAL enable_indexscan = off")
        plan = queryset.explain()
    assert "complaint_search_bigrams" in plan


def test_a_common_word_is_counted_up_to_the_cap(client, record, monkeypatch):
    from complaints.views.browse import SearchPaginator

    monkeypatch.setattr(SearchPaginator, "cap", 3)
    newest_first = [record(hours_ago=5 - n, description="楼上漏水").number for n in range(5)][::-1]
    response = client.get(URL, {"q": "漏水"})
    assert numbers(response) == newest_first[:4]  # the pages reach the newest cap + 1
    assert "More than 3 complaints" in response.text
    response = client.get(URL)  # the plain list still counts exactly
    assert "5 complaints" in response.text


def test_a_number_fragment_is_matched_as_typed_not_piece_by_piece(client, record):
    # The index finds the rows holding every six-character piece of "8765432"; the word itself
    # must still occur: "876543 765432" holds both pieces, apart.
    whole = record(hours_ago=2, description="回执 8765432 号")
    apart = record(hours_ago=1, description="回执 876543 与 765432")
    assert search(client, "8765432") == [whole.number]
    assert search(client, "765432") == [apart.number, whole.number]


def test_six_digits_of_the_phone_find_it(client, record):
    match = record(phone="+8613800138000")
    record(phone="+8613900139001")
    assert search(client, "800138") == [match.number]
    assert search(client, "138001") == [match.number]


def test_a_number_fragment_costs_the_queries_of_the_plain_list(client, record):
    first = record(hours_ago=2)
    record()
    with CaptureQueriesContext(connection) as plain:
        client.get(URL)
    with CaptureQueriesContext(connection) as searched:
        assert search(client, first.number.split("-", 1)[1]) == [first.number]
    assert len(searched) == len(plain)


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the bigram index is PostgreSQL's")
def test_a_number_fragment_is_served_by_the_bigram_index_not_the_trigrams(client, record):
    from complaints.selectors import complaint_list

    record()
    everyone = get_user_model().objects.create_superuser("root", "root@example.invalid", "x")
    with connection.cursor() as cursor:  # no table walk: an index must serve the condition
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SET LOCAL enable_indexscan = off")
        plan = complaint_list(everyone, {"q": "202612-0001"}).explain()
    assert "complaint_search_bigrams" in plan
    assert "complaint_search_trgm" not in plan


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the migration's SQL is PostgreSQL's")
def test_the_migrations_sql_computes_the_pieces_as_python_does(record):
    from importlib import import_module

    from complaints.models import Complaint

    migration = import_module("complaints.migrations.0021_search_digit_grams")
    record(description="回执 1234567 号, 2-1-703 室", customer_request="致电 021-6543-2100")
    record(description="楼上漏水", phone="+8613800138000")
    expected = dict(Complaint.objects.values_list("pk", "search_grams"))
    with connection.cursor() as cursor:
        # As 0011 left them: the bigrams alone.
        for pk, text in Complaint.objects.values_list("pk", "search_text"):
            bigrams = {text[i : i + 2] for i in range(len(text) - 1)}
            old = " ".join(sorted(g for g in bigrams if searchtext.indexed(g)))
            cursor.execute(
                "UPDATE complaints_complaint SET search_grams = %s WHERE id = %s", [old, pk]
            )
        cursor.execute(migration.UPDATE)
    assert dict(Complaint.objects.values_list("pk", "search_grams")) == expected
    assert all("202612" in grams.split() for grams in expected.values())  # the number's
