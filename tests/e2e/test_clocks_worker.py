"""The clocks run by themselves: a real Celery worker and beat on Redis write into the test's
PostgreSQL database (R-FUP-2); notifications kept back by a broker outage go out once the
broker and a worker are up."""

import os
import subprocess
import sys
import time
from datetime import timedelta
from email.header import decode_header, make_header
from pathlib import Path

import pytest
from django.db import connection
from django.utils import timezone
from kombu import pools as kombu_pools

from accounts.roles import Role
from config.celery import app
from followups.models import Escalation, Notification
from followups.notify import notify
from tests.factories import ComplaintFactory, OfficeFactory, staff

pytestmark = pytest.mark.django_db(transaction=True)
ROOT = Path(__file__).resolve().parents[2]
REDIS_URL = os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/5")


@pytest.fixture
def postgresql():
    if connection.vendor != "postgresql":
        pytest.skip("the worker needs a database shared across processes: CI runs it on PostgreSQL")
    db = connection.settings_dict
    return f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


@pytest.fixture
def celery_processes(postgresql, tmp_path):
    """Start a worker and beat on Redis, with the scans polled every two seconds."""
    env = {
        **os.environ,
        "DEBUG": "true",
        "DATABASE_URL": postgresql,
        "REDIS_URL": REDIS_URL,
        "ESCALATION_SCAN_SECONDS": "2",
        "NOTIFICATION_SEND_SECONDS": "2",
        "DEADLINE_SCAN_SECONDS": "3600",
        "SHIFT_REVIEW_SCAN_SECONDS": "3600",
        "CONN_MAX_AGE": "0",
    }
    env.pop("CELERY_BROKER_URL", None)
    log = open(tmp_path / "celery.log", "w+")  # noqa: SIM115
    processes = [
        subprocess.Popen(
            [sys.executable, "-m", "celery", "--app", "config", *args],
            cwd=ROOT,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        for args in (
            [
                "worker",
                "--loglevel",
                "INFO",
                "--pool",
                "solo",
                "--without-mingle",
                "--without-gossip",
            ],
            ["beat", "--loglevel", "INFO", "--schedule", str(tmp_path / "beat-schedule")],
        )
    ]
    yield log
    for process in processes:
        process.terminate()
    for process in processes:
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
    log.close()


def reset_producer_pools():
    """Drop the app's cached broker connections so the next publish uses the current URL."""
    kombu_pools.reset()
    app._pool = None
    app.amqp._producer_pool = None


def wait_until(condition, log, timeout=90):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.5)
    log.seek(0)
    pytest.fail(f"not reached within {timeout}s; celery said:\n{log.read()[-4000:]}")


def test_beat_and_worker_raise_the_day_ten_alert_by_themselves(celery_processes):
    office = OfficeFactory(code="HY")
    manager = staff(Role.OFFICE_MANAGER, office=office, email="manager@example.com")
    received = timezone.now() - timedelta(days=10, minutes=5)
    complaint = ComplaintFactory(
        office=office, received_at=received, entered_at=received + timedelta(minutes=10)
    )

    wait_until(
        lambda: Escalation.objects.filter(complaint=complaint, level=10).exists(), celery_processes
    )
    # R-FUP-2: the manager is alerted, in the app and by e-mail.
    alert = Notification.objects.get(recipient=manager, kind="escalation_10")
    wait_until(
        lambda: Notification.objects.filter(pk=alert.pk, emailed_at__isnull=False).exists(),
        celery_processes,
    )
    assert Escalation.objects.filter(complaint=complaint).count() == 1


def test_notifications_written_while_the_broker_is_down_are_sent_when_it_is_back(
    postgresql, request
):
    office = OfficeFactory(code="HY")
    manager = staff(Role.OFFICE_MANAGER, office=office, email="manager@example.com")
    complaint = ComplaintFactory(office=office)
    broker, retry = app.conf.broker_url, app.conf.task_publish_retry
    app.conf.broker_url, app.conf.task_publish_retry = "redis://127.0.0.1:1/0", False
    reset_producer_pools()
    try:
        notification = notify(
            manager,
            Notification.Kind.MAJOR,
            key="outage-test",
            complaint=complaint,
            number=complaint.number,
            office=office.name,
            name=complaint.complainant_name,
            description=complaint.description,
        )  # the on-commit kick meets a dead broker and must not raise
    finally:
        app.conf.broker_url, app.conf.task_publish_retry = broker, retry
        reset_producer_pools()
    assert Notification.objects.filter(pk=notification.pk, emailed_at__isnull=True).exists()

    log = request.getfixturevalue("celery_processes")  # the broker and a worker come up
    wait_until(
        lambda: Notification.objects.filter(pk=notification.pk, emailed_at__isnull=False).exists(),
        log,
    )
    log.seek(0)
    printed = log.read()  # the console e-mail backend printed it; the Chinese subject is encoded
    subject = next(line for line in printed.splitlines() if line.startswith("Subject: "))
    decoded = str(make_header(decode_header(subject.removeprefix("Subject: "))))
    assert "To: manager@example.com" in printed and complaint.number in decoded
