"""Every scheduled job of the desk, by its beat entry's name (`CELERY_BEAT_SCHEDULE`), as a
function of the instant `now`: the registry `manage.py run_clocks` runs to catch up after an
outage. It lives in the top app because it calls every app's jobs (imports point one way).

Each job reads the database rather than what it missed and is idempotent, so running the
registry twice with the same `--at` creates nothing the second time. A job that beat fires at
one instant (the monthly reports at 00:30 on the 1st) is run by the registry only from that
instant on, so a catch-up never does early what beat would not have done yet."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, time
from zoneinfo import ZoneInfo

from complaints.dutylog import purge_old_duty_log
from followups import clocks
from followups.notify import send_pending
from integrations.webhooks import send_due as send_due_webhooks
from resident.mails import send_pending_mails

from .weekly import send_weekly_summaries
from .workflow import SHANGHAI_FOR_BRANCHES, alert_missing_reports, generate_due_reports

MONTHLY_AT = time(0, 30)  # beat's `monthly-reports` instant on the 1st (Asia/Shanghai)


def monthly_reports(*, now: datetime) -> int:
    """Last month's reports, from 00:30 on the 1st on: a catch-up after an outage over that
    instant produces them; one before it does not produce them early."""
    local = now.astimezone(ZoneInfo(SHANGHAI_FOR_BRANCHES))
    if local.day == 1 and local.time() < MONTHLY_AT:
        return 0
    return generate_due_reports(now=now)


def shift_reviews(*, now: datetime) -> int:
    return clocks.open_shift_reviews(now=now) + clocks.flag_late_reviews(now=now)


JOBS: dict[str, Callable[..., int]] = {
    "shift-reviews": shift_reviews,
    "deadline-scan": clocks.deadline_scan,
    "escalation-scan": clocks.escalation_scan,
    "closure-reminders": clocks.closure_reminders,
    "website-scan-check": clocks.website_scan_check,
    "handover-check": clocks.handover_check,
    "major-report-scan": clocks.major_report_scan,
    "calendar-check": clocks.calendar_check,
    "supervisor-digest": clocks.supervisor_digest,
    "weekly-summaries": send_weekly_summaries,
    "monthly-reports": monthly_reports,
    "missing-report-alert": alert_missing_reports,
    "duty-log-retention": purge_old_duty_log,
    "send-notifications": send_pending,
    "webhook-sweep": send_due_webhooks,
    "send-resident-mails": send_pending_mails,
}


def run_all(*, now: datetime) -> dict[str, int]:
    """Run every job once as of `now`, in the order above (the reports after the scans, the
    mail last); returns what each created."""
    return {name: job(now=now) for name, job in JOBS.items()}
