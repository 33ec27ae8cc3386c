"""What happens to a complaint after intake: contacts, dispatch, handling, revisits, the
escalation ladder, shift reviews and notifications (docs/procedure.md: Handling … Closure)."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.fields import actor, belongs_to
from accounts.models import Office, Shift
from accounts.scoping import OfficeScopedQuerySet
from accounts.staffing import current_memberships
from complaints.models import Complaint


class ComplaintScopedQuerySet(OfficeScopedQuerySet):
    office_field = "complaint__office"


class Contact(models.Model):
    """A contact with the customer (R-REPLY-1..4, R-URG-2, R-HND-2)."""

    class Kind(models.TextChoices):
        REPLY = "reply", _("Agreed reply")
        PROGRESS = "progress", _("Progress update")
        EXPLANATION = "explanation", _("Explanation of an invalid complaint")
        WEBSITE_REPLY = "website_reply", _("Reply on the website")

    class Method(models.TextChoices):
        PHONE = "phone", _("Phone")
        VISIT = "visit", _("Visit")
        EMAIL = "email", _("E-mail")
        WEBSITE = "website", _("Website / message board")
        NOTICE = "notice", _("Public notice")

    complaint = belongs_to(Complaint, "contacts", _("complaint"))
    kind = models.CharField(_("kind"), max_length=14, choices=Kind.choices)
    method = models.CharField(_("method"), max_length=10, choices=Method.choices)
    at = models.DateTimeField(_("at"), default=timezone.now)
    by = actor(_("by"))
    summary = models.TextField(
        _("what was said"),
        help_text=_("The customer reads it on their tracking page: write what they were told."),
    )
    signed = models.BooleanField(
        _("signed"), default=True, help_text=_("Website replies may be unsigned.")
    )

    objects = ComplaintScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("contact")
        verbose_name_plural = _("contacts")
        ordering = ["-at"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(kind="explanation") | Q(method__in=["visit", "notice"]),
                name="invalid_complaints_are_explained_in_person_or_by_notice",
            )
        ]

    def __str__(self):
        at = timezone.localtime(self.at)
        return f"{self.complaint} {self.get_kind_display()} {at:%Y-%m-%d %H:%M}"


class Dispatch(models.Model):
    """A work order to a department or person (R-URG-1), with its own due time."""

    class Department(models.TextChoices):
        ENGINEERING = "engineering", _("Engineering")
        CLEANING = "cleaning", _("Cleaning")
        SECURITY = "security", _("Security")
        LANDSCAPING = "landscaping", _("Landscaping")
        CUSTOMER_SERVICE = "customer_service", _("Customer service")
        OUTSIDE = "outside", _("Outside party")

    complaint = belongs_to(Complaint, "dispatches", _("complaint"))
    department = models.CharField(_("department"), max_length=20, choices=Department.choices)
    assignee = models.CharField(_("person"), max_length=60, blank=True)
    instructions = models.TextField(_("instructions"))
    dispatched_at = models.DateTimeField(_("dispatched at"), default=timezone.now)
    due_at = models.DateTimeField(_("due at"))
    done_at = models.DateTimeField(_("done at"), null=True, blank=True)
    by = actor(_("by"))

    objects = ComplaintScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("dispatch")
        verbose_name_plural = _("dispatches")
        ordering = ["-dispatched_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(due_at__gte=models.F("dispatched_at")),
                name="dispatch_due_after_dispatch",
            )
        ]

    def __str__(self):
        return f"{self.complaint} → {self.get_department_display()}"


class CorrectiveAction(models.Model):
    """Cause, correction and prevention (纠正和预防措施), R-HND-1."""

    complaint = belongs_to(Complaint, "corrective_actions", _("complaint"))
    cause = models.TextField(_("cause"))
    correction = models.TextField(_("corrective action"))
    prevention = models.TextField(_("preventive action"))
    at = models.DateTimeField(_("at"), default=timezone.now)
    by = actor(_("by"))

    objects = ComplaintScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("corrective action")
        verbose_name_plural = _("corrective actions")
        ordering = ["-at"]

    def __str__(self):
        return f"{self.complaint}: {self.cause[:40]}"


class Revisit(models.Model):
    """The revisit after handling (R-REV-1); unsatisfied starts a new complaint (R-REV-2)."""

    # Any way of contact but a public notice: the customer answers a revisit; or the resident's
    # own answer on the tracking page (resident app): no staff member asked.
    Method = models.TextChoices(
        "Method",
        [(m.name, (m.value, m.label)) for m in Contact.Method if m != Contact.Method.NOTICE]
        + [("ONLINE", ("online", _("Online, answered by the resident")))],
    )

    class Outcome(models.TextChoices):
        SATISFIED = "satisfied", _("Satisfied")
        UNDERSTANDS = "understands", _("Understands")
        UNSATISFIED = "unsatisfied", _("Not satisfied")
        UNREACHABLE = "unreachable", _("Could not be reached")

    complaint = belongs_to(Complaint, "revisits", _("complaint"))
    method = models.CharField(_("method"), max_length=10, choices=Method.choices)
    outcome = models.CharField(_("outcome"), max_length=12, choices=Outcome.choices)
    courteous = models.BooleanField(
        _("staff were courteous"), null=True, blank=True, help_text=_("Work standard 1: etiquette.")
    )
    remarks = models.TextField(_("customer's words"), blank=True)
    at = models.DateTimeField(_("at"), default=timezone.now)
    by = actor(_("by"), optional=True)

    objects = ComplaintScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("revisit")
        verbose_name_plural = _("revisits")
        ordering = ["-at"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(outcome="unsatisfied") | ~Q(remarks=""),
                name="unsatisfied_revisit_records_the_customers_words",
            ),
            models.CheckConstraint(
                condition=Q(by__isnull=False) | Q(method="online"),
                name="revisit_names_its_staff_unless_answered_online",
            ),
        ]

    def __str__(self):
        return f"{self.complaint} {self.get_outcome_display()}"


class MajorReport(models.Model):
    """R-SEV-1: the office manager's report of a major complaint to the branch leadership, with
    the time the customer was told to expect an answer. One per complaint."""

    complaint = models.OneToOneField(
        Complaint,
        on_delete=models.CASCADE,
        related_name="major_report",
        verbose_name=_("complaint"),
    )
    report = models.TextField(_("report to the branch leadership"))
    answer_expected_at = models.DateTimeField(_("customer told to expect an answer by"))
    reported_at = models.DateTimeField(_("reported at"))
    reported_by = actor(_("reported by"))

    objects = ComplaintScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("major complaint report")
        verbose_name_plural = _("major complaint reports")

    def __str__(self):
        return f"{self.complaint_id} {self.reported_at:%Y-%m-%d %H:%M}"


class Escalation(models.Model):
    """A rung of the ladder: day 10 alerts manager and supervisor (R-FUP-2); day 15 goes to the
    branch GM and the manager owes a report (R-FUP-3)."""

    class Level(models.IntegerChoices):
        DAY_10 = 10, _("Open 10 days: manager and supervisor alerted")
        DAY_15 = 15, _("Open 15 days: reported to the branch general manager")

    complaint = belongs_to(Complaint, "escalations", _("complaint"))
    level = models.PositiveSmallIntegerField(_("level"), choices=Level.choices)
    at = models.DateTimeField(_("at"))
    report = models.TextField(_("manager's report"), blank=True)
    reported_at = models.DateTimeField(_("reported at"), null=True, blank=True)
    reported_by = actor(_("reported by"), optional=True)

    objects = ComplaintScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("escalation")
        verbose_name_plural = _("escalations")
        ordering = ["-at"]
        constraints = [
            models.UniqueConstraint(fields=["complaint", "level"], name="one_escalation_per_level"),
            models.CheckConstraint(
                condition=Q(reported_at__isnull=True) | Q(level=15),
                name="only_day_15_owes_a_report",
            ),
        ]

    def __str__(self):
        return f"{self.complaint} D{self.level}"


class ShiftReview(models.Model):
    """The review of old open complaints in a shift's first 30 minutes (R-FUP-1)."""

    office = belongs_to(Office, "shift_reviews", _("office"))
    shift = belongs_to(Shift, "reviews", _("shift"))
    starts_at = models.DateTimeField(_("shift start"))
    due_at = models.DateTimeField(_("review due"))
    flagged_at = models.DateTimeField(_("flagged late at"), null=True, blank=True)

    objects = OfficeScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("shift review")
        verbose_name_plural = _("shift reviews")
        ordering = ["-starts_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["office", "starts_at"], name="one_review_per_shift_start"
            ),
        ]

    def __str__(self):
        return f"{self.office} {timezone.localtime(self.starts_at):%Y-%m-%d %H:%M}"


