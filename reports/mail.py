"""E-mail a branch's monthly report, with the branch's and its offices' xlsx attached."""

import logging

from django.core.mail import EmailMessage
from django.utils.translation import gettext as _
from django.utils.translation import override

from accounts.roles import Role
from accounts.staffing import staff
from followups.notify import one_line

from .exports import kpi_rows, report_xlsx
from .models import MonthlyReport

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
log = logging.getLogger(__name__)


def send_branch_report(report_pk: int) -> int:
    report = MonthlyReport.objects.select_related("branch").get(pk=report_pk)
    recipients = sorted(
        staff(report.branch, Role.QUALITY_DEPARTMENT)
        .exclude(email="")
        .values_list("email", flat=True)
        .distinct()
    )
    if not recipients:
        return 0
    offices = _latest_office_reports(report)
    with override("zh-hans"):
        lines = [f"{name}: {met}/{of}" for name, met, of, _share in kpi_rows(report.data)]
        message = EmailMessage(
            subject=one_line(
                _("Complaint report of %(branch)s, %(month)s")
                % {"branch": report.branch.name, "month": f"{report.month:%Y-%m}"}
            ),
            body="\n".join(lines),
            to=recipients,
        )
        for item in [report, *offices]:
            name = one_line(f"{item.subject}-{item.month:%Y-%m}-v{item.version}.xlsx")
            message.attach(name, report_xlsx(item), XLSX)
        message.send()
    log.info(
        "mailed the %s report of %s (v%d) to %s",
        f"{report.month:%Y-%m}",
        report.branch.code,
        report.version,
        ", ".join(recipients),
    )
    return len(recipients)


def _latest_office_reports(report) -> list[MonthlyReport]:
    """The newest version of each office report of the branch's month (a handful of rows)."""
    latest = {}
    for item in MonthlyReport.objects.filter(
        month=report.month, office__branch=report.branch
    ).order_by("office_id", "version"):
        latest[item.office_id] = item
    return list(latest.values())
