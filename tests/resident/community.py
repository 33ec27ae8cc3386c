"""What the community-form tests share: a resident's typical submission and a clean count of
submissions on the shared cache."""

import pytest
from django.core.cache import caches

from tests.factories import BuildingFactory


@pytest.fixture(autouse=True)
def fresh_limits():
    """Each test starts with no submission counted (the shared cache outlives a test)."""
    caches["shared"].clear()
    yield
    caches["shared"].clear()


def submission(office, **overrides) -> dict:
    building = BuildingFactory(office=office, name="3栋")
    data = {
        "complainant_name": "王女士",
        "phone": "139 0013 9000",
        "building": building.pk,
        "address": "1单元1502",
        "description": "电梯停了一上午，老人上不了楼",
        "customer_request": "尽快修好电梯",
        "website": "",
    }
    data.update(overrides)
    return data


def sent_from_community(office, *, at=None, **fields):
    """A complaint as a resident's submission leaves it: recorded, waiting for its check."""
    from complaints.community import record_from_community
    from complaints.models import Complaint

    values = {
        "complainant_name": "王女士",
        "phone": "+8613900139000",
        "address_note": "1单元1502",
        "description": "电梯停了一上午",
        "customer_request": "尽快修好电梯",
        **fields,
    }
    return record_from_community(Complaint(office=office, **values), now=at)
