"""The complaint record (R-REC-3), its number, categories and the append-only timeline."""

from datetime import datetime

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.fields import actor, belongs_to
from accounts.models import Office
from accounts.scoping import OfficeScopedQuerySet

from ..searchtext import search_grams, search_text, segments
from .categories import Category
from .choices import (
    OPEN_STATUSES,
    Channel,
    Classification,
    FacilityKind,
    Severity,
    Status,
    Temperament,
    UrgentKind,
)
from .estate import Building, Unit


class ComplaintSequence(models.Model):
    """The last number used per office and month; locked while a number is drawn."""

    office = models.ForeignKey(Office, on_delete=models.CASCADE, related_name="+")
    period = models.CharField(max_length=6)  # YYYYMM of the receipt, office time
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["office", "period"], name="one_sequence_per_office_month"
            )
        ]

    def __str__(self):
        return f"{self.office_id}-{self.period}: {self.last}"


class ComplaintQuerySet(OfficeScopedQuerySet):
    def open(self):
        return self.filter(status__in=OPEN_STATUSES)

    @staticmethod
    def overdue_condition(kind: str, now: datetime) -> Q:
        """The one definition of "past this deadline", shared by the list filter, "my shift",
        the shift-start review and the deadline scan."""
        handling = [Status.RECORDED, Status.IN_PROGRESS]
        return {
            # R-REC-2: a complaint from the community's page is entered when it is checked.
            "entry": Q(entered_late=True) | Q(awaiting_check=True, entry_due__lt=now),
            "dispatch": Q(dispatch_due__lt=now, dispatched_at__isnull=True),
            "reply": Q(reply_due__lt=now, replied_at__isnull=True),
            # R-URG-2 asks for contact until it is resolved; then the revisit is what is due.
            "contact": Q(next_contact_due__lt=now, status__in=handling),
            "revisit": Q(revisit_due__lt=now, status=Status.RESOLVED),
            "alert": Q(alert_due__lt=now),
            "report": Q(report_due__lt=now),
        }[kind]

    def overdue(self, kind: str, now: datetime | None = None):
        """Complaints past one deadline of the procedure, as of `now`."""
        condition = self.overdue_condition(kind, now or timezone.now())
        return self.filter(condition) if kind == "entry" else self.open().filter(condition)


# The deadlines the clocks chase, with the field each is due by.
CHASED_DEADLINES = {
    "dispatch": "dispatch_due",
    "reply": "reply_due",
    "contact": "next_contact_due",
    "revisit": "revisit_due",
}

# R-REC-3: the names of the parts `Complaint.missing_record_fields()` reports that are not fields.
MISSING_PART_LABELS = {
    "contact": _("contact (phone or e-mail)"),
    "address": _("address (building and room, or another address)"),
}

OVERDUE_KINDS = [
    ("entry", _("Entered late (over 2 hours)")),
    ("dispatch", _("Urgent, not dispatched")),
    ("reply", _("Agreed reply overdue")),
    ("contact", _("Customer contact overdue (3 days)")),
    ("revisit", _("Revisit overdue (24 hours)")),
    ("alert", _("Open over 10 days")),
    ("report", _("Open over 15 days")),
]


