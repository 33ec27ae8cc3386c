"""A worker killed in the middle of a task (threat: the OOM killer, a node lost): the message
is delivered again and the task's effect happens exactly once (R-FUP-2; docs/reliability.md:
acks_late, reject_on_worker_lost, idempotent clocks)."""

import os
import signal
from datetime import timedelta

import psycopg
import pytest
from django.db import connection
from django.utils import timezone

from accounts.roles import Role
from followups.models import Escalation, Notification
from followups.tasks import escalation_scan
from tests.factories import ComplaintFactory, OfficeFactory, staff

from .conftest import children, wait_until

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_task_killed_mid_transaction_runs_again_and_escalates_once(
    postgresql_url, app_on, celery
):
    office = OfficeFactory(code="HY")
    manager = staff(Role.OFFICE_MANAGER, office=office)
    received = timezone.now() - timedelta(days=10, minutes=5)
    complaint = ComplaintFactory(office=office, received_at=received, entered_at=received)
    worker = celery("worker", "--loglevel", "INFO", "--concurrency", "1",
                    "--without-mingle", "--without-gossip")  # fmt: skip
    wait_until(lambda: children(worker.pid), "the worker's pool process", log=celery.log)

    # Hold the escalation table so that the task stops inside its transaction.
    with psycopg.connect(postgresql_url, autocommit=False) as blocker:
        blocker.execute("LOCK TABLE followups_escalation IN SHARE ROW EXCLUSIVE MODE")
        escalation_scan.delay()

        def task_is_waiting():
            with connection.cursor() as cursor:
                cursor.execute(
                    "SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock' "
                    "AND datname = current_database()"
                )
                return cursor.fetchone()[0] > 0

        wait_until(task_is_waiting, "the task to wait on the lock", log=celery.log)
        pool_process = children(worker.pid)[0]
        os.kill(pool_process, signal.SIGKILL)  # mid-task, before its commit
        blocker.rollback()

    wait_until(lambda: Escalation.objects.filter(complaint=complaint).exists(),
               "the escalation after redelivery", log=celery.log)  # fmt: skip
    wait_until(lambda: not task_is_waiting(), "the locks to clear", log=celery.log)
    celery.log.seek(0)
    said = celery.log.read()
    assert "WorkerLostError" in said or "signal 9" in said  # the kill really hit the task
    assert Escalation.objects.filter(complaint=complaint, level=10).count() == 1
    assert Notification.objects.filter(recipient=manager, kind="escalation_10").count() == 1
