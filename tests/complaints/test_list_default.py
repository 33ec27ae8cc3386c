"""The complaint list opens on the open complaints, all of them one click away (issue 14)."""

import pytest
from django.urls import reverse

from accounts.roles import Role
from tests.factories import ComplaintFactory, OfficeFactory, staff

pytestmark = pytest.mark.django_db


def numbers(response) -> set[str]:
    return {complaint.number for complaint, _deadline, _waiting in response.context["rows"]}


def test_the_list_opens_on_open_complaints_and_all_is_one_click_away(client):
    office = OfficeFactory()
    client.force_login(staff(Role.CUSTOMER_SUPERVISOR, office=office))
    open_one = ComplaintFactory(office=office)
    closed = ComplaintFactory(office=office, status="superseded")

    first = client.get(reverse("complaints:list"))
    assert numbers(first) == {open_one.number}
    assert 'data-testid="all-complaints"' in first.text

    everything = client.get(reverse("complaints:list"), {"status": ""})
    assert numbers(everything) == {open_one.number, closed.number}