class ShiftReviewItem(models.Model):
    class Reason(models.TextChoices):
        OLD_OPEN = "old_open", _("Open, received over 3 days ago")
        OVERDUE = "overdue", _("A deadline has passed")

    review = belongs_to(ShiftReview, "items", _("review"))
    complaint = belongs_to(Complaint, "review_items", _("complaint"))
    reason = models.CharField(_("reason"), max_length=10, choices=Reason.choices)
    reviewed_at = models.DateTimeField(_("reviewed at"), null=True, blank=True)
    reviewed_by = actor(_("reviewed by"), optional=True)
    note = models.TextField(_("progress and customer update"), blank=True)
    contact = models.OneToOneField(
        Contact,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="review_item",
        verbose_name=_("customer update recorded"),
        help_text=_("R-FUP-1 with R-URG-2: the contact the tick recorded, once."),
    )

    objects = ComplaintScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("shift review item")
        verbose_name_plural = _("shift review items")
        ordering = ["review", "complaint__received_at"]
        constraints = [
            models.UniqueConstraint(fields=["review", "complaint"], name="one_item_per_complaint"),
            models.CheckConstraint(
                condition=Q(reviewed_at__isnull=True) | ~Q(note=""),
                name="reviewed_items_carry_a_note",
            ),
        ]

    def __str__(self):
        return f"{self.review}: {self.complaint}"


