"""The one definition of "the complaints of this report" (R-RPT-1, R-QD-2).

A report is about an office or a branch, its subject. Its month is a calendar month in the
subject's time zone — the office's own, China time for a branch — and its complaints are the
subject's complaints received from 00:00 on the 1st to 00:00 on the 1st of the next month, local
time. The KPIs and breakdowns (`kpis.monthly_kpis`), the lists behind each number (`selectors`)
and the exports (`exports`) all take them from here, so a number, its list and its export
cannot disagree about a complaint received at 23:30 UTC on the last day of a month.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from zoneinfo import ZoneInfo

from django.db.models import QuerySet

from accounts.models import Branch, Office
from complaints.models import Complaint

from .months import month_bounds

SHANGHAI_FOR_BRANCHES = "Asia/Shanghai"  # a branch's month is read in China time


def received_in(complaints: QuerySet[Complaint], *, month: date, zone: ZoneInfo) -> QuerySet:
    """The complaints of `complaints` received in the local calendar `month` of `zone`."""
    start, end = month_bounds(month, zone)
    return complaints.filter(received_at__gte=start, received_at__lt=end)


@dataclass(frozen=True)
class ReportSubject:
    """An office or a branch as a report sees it: its offices, their complaints, its zone."""

    offices: QuerySet[Office]
    complaints: QuerySet[Complaint]
    zone: ZoneInfo

    def received(
        self, month: date, *, among: QuerySet[Complaint] | None = None
    ) -> QuerySet[Complaint]:
        """The complaints of this report for `month`; with `among` (a user's scope, e.g.
        `Complaint.objects.visible_to(user)`) only those of them."""
        complaints = self.complaints if among is None else among.filter(office__in=self.offices)
        return received_in(complaints, month=month, zone=self.zone)


def subject_of(*, office: Office | None = None, branch: Branch | None = None) -> ReportSubject:
    """The subject of an office's or a branch's report; give exactly one."""
    if (office is None) == (branch is None):
        raise ValueError("give exactly one of office and branch")
    if office is not None:
        return ReportSubject(
            offices=Office.objects.filter(pk=office.pk),
            complaints=Complaint.objects.filter(office=office),
            zone=office.zone,
        )
    return ReportSubject(
        offices=Office.objects.filter(branch=branch),
        complaints=Complaint.objects.filter(office__branch=branch),
        zone=ZoneInfo(SHANGHAI_FOR_BRANCHES),
    )


def report_subject(report) -> ReportSubject:
    """The subject of a `MonthlyReport`."""
    if report.office_id:
        return subject_of(office=report.office)
    return subject_of(branch=report.branch)


def report_complaints(report, *, among: QuerySet[Complaint] | None = None) -> QuerySet[Complaint]:
    """The complaints of `report`: its subject's, received in its month (office time)."""
    return report_subject(report).received(report.month, among=among)
