"""The admin shows each manager only their own office's rows (docs/architecture.md, Roles and
scoping)."""

import pytest
from django.urls import reverse

from tests.factories import BuildingFactory

pytestmark = pytest.mark.django_db


def test_office_list_shows_only_the_managers_office(manager_client, office):
    response = manager_client.get(reverse("admin:accounts_office_changelist"))
    assert list(response.context["cl"].queryset) == [office]


def test_another_offices_building_cannot_be_opened(manager_client, office, other_office):
    theirs = BuildingFactory(office=other_office)
    response = manager_client.get(reverse("admin:complaints_building_change", args=[theirs.pk]))
    # The admin answers a missing object with a redirect to its index and a message.
    assert response.status_code == 302
    assert response["Location"] == reverse("admin:index")


def test_new_building_form_offers_only_the_managers_office(manager_client, office):
    response = manager_client.get(reverse("admin:complaints_building_add"))
    assert list(response.context["adminform"].form.fields["office"].queryset) == [office]


def test_quality_department_sees_every_office_of_the_branch(quality_client, office, other_office):
    response = quality_client.get(reverse("admin:accounts_office_changelist"))
    assert set(response.context["cl"].queryset) == {office, other_office}
