from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from accounts.roles import Role
from tests.factories import ComplaintFactory, OfficeFactory, staff

SHANGHAI = ZoneInfo("Asia/Shanghai")
T0 = datetime(2026, 11, 16, 9, 0, tzinfo=SHANGHAI)  # a Monday


@pytest.fixture
def office():
    return OfficeFactory(code="HY")


@pytest.fixture
def assistant(office):
    return staff(Role.CLIENT_ASSISTANT, office=office, email="assistant@example.com")


@pytest.fixture
def supervisor(office):
    return staff(Role.CUSTOMER_SUPERVISOR, office=office, email="supervisor@example.com")


@pytest.fixture
def manager(office):
    return staff(Role.OFFICE_MANAGER, office=office, email="manager@example.com")


@pytest.fixture
def complaint(office, assistant):
    return ComplaintFactory(
        office=office,
        received_by=assistant,
        received_at=T0,
        entered_at=T0 + timedelta(minutes=10),
    )
