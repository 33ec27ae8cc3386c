"""The API list's `count` for a search stops where the list page's does (issue #20: a common
word's exact count read every matching row; docs/performance.md), the plain list counts
exactly."""

import pytest

from complaints.views.browse import SearchPaginator

pytestmark = pytest.mark.django_db

LIST = "/api/v1/complaints/"


def test_a_searchs_count_stops_after_the_cap_and_the_plain_list_counts_all(
    assistant_client, record, monkeypatch
):
    monkeypatch.setattr(SearchPaginator, "cap", 3)
    numbers = [record(description="楼上漏水").number for _ in range(5)]
    searched = assistant_client.get(LIST, {"q": "漏水", "per_page": 25}).json()
    assert searched["count"] == 4  # more than 3
    assert len(searched["results"]) == 4  # the pages reach the newest cap + 1
    plain = assistant_client.get(LIST).json()
    assert plain["count"] == 5
    assert sorted(row["number"] for row in plain["results"]) == sorted(numbers)
