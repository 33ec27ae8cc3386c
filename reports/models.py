"""Monthly complaint reports (R-RPT-1, R-QD-2): immutable snapshots, one version per run."""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from accounts.fields import actor, belongs_to, one_per_office_or_branch
from accounts.models import Branch, Office
from accounts.scoping import visible_offices
from accounts.staffing import branches_led


class MonthlyReportQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Office reports by office scope; a branch's report only to its branch roles."""
        return self.filter(Q(office__in=visible_offices(user)) | Q(branch__in=branches_led(user)))


class MonthlyReport(models.Model):
    """The previous month's report of one office or one branch, frozen when generated.

    Regenerating writes a new version; earlier versions stay readable."""

    office = belongs_to(
        Office, "monthly_reports", _("office"), on_delete=models.PROTECT, optional=True
    )
    branch = belongs_to(
        Branch, "monthly_reports", _("branch"), on_delete=models.PROTECT, optional=True
    )
    month = models.DateField(_("month"), help_text=_("The first day of the month reported on."))
    version = models.PositiveSmallIntegerField(_("version"), default=1)
    generated_at = models.DateTimeField(_("generated at"))
    data = models.JSONField(_("figures"))
    commentary = models.TextField(_("supervisor's commentary"), blank=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    sent_by = actor(_("sent by"), optional=True)

    objects = MonthlyReportQuerySet.as_manager()

    class Meta:
        verbose_name = _("monthly report")
        verbose_name_plural = _("monthly reports")
        ordering = ["-month", "office", "branch", "-version"]
        constraints = [
            models.CheckConstraint(
                condition=Q(office__isnull=False, branch__isnull=True)
                | Q(office__isnull=True, branch__isnull=False),
                name="report_is_of_one_office_or_one_branch",
            ),
            *one_per_office_or_branch(
                "office",
                "month",
                "version",
                office="one_office_report_version",
                branch="one_branch_report_version",
            ),
            models.CheckConstraint(
                condition=Q(month__day=1), name="report_month_starts_on_the_first"
            ),
        ]

    def __str__(self):
        return f"{self.office or self.branch} {self.month:%Y-%m} v{self.version}"

    @property
    def subject(self):
        return self.office or self.branch
