"""Two managers approving at once, two workers scanning at once: each effect happens once.

Real threads, each with its own PostgreSQL connection and transaction."""

from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta
from threading import Barrier

import pytest
from django.db import connection, connections

from accounts.roles import Role
from complaints.models import ComplaintEvent
from followups.clocks import escalation_scan
from followups.models import Escalation, Notification
from followups.workflow import (
    ClosureRefused,
    approve_closure,
    record_corrective_action,
    record_revisit,
    resolve,
)
from tests.factories import ComplaintFactory, staff

from .conftest import T0

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def postgresql_only():
    if connection.vendor != "postgresql":
        pytest.skip("row locks need PostgreSQL; CI runs this on PostgreSQL")


def in_parallel(n, work):
    barrier = Barrier(n)

    def run(i):
        try:
            barrier.wait()
            return work(i)
        finally:
            connections.close_all()

    with ThreadPoolExecutor(max_workers=n) as pool:
        return list(pool.map(run, range(n)))


def test_two_managers_approving_at_once_close_it_once(office, assistant):
    complaint = ComplaintFactory(office=office, received_by=assistant)
    managers = [staff(Role.OFFICE_MANAGER, office=office) for _ in range(2)]
    record_corrective_action(complaint, by=assistant, cause="a", correction="b", prevention="c")
    resolve(complaint, by=assistant)
    record_revisit(complaint, by=assistant, method="phone", outcome="satisfied")

    def approve(i):
        try:
            approve_closure(complaint, by=managers[i])
            return "closed"
        except ClosureRefused:
            return "refused"

    assert sorted(in_parallel(2, approve)) == ["closed", "refused"]  # R-CLO-3
    assert complaint.events.filter(kind=ComplaintEvent.Kind.CLOSED).count() == 1


def test_two_workers_running_the_escalation_scan_escalate_once(complaint, manager):
    at = T0 + timedelta(days=16)
    created = in_parallel(2, lambda i: escalation_scan(now=at))
    assert Escalation.objects.count() == 2  # one per level, R-FUP-2/3
    assert sum(created) >= 2
    assert Notification.objects.filter(recipient=manager).count() == 2
