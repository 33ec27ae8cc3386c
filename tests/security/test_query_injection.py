"""ORM key injection (issue #7, hostile input): sort and filter parameters reach the ORM only
through a whitelist.

Threat: a query string that names a field path — `?sort=received_by__password`,
`?received_by__password__startswith=pbkdf2`, `?o=office__manager__password` — would let a
user order or filter by another table's secret and read it one character at a time (an
ordering or counting oracle), or crash the page with an unknown lookup. The desk's pages parse
every parameter with a form whose choices are fixed (`complaints.filters`,
`complaints.selectors.COMPLAINT_SORTS`); unknown parameters are ignored, invalid values are
named in a message; the admin refuses a lookup outside its `list_filter` with the 400 page."""

import re
from datetime import timedelta
from urllib.parse import urlencode

import pytest
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext, override

from accounts.roles import Role
from tests.factories import BuildingFactory, ComplaintFactory, OfficeFactory, staff

pytestmark = pytest.mark.django_db
LIST = reverse("complaints:list")


@pytest.fixture
def complaints(office, supervisor):
    """Three complaints, newest first, received by users whose password hashes differ."""
    now = timezone.now()
    rows = []
    for hours, password in ((3, "aaaa-secret"), (2, "zzzz-secret"), (1, "mmmm-secret")):
        receiver = staff(Role.CLIENT_ASSISTANT, office=office)
        receiver.set_password(password)
        receiver.save()
        rows.append(
            ComplaintFactory(
                office=office, received_by=receiver, received_at=now - timedelta(hours=hours)
            )
        )
    return [c.number for c in reversed(rows)]  # the default order: newest first


def numbers(response) -> list[str]:
    assert response.status_code == 200
    return re.findall(r'data-testid="complaint-row" data-number="([^"]+)"', response.text)


@pytest.mark.parametrize(
    "sort",
    [
        "received_by__password",
        "-received_by__password",
        "office__manager__password",
        "user__password",
        "received_by__last_login",
        "?",
        "number; DROP TABLE complaints_complaint",
        "pk",
    ],
)
def test_the_list_sorts_only_by_a_whitelisted_key(supervisor_client, complaints, sort):
    """An unknown sort is named in the page's message and the default order is kept."""
    response = supervisor_client.get(LIST, {"sort": sort})
    assert numbers(response) == complaints
    assert 'data-testid="filter-errors"' in response.text


@pytest.mark.parametrize(
    "query",
    [
        {"received_by__password__startswith": "zzzz"},
        {"office__branch__name__regex": "^$"},
        {"complainant_name__startswith": "nobody"},
        {"received_by__is_superuser": "true"},
        {"office__manager__password": "x"},
        {"id__in": "0"},
        {"order_by": "received_by__password"},
        {"o": "received_by__password"},
    ],
)
def test_unknown_filter_parameters_never_reach_the_orm(supervisor_client, complaints, query):
    """Each would empty the list if it were applied; the list stays whole."""
    assert numbers(supervisor_client.get(LIST, query)) == complaints


@pytest.mark.parametrize(
    "field, value",
    [
        ("status", "closed' OR '1'='1"),
        ("classification", "valid__in"),
        ("channel", "phone\nbranch"),
        ("severity", "__all__"),
        ("overdue", "entry__password"),
        ("per_page", "100000"),
        ("category", "1 OR 1=1"),
    ],
)
def test_a_filter_value_outside_its_choices_is_ignored_with_a_message(
    supervisor_client, complaints, field, value
):
    """Threat: a filter value naming a field path filters by another table's secret."""
    response = supervisor_client.get(LIST, {field: value})
    assert numbers(response) == complaints
    assert 'data-testid="filter-errors"' in response.text


def test_a_filter_naming_another_offices_row_shows_none_of_theirs(supervisor_client, complaints):
    """`?office=` and `?building=` take only the user's own offices' rows."""
    theirs = ComplaintFactory(office=OfficeFactory(code="CH"))
    for query in ({"office": theirs.office_id}, {"building": theirs.building_id}):
        response = supervisor_client.get(LIST, query)
        assert theirs.number not in numbers(response)
        assert 'data-testid="filter-errors"' in response.text


def test_report_pages_take_only_known_figures_and_parts(supervisor_client, office, supervisor):
    """`reports:behind` looks the figure and the part up in fixed tables: anything else is
    a 404, and a breakdown value is compared, never used as a field name."""
    from reports.workflow import generate_report

    ComplaintFactory(office=office, received_by=supervisor)
    month = timezone.localtime().date().replace(day=1)
    report, _created = generate_report(month=month, now=timezone.now(), office=office)

    def behind(name, **query):
        url = reverse("reports:behind", args=[report.pk, name])
        return supervisor_client.get(f"{url}?{urlencode(query)}")

    assert behind("office__manager__password").status_code == 404
    assert behind("received_by__password").status_code == 404
    assert behind("entry", part="received_by__password").status_code == 404
    assert behind("by_category", value="x' OR '1'='1").status_code == 200
    assert behind("by_category", value="category__name").status_code == 200
    assert behind("received", part="all", value="pk").status_code == 200


def _the_400_page(response):
    assert response.status_code == 400
    with override("zh-hans"):
        assert gettext("The request could not be read") in response.content.decode()


@pytest.mark.parametrize(
    "query",
    [
        {"office__branch__name__regex": ".*"},
        {"received_by__password__startswith": "pbkdf2"},
        {"entered_by__username__in": "root"},
        {"office__memberships__user__password__contains": "a"},
    ],
)
def test_the_admin_refuses_a_lookup_outside_its_filters(superuser_client, complaints, query):
    """Django refuses it (DisallowedModelAdminLookup); the desk answers with its 400 page."""
    _the_400_page(superuser_client.get(reverse("admin:complaints_complaint_changelist"), query))


@pytest.mark.parametrize("o", ["received_by__password", "99", "-1.2", "x", "0.0.0"])
def test_the_admins_ordering_takes_only_column_numbers(superuser_client, complaints, o):
    """Threat: the admin's `?o=` orders by a field path (an ordering oracle) or gives a 500."""
    response = superuser_client.get(reverse("admin:complaints_complaint_changelist"), {"o": o})
    assert response.status_code == 200


def test_an_admin_filter_on_another_office_shows_none_of_its_rows(manager_client, complaints):
    """A manager's admin list is scoped first; `?office__id__exact=` cannot widen it."""
    theirs = ComplaintFactory(office=OfficeFactory(code="CH"))
    url = reverse("admin:complaints_complaint_changelist")
    response = manager_client.get(url, {"office__id__exact": theirs.office_id})
    assert response.status_code in (200, 302)
    assert theirs.number not in response.content.decode()


def test_a_search_with_lookup_syntax_is_searched_as_text(supervisor_client, complaints):
    """`?q=` is matched as words; `__` or `%` in it is text, not a lookup or a wildcard."""
    for q in ("received_by__password__startswith", "%", "_", "\\"):
        assert numbers(supervisor_client.get(LIST, {"q": q})) == []


def test_the_duty_log_and_scans_take_only_the_users_offices(supervisor_client, office):
    """Threat: `?office=` of another office shows its duty log or website scans."""
    theirs = BuildingFactory(office=OfficeFactory(code="CH")).office
    for name in ("complaints:dutylog", "complaints:scans"):
        response = supervisor_client.get(reverse(name), {"office": theirs.pk})
        assert response.status_code == 400
        assert theirs.name not in response.content.decode()
