"""Parallel intakes draw distinct numbers (the sequence row is locked), on PostgreSQL."""

from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta

import pytest
from django.db import connection, connections
from django.utils import timezone

from accounts.roles import Role
from complaints.models import Complaint
from complaints.workflow import record_complaint
from tests.factories import CategoryFactory, OfficeFactory, staff

pytestmark = pytest.mark.django_db(transaction=True)


def test_parallel_intakes_get_distinct_consecutive_numbers():
    if connection.vendor != "postgresql":
        pytest.skip("row locks need PostgreSQL; CI runs this on PostgreSQL")
    office = OfficeFactory(code="HY")
    category = CategoryFactory()
    assistants = [staff(Role.CLIENT_ASSISTANT, office=office) for _ in range(4)]

    def intake(i):
        try:
            complaint = Complaint(
                office=office,
                complainant_name=f"业主{i}",
                phone="+8613800138000",
                received_at=timezone.now() - timedelta(minutes=5),
                channel="phone",
                category=category,
                description="并发录入",
                answered_at_once=True,
            )
            return record_complaint(complaint, by=assistants[i % 4]).number
        finally:
            connections.close_all()

    with ThreadPoolExecutor(max_workers=8) as pool:
        numbers = list(pool.map(intake, range(24)))
    period = timezone.localtime().strftime("%Y%m")
    assert sorted(numbers) == [f"HY-{period}-{n:04d}" for n in range(1, 25)]
