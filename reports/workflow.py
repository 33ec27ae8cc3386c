"""Generating and sending the monthly reports (R-RPT-1, R-QD-2); every write goes through here."""

from __future__ import annotations

import dataclasses
import json
import logging
from datetime import date, datetime, time
from zoneinfo import ZoneInfo

from django.core.serializers.json import DjangoJSONEncoder
from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Branch, Office, User
from accounts.roles import Role
from accounts.staffing import holds, holds_any, staff_ids_by_branch
from complaints.dutylog import RETENTION
from config.celery import delay_or_wait
from followups import notices
from followups.models import Notification
from followups.notify import notify_many

from .breaches import month_breaches
from .kpis import monthly_kpis, monthly_trend
from .models import MonthlyReport
from .months import month_bounds, previous_month
from .subjects import SHANGHAI_FOR_BRANCHES, subject_of

log = logging.getLogger(__name__)
ALERT_AT = time(9, 0)  # R-RPT-1: a report missing by 09:00 on the 1st raises an alert


class ReportRefused(Exception):
    def __init__(self, reasons: list[str]):
        self.reasons = reasons
        super().__init__("; ".join(reasons))


def _jsonable(kpis) -> dict:
    if dataclasses.is_dataclass(kpis):
        kpis = dataclasses.asdict(kpis)
    return json.loads(json.dumps(kpis, cls=DjangoJSONEncoder))


def generate_report(
    *,
    month: date,
    now: datetime,
    office: Office | None = None,
    branch: Branch | None = None,
    regenerate: bool = False,
) -> tuple[MonthlyReport, bool]:
    """The snapshot of one office's or one branch's month; (report, created).

    Without `regenerate` an existing version is returned as is, so the job is idempotent;
    with it a new version is written and earlier ones stay readable."""
    if (office is None) == (branch is None):
        raise ValueError("give exactly one of office and branch")
    subject = {"office": office} if office else {"branch": branch}
    latest = MonthlyReport.objects.filter(month=month, **subject).order_by("-version").first()
    if latest and not regenerate:
        return latest, False
    about = subject_of(office=office, branch=branch)
    data = _jsonable(
        monthly_kpis(about.complaints, month=month, zone=about.zone, offices=about.offices, now=now)
    )
    data["trend"] = monthly_trend(about.complaints, month=month, zone=about.zone)
    # Standard 2 is counted from the duty log, purged after a year (R-LOG-3): a month past
    # retention cannot be recounted, so a new version says so and keeps the earlier figure.
    _month_start, month_end = month_bounds(month, about.zone)
    duty_log_kept = month_end >= now - RETENTION
    if not duty_log_kept:
        data["accepted_recount"] = "purged"
        earlier = latest.data.get("accepted") if latest else None
        if earlier:
            data["accepted"] = earlier
        else:  # nothing to keep: no figure rather than a false one
            data.pop("accepted", None)
    breaches = month_breaches(
        about.complaints, month=month, zone=about.zone, now=now, duty_log_kept=duty_log_kept
    )
    # A dict of counts shows as a breakdown (by grade); the list is the breaches themselves.
    data["breaches_by_grade"], data["breaches"] = breaches["by_grade"], breaches["list"]
    try:
        with transaction.atomic():
            report = MonthlyReport.objects.create(
                month=month,
                version=(latest.version + 1) if latest else 1,
                generated_at=now,
                data=data,
                **subject,
            )
            # R-RPT-1: the report exists, the "missing" notice is done
            notices.resolve_done(kinds=[Notification.Kind.REPORT_MISSING], now=now)
    except IntegrityError:  # another worker wrote this version first
        return MonthlyReport.objects.filter(month=month, **subject).order_by(
            "-version"
        ).first(), False
    return report, True


def generate_due_reports(*, now: datetime) -> int:
    """On the 1st: last month's report of every office and every branch; returns how many were
    created (0 when run again)."""
    created = 0
    for office in Office.objects.select_related("branch"):
        created += generate_report(office=office, month=previous_month(now, office.zone), now=now)[
            1
        ]
    month = previous_month(now, ZoneInfo(SHANGHAI_FOR_BRANCHES))
    for branch in Branch.objects.all():
        report, is_new = generate_report(branch=branch, month=month, now=now)
        created += is_new
        if is_new:
            transaction.on_commit(lambda pk=report.pk: _queue_mail(pk))
    return created


