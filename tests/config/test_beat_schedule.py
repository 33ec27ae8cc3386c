"""The beat schedule: each clock of the procedure, firing at Asia/Shanghai instants."""

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from celery.schedules import crontab
from django.conf import settings

from config.celery import app

SHANGHAI = ZoneInfo("Asia/Shanghai")
SCHEDULE = settings.CELERY_BEAT_SCHEDULE


def next_run(entry: str, after: datetime) -> datetime:
    """When beat, having last run the entry at `after`, runs it next (clock frozen there)."""
    schedule = SCHEDULE[entry]["schedule"]
    assert isinstance(schedule, crontab)
    schedule.app = app  # as beat binds it
    with time_machine.travel(after, tick=False):
        return after + schedule.remaining_estimate(after)


def test_every_task_in_the_schedule_exists():
    app.loader.import_default_modules()
    assert {entry["task"] for entry in SCHEDULE.values()} <= set(app.tasks)


def test_the_schedule_runs_in_shanghai_time():
    assert app.conf.timezone == "Asia/Shanghai"


@pytest.mark.parametrize(
    "entry, local_time",
    [("supervisor-digest", (8, 0)), ("duty-log-retention", (3, 15))],  # R-FUP-4, R-LOG-3
)
def test_daily_jobs_fire_at_their_shanghai_time(entry, local_time):
    after = datetime(2026, 11, 22, 12, 0, tzinfo=UTC)  # 20:00 in Shanghai
    fires = next_run(entry, after).astimezone(SHANGHAI)
    assert (fires.hour, fires.minute) == local_time
    assert fires.date() == datetime(2026, 11, 23).date()


def test_scans_poll_often_enough_for_the_30_minute_review_and_the_deadlines():
    assert SCHEDULE["shift-reviews"]["schedule"] <= timedelta(minutes=5)  # R-FUP-1
    assert SCHEDULE["deadline-scan"]["schedule"] <= timedelta(minutes=5)
    assert SCHEDULE["escalation-scan"]["schedule"] <= timedelta(minutes=15)  # R-FUP-2/3


@pytest.mark.parametrize(
    "task, queue",
    [
        ("followups.tasks.send_notifications", "mail"),
        ("reports.tasks.mail_branch_report", "mail"),
        ("integrations.tasks.deliver_webhook", "webhooks"),  # a slow receiver too
        ("integrations.tasks.webhook_sweep", "clocks"),
        ("followups.tasks.escalation_scan", "clocks"),  # R-FUP-2/3
        ("followups.tasks.shift_reviews", "clocks"),  # R-FUP-1
        ("reports.tasks.monthly_reports", "clocks"),  # R-RPT-1
        ("complaints.tasks.purge_duty_log", "clocks"),  # R-LOG-3
    ],
)
def test_mail_and_clocks_go_to_their_own_queues(task, queue):
    """A slow mail server must not hold up the clocks (docs/operations.md)."""
    assert app.amqp.router.route({}, task)["queue"].name == queue