class NotificationQuerySet(models.QuerySet):
    def addressed_to(self, user):
        """The user's notices, except those of a place (office, or branch) where they hold no
        role now: someone moved to another branch no longer reads the old office's notices.
        Rows written without a place (before places were kept) stay theirs."""
        own = current_memberships().filter(user=user)
        offices = own.filter(office__isnull=False).values("office")
        branches = own.filter(branch__isnull=False).values("branch")
        return self.filter(recipient=user).filter(
            Q(office__isnull=True, branch__isnull=True)
            | Q(office__in=offices)
            | Q(office__branch__in=branches)
            | Q(branch__in=branches)
        )

    def unread(self):
        """Not read, and its matter not done (a done notice leaves the unread list by itself)."""
        return self.filter(read_at__isnull=True, resolved_at__isnull=True)


class Notification(models.Model):
    """An in-app message, also e-mailed by a task; written in the transaction of its cause.

    What each kind says, to whom and in which language is the catalogue's
    (`followups.notices`); `office` or `branch` is the place whose role makes the recipient
    an addressee, checked when it is written and again when it is e-mailed. The complaint and
    the kind name the matter a notice is about."""

    class Kind(models.TextChoices):
        MAJOR = "major", _("Major complaint")
        ASSIGNED = "assigned", _("Branch complaint assigned to you")
        DISPATCH_OVERDUE = "dispatch_overdue", _("Urgent matter not dispatched")
        REPLY_OVERDUE = "reply_overdue", _("Agreed reply overdue")
        CONTACT_OVERDUE = "contact_overdue", _("Customer not contacted for 3 days")
        REVISIT_OVERDUE = "revisit_overdue", _("Revisit overdue")
        ESCALATION_10 = "escalation_10", _("Open 10 days")
        ESCALATION_15 = "escalation_15", _("Open 15 days")
        GM_REPORT = "gm_report", _("Office manager's report on a complaint open 15 days")
        REVIEW_LATE = "review_late", _("Shift review not done in 30 minutes")
        CLOSURE = "closure", _("Waiting for closure approval")
        REJECTED = "rejected", _("Closure rejected")
        DIGEST = "digest", _("Daily digest")
        WEEKLY = "weekly", _("Weekly summary")
        REPORT = "report", _("Monthly report sent")
        REPORT_MISSING = "report_missing", _("Monthly report missing")
        CLOSURE_WAITING = "closure_waiting", _("Closure waiting over a working day")
        ESCALATED_LATE = "escalated_late", _("Escalated when the closure was rejected")
        SCANS_MISSED = "scans_missed", _("Fewer than two website scans in a day")
        HANDOVER_MISSING = "handover_missing", _("Shift change without a signed handover")
        MAJOR_TO_LEADERSHIP = "major_leadership", _("Major complaint reported by the office")
        MAJOR_UNREPORTED = "major_unreported", _("Major complaint not reported yet")
        REPLY_LIMIT_MOVED = "reply_moved", _("Calendar change: agree a new reply time")
        CALENDAR_DUE = "calendar_due", _("Next year's calendar not confirmed")

    class NotSent(models.TextChoices):
        """Why the mail sender withheld a notice's e-mail (checked again at sending time)."""

        DEACTIVATED = "deactivated", _("The recipient's account is deactivated")
        NOT_ADDRESSEE = "not_addressee", _("The recipient no longer holds a role it is for there")

    class Resolved(models.TextChoices):
        """Why a notice's matter is done; the catalogue (`followups.notices`) says when."""

        CLOSED = "closed", _("The complaint was closed")
        SUPERSEDED = "superseded", _("The customer was not satisfied: a new complaint follows")
        REJECTED = "rejected", _("The closure was rejected: the complaint is back in handling")
        DISPATCHED = "dispatched", _("The urgent matter was dispatched")
        REPLIED = "replied", _("The customer was replied to")
        CONTACTED = "contacted", _("The customer was contacted")
        REVISITED = "revisited", _("The revisit was made")
        RESOLVED = "resolved", _("The complaint was resolved")
        REPORTED = "reported", _("The office manager reported to the branch general manager")
        HANDLED_AGAIN = "handled_again", _("The complaint was handled again")
        REVIEWED = "reviewed", _("The shift review was finished")
        REPORT_MADE = "report_made", _("The monthly report was made")

    recipient = belongs_to(settings.AUTH_USER_MODEL, "notifications", _("recipient"))
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    complaint = belongs_to(Complaint, "notifications", _("complaint"), optional=True)
    office = belongs_to("accounts.Office", "+", _("office"), optional=True)
    branch = belongs_to("accounts.Branch", "+", _("branch"), optional=True)
    key = models.CharField(
        _("deduplication key"), max_length=80, help_text=_("The same cause never notifies twice.")
    )
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("message"), blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)
    emailed_at = models.DateTimeField(_("e-mailed at"), null=True, blank=True)
    not_sent = models.CharField(
        _("not e-mailed because"),
        max_length=16,
        blank=True,
        choices=NotSent.choices,
        help_text=_("Set when the sender withheld the e-mail, e.g. the recipient left the office."),
    )
    resolved_at = models.DateTimeField(
        _("done at"),
        null=True,
        blank=True,
        help_text=_(
            "When its matter was done: it leaves the unread list and stays in the history."
        ),
    )
    resolved_reason = models.CharField(
        _("done because"), max_length=16, blank=True, choices=Resolved.choices
    )

    objects = NotificationQuerySet.as_manager()

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(fields=["recipient", "key"], name="one_notification_per_cause"),
            models.CheckConstraint(
                condition=Q(resolved_at__isnull=True, resolved_reason="")
                | (Q(resolved_at__isnull=False) & ~Q(resolved_reason="")),
                name="done_notice_says_why",
            ),
        ]
        indexes = [
            models.Index(
                fields=["recipient"],
                condition=Q(read_at__isnull=True, resolved_at__isnull=True),
                name="notification_unread",
            ),
            models.Index(
                fields=["complaint"],
                condition=Q(resolved_at__isnull=True),
                name="notification_matter_open",
            ),
            models.Index(
                fields=["created_at"],
                condition=Q(emailed_at__isnull=True, not_sent=""),
                name="notification_unsent",
            ),
        ]

    def __str__(self):
        return self.title


class ClosureRequest(Complaint):
    """A complaint as the office manager sees it in the admin's approval queue (R-CLO-3)."""

    class Meta:
        proxy = True
        verbose_name = _("complaint waiting for closure approval")
        verbose_name_plural = _("complaints waiting for closure approval")