def _queue_mail(report_pk: int) -> None:
    from .tasks import mail_branch_report

    # The report itself is saved.
    delay_or_wait(mail_branch_report, report_pk, log=log, waiting="report %s not mailed")


def without_report(month: date) -> tuple[QuerySet[Office], QuerySet[Branch]]:
    """The offices and the branches that have no report of `month` yet."""
    have_offices = MonthlyReport.objects.filter(month=month, office__isnull=False).values("office")
    have_branches = MonthlyReport.objects.filter(month=month, branch__isnull=False).values("branch")
    return (
        Office.objects.exclude(pk__in=have_offices),
        Branch.objects.exclude(pk__in=have_branches),
    )


def reports_overdue(now: datetime) -> bool:
    """From 09:00 on the 1st (China time) last month's reports should all exist (R-RPT-1)."""
    local = now.astimezone(ZoneInfo(SHANGHAI_FOR_BRANCHES))
    return local.day != 1 or local.time() >= ALERT_AT


def alert_missing_reports(*, now: datetime) -> int:
    """After 09:00 on the 1st, tell the quality department of every office or branch whose
    report of last month is missing (R-RPT-1)."""
    zone = ZoneInfo(SHANGHAI_FOR_BRANCHES)
    local = now.astimezone(zone)
    if local.day != 1 or local.time() < ALERT_AT:
        return 0
    month = previous_month(now, zone)
    offices, branches = without_report(month)
    # The key names the office or branch by id: a name runs to 80 characters, the key to 80.
    missing = [(o.branch_id, f"office{o.pk}", o.name) for o in offices]
    missing += [(b.pk, f"branch{b.pk}", b.name) for b in branches]
    quality = staff_ids_by_branch(None, Role.QUALITY_DEPARTMENT)
    rows = [
        notices.row(
            Notification.Kind.REPORT_MISSING,
            recipient_id=user_id,
            key=f"report_missing:{subject}:{month:%Y%m}",
            branch_id=branch_id,
            name=name,
            month=f"{month:%Y-%m}",
        )
        for branch_id, subject, name in missing
        for user_id in quality.get(branch_id, [])
    ]
    return notify_many(rows, now=now)


def may_edit(report: MonthlyReport, user: User) -> bool:
    """R-RPT-1: an office's report is commented on and sent by its customer supervisor (or
    office manager); R-QD-2: a branch's report is the quality department's own summary."""
    if report.office_id:
        return holds_any(user, (Role.CUSTOMER_SUPERVISOR, Role.OFFICE_MANAGER), report.office)
    return holds(user, Role.QUALITY_DEPARTMENT, report.branch)


def _locked_unsent(report: MonthlyReport, by: User, already_sent: str) -> MonthlyReport:
    if not may_edit(report, by):
        raise ReportRefused(
            [
                _(
                    "An office's report is the customer supervisor's or office manager's; a "
                    "branch's report is the quality department's."
                )
            ]
        )
    report = MonthlyReport.objects.select_for_update().get(pk=report.pk)
    if report.sent_at:
        raise ReportRefused([already_sent])
    return report


def add_commentary(report: MonthlyReport, *, by: User, text: str) -> MonthlyReport:
    """R-RPT-1: the customer supervisor comments on the report before it is marked sent."""
    with transaction.atomic():
        report = _locked_unsent(
            report, by, _("The report was already sent; regenerate it to change it.")
        )
        report.commentary = text.strip()
        report.save(update_fields=["commentary"])
    return report


def mark_sent(report: MonthlyReport, *, by: User, now: datetime | None = None) -> MonthlyReport:
    """R-RPT-1: the supervisor sends an office's report to the branch quality department, who
    are told in their inbox (and by e-mail); a branch's report goes to the branch GM."""
    now = now or timezone.now()
    with transaction.atomic():
        report = _locked_unsent(report, by, _("The report was already sent."))
        report.sent_at, report.sent_by = now, by
        report.save(update_fields=["sent_at", "sent_by"])
        branch_id = report.branch_id or report.office.branch_id
        readers = Role.BRANCH_GM if report.branch_id else Role.QUALITY_DEPARTMENT
        rows = [
            notices.row(
                Notification.Kind.REPORT,
                recipient_id=user_id,
                key=f"report_sent:{report.pk}",
                branch_id=branch_id,
                text=report.commentary,
                name=report.subject,
                month=f"{report.month:%Y-%m}",
            )
            for user_id in staff_ids_by_branch([branch_id], readers)[branch_id]
        ]
        notify_many(rows, now=now)
    return report
