"""The admin shows each manager only their own office's rows (DESIGN: Scoping)."""

import pytest
from django.urls import reverse

from accounts.roles import Role
from tests.factories import BuildingFactory, OfficeFactory, staff

pytestmark = pytest.mark.django_db


@pytest.fixture
def two_offices():
    a = OfficeFactory(code="A")
    return a, OfficeFactory(code="B", branch=a.branch)


def test_office_list_shows_only_the_managers_office(client, two_offices):
    a, b = two_offices
    client.force_login(staff(Role.OFFICE_MANAGER, office=a))
    response = client.get(reverse("admin:accounts_office_changelist"))
    assert list(response.context["cl"].queryset) == [a]


def test_another_offices_building_cannot_be_opened(client, two_offices):
    a, b = two_offices
    theirs = BuildingFactory(office=b)
    client.force_login(staff(Role.OFFICE_MANAGER, office=a))
    response = client.get(reverse("admin:complaints_building_change", args=[theirs.pk]))
    # The admin answers a missing object with a redirect to its index and a message.
    assert response.status_code == 302
    assert response["Location"] == reverse("admin:index")


def test_new_building_form_offers_only_the_managers_office(client, two_offices):
    a, b = two_offices
    client.force_login(staff(Role.OFFICE_MANAGER, office=a))
    response = client.get(reverse("admin:complaints_building_add"))
    assert list(response.context["adminform"].form.fields["office"].queryset) == [a]


def test_quality_department_sees_every_office_of_the_branch(client, two_offices):
    a, b = two_offices
    client.force_login(staff(Role.QUALITY_DEPARTMENT, branch=a.branch))
    response = client.get(reverse("admin:accounts_office_changelist"))
    assert set(response.context["cl"].queryset) == {a, b}