class Complaint(models.Model):
    office = belongs_to(Office, "complaints", _("office"), on_delete=models.PROTECT)
    number = models.CharField(_("number"), max_length=20, unique=True, editable=False)
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.RECORDED, editable=False
    )

    # Who complains and where (R-REC-3)
    complainant_name = models.CharField(_("complainant"), max_length=60)
    phone = models.CharField(_("phone"), max_length=20, blank=True, db_index=True)
    email = models.EmailField(_("e-mail"), blank=True)
    building = models.ForeignKey(
        Building, on_delete=models.PROTECT, null=True, blank=True, verbose_name=_("building")
    )
    unit = models.ForeignKey(
        Unit, on_delete=models.PROTECT, null=True, blank=True, verbose_name=_("unit")
    )
    room = models.CharField(_("room"), max_length=20, blank=True)
    address_note = models.CharField(
        _("other address"),
        max_length=120,
        blank=True,
        help_text=_("When it is not a unit of the estate."),
    )

    # How it reached us
    received_at = models.DateTimeField(_("received at"))
    entered_at = models.DateTimeField(_("entered at"), editable=False)
    # Empty only while a complaint from the community's page waits for its check (nobody on
    # staff has received it yet); the assistant who checks it is both (docs/resident.md).
    received_by = actor(_("received first by"), related_name="complaints_received", optional=True)
    entered_by = actor(
        _("entered by"), related_name="complaints_entered", editable=False, optional=True
    )
    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices)
    # Sent by the resident from the community's page: its class (valid, R-CLS-4, until then),
    # category and severity wait for an assistant's check (complaints/community.py).
    awaiting_check = models.BooleanField(_("to check"), default=False, editable=False)

    # What it is
    category = models.ForeignKey(
        Category, on_delete=models.PROTECT, null=True, blank=True, verbose_name=_("category")
    )
    classification = models.CharField(
        _("class"), max_length=12, choices=Classification.choices, default=Classification.VALID
    )
    responsible_party = models.CharField(
        _("responsible party"),
        max_length=80,
        blank=True,
        help_text=_("Developer or other outside party (to-improve complaints)."),
    )
    severity = models.CharField(
        _("severity"), max_length=8, choices=Severity.choices, default=Severity.GENERAL
    )
    is_major = models.BooleanField(_("major complaint"), default=False)
    major_since = models.DateTimeField(
        _("major since"), null=True, blank=True, editable=False
    )  # R-SEV-1: entered as major, or made major by a correction; the report window starts here
    urgent_kind = models.CharField(
        _("urgent matter"), max_length=10, choices=UrgentKind.choices, blank=True, default=""
    )
    facility_kind = models.CharField(
        _("facility"), max_length=10, choices=FacilityKind.choices, blank=True, default=""
    )
    temperament = models.CharField(
        _("temperament"), max_length=10, choices=Temperament.choices, blank=True, default=""
    )
    description = models.TextField(_("what happened"))
    customer_request = models.TextField(_("what the customer asks for"), blank=True)
    is_complete = models.BooleanField(_("record complete"), default=False, editable=False)

    # Deadlines, set by the workflow (docs/architecture.md, Deadlines)
    entry_due = models.DateTimeField(_("entry due"), editable=False)
    entered_late = models.BooleanField(_("entered late"), default=False, editable=False)
    dispatch_due = models.DateTimeField(_("dispatch due"), null=True, blank=True, editable=False)
    dispatched_at = models.DateTimeField(_("dispatched at"), null=True, blank=True, editable=False)
    answered_at_once = models.BooleanField(_("answered at once"), default=False)
    reply_due = models.DateTimeField(_("agreed reply by"), null=True, blank=True)
    reply_latest = models.DateTimeField(_("latest allowed reply"), editable=False)
    replied_at = models.DateTimeField(_("replied at"), null=True, blank=True, editable=False)
    next_contact_due = models.DateTimeField(_("next contact due"), editable=False)
    alert_due = models.DateTimeField(_("day-10 alert"), editable=False)
    report_due = models.DateTimeField(_("day-15 report"), editable=False)

    # Handling, revisit and closure, set by followups.workflow (R-REV-1, R-CLO-3)
    resolved_at = models.DateTimeField(_("resolved at"), null=True, blank=True, editable=False)
    revisit_due = models.DateTimeField(_("revisit due"), null=True, blank=True, editable=False)
    revisited_at = models.DateTimeField(_("revisited at"), null=True, blank=True, editable=False)
    revisit_attempts = models.PositiveSmallIntegerField(
        _("unanswered revisit attempts"), default=0, editable=False
    )
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True, editable=False)
    closed_by = actor(
        _("closure approved by"), optional=True, related_name="complaints_closed", editable=False
    )
    handler = actor(
        _("handler named by the quality department"),
        optional=True,
        related_name="complaints_handled",
        help_text=_("R-QD-1: the office manager who handles a complaint that reached the branch."),
    )

    linked_to = belongs_to(
        "self", "linked_complaints", _("linked to"), on_delete=models.SET_NULL, optional=True
    )
    website_scan = belongs_to(
        "complaints.WebsiteScan",
        "complaints",
        _("found in website scan"),
        on_delete=models.SET_NULL,
        optional=True,
    )

    # What the list's search box reads (complaints/searchtext.py), written when the record is
    # created and by `correct_record`; PostgreSQL indexes both (migration 0009).
    search_text = models.TextField(_("search text"), blank=True, default="", editable=False)
    search_grams = models.TextField(_("search bigrams"), blank=True, default="", editable=False)

    objects = ComplaintQuerySet.as_manager()

    class Meta:
        verbose_name = _("complaint")
        verbose_name_plural = _("complaints")
        ordering = ["-received_at"]
        indexes = [
            models.Index(fields=["office", "-received_at"], name="complaint_office_received"),
            models.Index(fields=["office", "status"], name="complaint_office_status"),
            models.Index(fields=["room"], name="complaint_room"),
            # The newest first across several offices (a branch's list): without it PostgreSQL
            # sorts every complaint of the branch to show 25 (docs/performance.md).
            models.Index(fields=["-received_at", "-id"], name="complaint_newest_first"),
            # The clocks and the reports read open complaints and their due fields: partial
            # indexes on the open ones, so their cost follows what is open, not the years of
            # history (docs/performance.md). Each condition is the query's own, as written by
            # `overdue_condition` and `open()`, so that PostgreSQL can prove it.
            models.Index(
                fields=["office", "received_at"],
                condition=Q(status__in=OPEN_STATUSES),
                name="complaint_open_by_office",
            ),
            models.Index(
                fields=["dispatch_due"],
                condition=Q(status__in=OPEN_STATUSES, dispatched_at__isnull=True),
                name="complaint_open_dispatch_due",
            ),
            models.Index(
                fields=["reply_due"],
                condition=Q(status__in=OPEN_STATUSES, replied_at__isnull=True),
                name="complaint_open_reply_due",
            ),
            models.Index(
                fields=["next_contact_due"],
                condition=Q(status__in=[Status.RECORDED, Status.IN_PROGRESS]),
                name="complaint_handling_contact_due",
            ),
            models.Index(
                fields=["revisit_due"],
                condition=Q(status=Status.RESOLVED),
                name="complaint_resolved_revisit_due",
            ),
            models.Index(
                fields=["alert_due"],
                condition=Q(status__in=OPEN_STATUSES),
                name="complaint_open_alert_due",
            ),
            models.Index(
                fields=["report_due"],
                condition=Q(status__in=OPEN_STATUSES),
                name="complaint_open_report_due",
            ),
            # A month's report counts what was closed after the month ended (carried over).
            models.Index(
                fields=["office", "closed_at"],
                condition=Q(closed_at__isnull=False),
                name="complaint_closed_by_office",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~Q(classification=Classification.TO_IMPROVE) | ~Q(responsible_party=""),
                name="to_improve_names_the_responsible_party",
            ),
            models.CheckConstraint(
                condition=Q(urgent_kind=UrgentKind.FACILITY, facility_kind__gt="")
                | (~Q(urgent_kind=UrgentKind.FACILITY) & Q(facility_kind="")),
                name="facility_fault_names_the_facility",
            ),
            models.CheckConstraint(
                condition=Q(urgent_kind="", dispatch_due__isnull=True)
                | (~Q(urgent_kind="") & Q(dispatch_due__isnull=False)),
                name="urgent_matters_have_a_dispatch_deadline",
            ),
            models.CheckConstraint(
                condition=Q(answered_at_once=True) | Q(reply_due__isnull=False),
                name="reply_agreed_unless_answered_at_once",
            ),
            models.CheckConstraint(
                condition=Q(reply_due__isnull=True) | Q(reply_due__lte=models.F("reply_latest")),
                name="agreed_reply_within_three_working_days",
            ),
            models.CheckConstraint(
                condition=Q(received_at__lte=models.F("entered_at")),
                name="received_before_entered",
            ),
            models.CheckConstraint(  # R-QD-1: what reached the branch has its handler
                condition=~Q(channel=Channel.BRANCH) | Q(handler__isnull=False),
                name="branch_channel_names_a_handler",
            ),
            models.CheckConstraint(
                condition=Q(awaiting_check=True)
                | Q(received_by__isnull=False, entered_by__isnull=False),
                name="only_a_complaint_to_check_lacks_its_receiver",
            ),
            models.CheckConstraint(
                condition=Q(awaiting_check=False) | Q(channel=Channel.WEBSITE),
                name="a_complaint_to_check_came_by_the_website",
            ),
            models.CheckConstraint(condition=Q(status__in=Status.values), name="status_is_known"),
            models.CheckConstraint(
                condition=~Q(status=Status.CLOSED)
                | Q(closed_at__isnull=False, closed_by__isnull=False, revisited_at__isnull=False),
                name="closed_has_approver_and_revisit",
            ),
            models.CheckConstraint(
                condition=~Q(status__in=[Status.RESOLVED, Status.REVISITED, Status.CLOSED])
                | Q(resolved_at__isnull=False, revisit_due__isnull=False),
                name="resolved_has_revisit_due",
            ),
            models.CheckConstraint(
                condition=~Q(status__in=[Status.REVISITED, Status.CLOSED])
                | Q(revisited_at__isnull=False),
                name="revisited_has_revisit_time",
            ),
        ]

    def __str__(self):
        return self.number

    def save(self, *args, **kwargs):
        if self._state.adding:  # a new record always carries its search text
            self.refresh_search_text()
        super().save(*args, **kwargs)

    def refresh_search_text(self) -> None:
        self.search_text = search_text(self.search_segments())
        self.search_grams = search_grams(self.search_text)

    def search_segments(self) -> dict[str, str]:
        """The search text's segments (complaints/searchtext.py), from this record and the
        names of its unit, building and category (loaded with it on the list)."""
        unit = self.unit if self.unit_id else None
        building = self.building if self.building_id else (unit.building if unit else None)
        return segments(
            number=self.number,
            phone=self.phone,
            complainant=self.complainant_name,
            building=building.name if building else "",
            unit=unit.name if unit else "",
            room=self.room,
            address_note=self.address_note,
            category=self.category.name if self.category_id else "",
            description=self.description,
            request=self.customer_request,
        )

    @property
    def address(self) -> str:
        parts = [
            str(self.unit) if self.unit_id else (self.building.name if self.building_id else "")
        ]
        parts.append(self.room)
        text = "".join(parts)
        return " ".join(p for p in (text, self.address_note) if p)

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    @property
    def is_urgent(self) -> bool:
        return bool(self.urgent_kind)

    def missing_record_fields(self) -> list[str]:
        """R-REC-3: the parts a complete record names that this one lacks."""
        present = {
            "complainant_name": self.complainant_name,
            "contact": self.phone or self.email,
            "address": (self.building_id and self.room) or self.address_note,
            "received_at": self.received_at,
            "description": self.description,
            "customer_request": self.customer_request,
            "received_by": self.received_by_id,
            "channel": self.channel,
            "category": self.category_id,
            "classification": self.classification,
            "severity": self.severity,
        }
        return [name for name, value in present.items() if not value]

    def missing_record_labels(self) -> list[str]:
        """R-REC-3: the parts this record lacks, named for the user (never field names)."""
        return [
            MISSING_PART_LABELS.get(name) or self._meta.get_field(name).verbose_name
            for name in self.missing_record_fields()
        ]


