"""The daily job that keeps the duty log for one year (R-LOG-3)."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine

from complaints.models import DutyLogEntry
from complaints.tasks import purge_duty_log
from config.celery import app
from tests.factories import DutyLogEntryFactory, OfficeFactory

SHANGHAI = ZoneInfo("Asia/Shanghai")
NOW = datetime(2026, 11, 20, 3, 15, tzinfo=SHANGHAI)


def test_the_beat_schedule_runs_the_retention_task():
    entry = app.conf.beat_schedule["duty-log-retention"]
    assert entry["task"] == purge_duty_log.name == "complaints.tasks.purge_duty_log"


@pytest.mark.parametrize(
    "at, due",
    [
        (datetime(2026, 11, 21, 3, 14, tzinfo=SHANGHAI), False),
        (datetime(2026, 11, 21, 3, 15, 30, tzinfo=SHANGHAI), True),
    ],
)
def test_the_retention_runs_daily_at_0315_shanghai_time(at, due):
    # R-LOG-3; a crontab read in UTC would fire at 11:15 Shanghai time instead
    schedule = app.conf.beat_schedule["duty-log-retention"]["schedule"]
    with time_machine.travel(at, tick=False):
        assert schedule.is_due(NOW).is_due is due


@pytest.mark.django_db
def test_the_task_deletes_the_lines_older_than_a_year_as_of_now():
    office = OfficeFactory()
    DutyLogEntryFactory(office=office, occurred_at=NOW - timedelta(days=366))
    kept = DutyLogEntryFactory(office=office, occurred_at=NOW - timedelta(days=364))
    with time_machine.travel(NOW, tick=False):
        assert purge_duty_log.apply().get() == 1  # R-LOG-3
    assert list(DutyLogEntry.objects.all()) == [kept]
