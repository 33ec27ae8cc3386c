"""The follow-up suites' instant and their one complaint; the office and its people are the
shared ones of tests/conftest.py."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from tests.factories import ComplaintFactory

SHANGHAI = ZoneInfo("Asia/Shanghai")
T0 = datetime(2026, 11, 16, 9, 0, tzinfo=SHANGHAI)  # a Monday


@pytest.fixture
def complaint(office, assistant):
    return ComplaintFactory(
        office=office,
        received_by=assistant,
        received_at=T0,
        entered_at=T0 + timedelta(minutes=10),
    )