class ComplaintEvent(models.Model):
    """One line of a complaint's timeline; written with every change, never edited."""

    class Kind(models.TextChoices):
        RECORDED = "recorded", _("Recorded")
        REPEAT_CALL = "repeat_call", _("Customer called again")
        EDITED = "edited", _("Record corrected")
        MAJOR_REPORTED = "major_reported", _("Major complaint reported to the office manager")
        DEADLINE_RECOMPUTED = "deadline_recomputed", _("Deadline moved by a calendar change")
        MAJOR_TO_LEADERSHIP = (
            "major_to_leadership",
            _("Major complaint reported to the branch leadership"),
        )
        ASSIGNED = "assigned", _("Handler named by the quality department")
        CONTACT = "contact", _("Customer contacted")
        DISPATCHED = "dispatched", _("Work dispatched")
        CORRECTIVE_ACTION = "corrective_action", _("Corrective and preventive actions recorded")
        RESOLVED = "resolved", _("Handling finished")
        REVISITED = "revisited", _("Customer revisited")
        SUPERSEDED = "superseded", _("Customer not satisfied: a new complaint was recorded")
        CLOSURE_REJECTED = "closure_rejected", _("Closure rejected by the office manager")
        CLOSED = "closed", _("Closure approved by the office manager")
        ESCALATED = "escalated", _("Escalated")
        REVIEWED = "reviewed", _("Reviewed at the start of a shift")
        ATTACHED = "attached", _("Files attached")
        ATTACHMENT_WITHDRAWN = "attachment_withdrawn", _("Attachment withdrawn")
        # The resident's side (resident app, docs/resident.md)
        TRACKING_LINK = "tracking_link", _("Tracking link issued")
        TRACKING_LINK_REVOKED = "tracking_link_revoked", _("Tracking link revoked")
        CHECKED = "checked", _("Checked and classified by the desk")

    complaint = belongs_to(Complaint, "events", _("complaint"))
    kind = models.CharField(_("kind"), max_length=30, choices=Kind.choices)
    at = models.DateTimeField(_("at"), default=timezone.now)
    actor = actor(_("by"), optional=True)
    note = models.TextField(_("note"), blank=True)
    data = models.JSONField(_("details"), default=dict, blank=True)

    class Meta:
        verbose_name = _("complaint event")
        verbose_name_plural = _("complaint events")
        ordering = ["at", "pk"]
        indexes = [models.Index(fields=["complaint", "at"], name="event_complaint_at")]

    def __str__(self):
        return f"{self.complaint} {self.get_kind_display()}"
