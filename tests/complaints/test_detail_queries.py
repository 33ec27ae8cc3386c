"""The detail page costs the same number of queries however long the complaint's history."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.roles import Role
from followups.workflow import record_contact
from tests.factories import ComplaintFactory, OfficeFactory, staff

pytestmark = pytest.mark.django_db


def detail_queries(client, complaint) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(reverse("complaints:detail", args=[complaint.pk])).status_code == 200
    return len(queries)


def test_detail_queries_do_not_grow_with_the_history(client):
    office = OfficeFactory(code="HY")
    assistant = staff(Role.CLIENT_ASSISTANT, office=office)
    client.force_login(staff(Role.OFFICE_MANAGER, office=office))
    short, long = ComplaintFactory(office=office), ComplaintFactory(office=office)
    record_contact(short, by=assistant, kind="reply", method="phone", summary="答复")
    for i in range(12):
        record_contact(
            long,
            by=staff(Role.CLIENT_ASSISTANT, office=office),
            kind="progress",
            method="phone",
            summary=f"第{i}次进展通报",
            at=long.received_at + timedelta(minutes=i + 1),
        )
    detail_queries(client, short)  # warm the session and caches alike for both
    assert detail_queries(client, long) == detail_queries(client, short)
