"""One of every record: an office with its people and a row of every desk model.

The isolation sweep and the hostile-input suite both need "everything a page could show of one
office". `one_of_every_record` builds it once for both, through the workflow where the desk
itself would (contacts, work orders, handling, revisits, reports) and through the factories
elsewhere. Every free text it writes comes from `text(what)`: the isolation sweep marks them with
its victim's token, the hostile suite overwrites every free-text field with a payload after.
Each suite adds what it alone needs (other offices, login records, poisoning)."""

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from django.db.models import Model
from django.utils import timezone

from accounts.models import Branch, Membership, Office, Shift, User
from accounts.roles import Role
from complaints.attachments import attach_files
from complaints.filecheck import check_upload
from complaints.models import (
    Attachment,
    CalendarOverride,
    Category,
    Complaint,
    ComplaintEvent,
    DutyLogEntry,
    ShiftHandover,
    WebsiteScan,
)
from followups.models import (
    ClosureRequest,
    Contact,
    CorrectiveAction,
    Dispatch,
    Escalation,
    MajorReport,
    Notification,
    Revisit,
    ShiftReview,
    ShiftReviewItem,
)
from followups.workflow import dispatch, record_contact
from reports.models import MonthlyReport
from reports.workflow import generate_report
from tests.attachment_files import jpeg, pdf
from tests.factories import (
    BuildingFactory,
    ComplaintFactory,
    DutyLogEntryFactory,
    ShiftHandoverFactory,
    UnitFactory,
    WebsiteScanFactory,
    staff,
)
from tests.followups.states import revisited

Text = Callable[[str], str]
OFFICE_ROLES = {
    "assistant": Role.CLIENT_ASSISTANT,
    "supervisor": Role.CUSTOMER_SUPERVISOR,
    "manager": Role.OFFICE_MANAGER,
}
BRANCH_ROLES = {"gm": Role.BRANCH_GM, "qd": Role.QUALITY_DEPARTMENT}


def plain(what: str) -> str:
    return what


def people_of(place: Office | Branch, *, login: str, text: Text = plain) -> dict[str, User]:
    """One user per role of an office (assistant, supervisor, manager) or of a branch (gm, qd),
    with the usernames `<login>-<role>`."""
    roles = BRANCH_ROLES if isinstance(place, Branch) else OFFICE_ROLES
    where = {"branch": place} if isinstance(place, Branch) else {"office": place}
    return {
        key: staff(
            role,
            **where,
            username=f"{login}-{key}",
            full_name=text(f"{login} {key}"),
            email=f"{login}-{key}@example.com",
        )
        for key, role in roles.items()
    }


@dataclass
class Records:
    """The office's rows, one (or two) of every desk model."""

    office: Office
    people: dict[str, User]  # the office's and its branch's: "assistant", ..., "gm", "qd"
    shift: Shift
    category: Category
    scan: WebsiteScan
    complaint: Complaint  # open, 16 days old, major: contacted, dispatched, escalated, reviewed
    successor: Complaint  # a newer complaint linked to `complaint` (R-REV-2)
    revisited: Complaint  # handled and revisited: waiting for the manager's closure approval
    line: DutyLogEntry  # an inquiry line of the duty log
    complaint_line: DutyLogEntry  # the duty-log line of `complaint` (R-REC-1)
    handover: ShiftHandover
    contact: Contact
    work_order: Dispatch
    escalation: Escalation  # the day-15 one
    review: ShiftReview
    item: ShiftReviewItem
    notifications: dict[str, Notification]  # one per person, about `complaint`
    override: CalendarOverride  # a day off of the office's branch
    office_report: MonthlyReport
    branch_report: MonthlyReport
    photo: Attachment  # a photo of `complaint`, as intake stores it
    letter: Attachment  # a PDF of `complaint` whose text carries `text("letter")`
    major_report: MajorReport  # `complaint` reported to the branch leadership (R-SEV-1)
    extra: dict[type[Model], Model] = field(default_factory=dict)

    def rows(self) -> list[Model]:
        """Every row built, the people, the reports and the append-only timeline aside."""
        return [
            self.office.branch, self.office, self.shift, self.category, self.scan,
            self.complaint.building, self.complaint.unit, self.complaint, self.successor,
            self.revisited, self.line, self.complaint_line, self.handover, self.contact,
            self.work_order, self.escalation, self.review, self.item, self.override,
            *self.revisited.corrective_actions.all(), *self.revisited.revisits.all(),
            *self.notifications.values(), self.photo, self.letter, self.major_report,
        ]  # fmt: skip

    def by_model(self) -> dict[type[Model], Model]:
        """One row per model, for suites that walk the models (the admin's pages)."""
        assistant = self.people["assistant"]
        return {
            Branch: self.office.branch,
            Office: self.office,
            User: assistant,
            Membership: Membership.objects.get(user=assistant),
            Shift: self.shift,
            type(self.complaint.building): self.complaint.building,
            type(self.complaint.unit): self.complaint.unit,
            Complaint: self.complaint,
            ComplaintEvent: self.complaint.events.first(),
            DutyLogEntry: self.line,
            ShiftHandover: self.handover,
            WebsiteScan: self.scan,
            CalendarOverride: self.override,
            Contact: self.contact,
            Dispatch: self.work_order,
            CorrectiveAction: self.revisited.corrective_actions.first(),
            Revisit: self.revisited.revisits.first(),
            Escalation: self.escalation,
            ShiftReview: self.review,
            ShiftReviewItem: self.item,
            Notification: self.notifications["manager"],
            ClosureRequest: ClosureRequest.objects.get(pk=self.revisited.pk),
            MonthlyReport: self.office_report,
            Attachment: self.letter,
            MajorReport: self.major_report,
            **self.extra,
        }


def _attached(complaint: Complaint, by: User, upload) -> Attachment:
    """A file as intake stores it (the world is never committed: no thumbnail is made)."""
    checked = check_upload(upload, max_bytes=10**7, max_pixels=10**8)
    return attach_files(complaint, by=by, files=[(checked, upload)], step="intake")[0]


def one_of_every_record(
    office: Office,
    people: dict[str, User],
    *,
    now: datetime | None = None,
    text: Text = plain,
    branch_text: Text | None = None,
    category: Category | None = None,
    month: date | None = None,
) -> Records:
    """A row of every desk model in `office`, written by `people` (keys as `people_of`).

    `text(what)` makes each free text of the office's rows, `branch_text` those of its branch
    (the calendar override; default `text`). `category`: categories are shared by every office
    (default: the first configured one). `month`: the reports' month (default: `now`'s)."""
    now = now or timezone.now().replace(microsecond=0)
    branch_text = branch_text or text
    assistant = people["assistant"]
    category = category or Category.objects.first()
    shift = Shift.objects.create(
        office=office, name=text("shift"), starts_at=(now - timedelta(hours=1)).time()
    )
    building = BuildingFactory(office=office, name=text("tower"))
    unit = UnitFactory(building=building, name=text("unit"))
    scan = WebsiteScanFactory(
        office=office,
        scanned_by=assistant,
        scanned_at=now,
        site=text("forum"),
        findings=text("post"),
    )
    complaint = ComplaintFactory(
        office=office,
        building=building,
        unit=unit,
        category=category,
        received_by=assistant,
        received_at=now - timedelta(days=16),
        complainant_name=text("complainant"),
        phone="+8613900000001",
        description=text("water leaks from the ceiling"),
        customer_request=text("fix the ceiling"),
        is_major=True,
        website_scan=scan,
    )
    major_report = MajorReport.objects.create(  # R-SEV-1: reported to the branch leadership
        complaint=complaint,
        report=text("reported to the branch"),
        answer_expected_at=now + timedelta(days=1),
        reported_at=now,
        reported_by=people["manager"],
    )
    contact = record_contact(
        complaint,
        by=assistant,
        kind=Contact.Kind.PROGRESS,
        method=Contact.Method.PHONE,
        summary=text("progress"),
        now=now - timedelta(days=1),
    )
    work_order = dispatch(
        complaint,
        by=assistant,
        department=Dispatch.Department.ENGINEERING,
        instructions=text("fix the pipe"),
        assignee=text("plumber"),
        due_at=now + timedelta(days=1),
        now=now,
    )
    ComplaintEvent.objects.create(
        complaint=complaint,
        kind=ComplaintEvent.Kind.REPEAT_CALL,
        at=now,
        actor=assistant,
        note=text("called again"),
    )
    Escalation.objects.create(complaint=complaint, level=Escalation.Level.DAY_10, at=now)
    escalation = Escalation.objects.create(
        complaint=complaint, level=Escalation.Level.DAY_15, at=now
    )
    review = ShiftReview.objects.create(
        office=office, shift=shift, starts_at=now, due_at=now + timedelta(minutes=30)
    )
    item = ShiftReviewItem.objects.create(
        review=review, complaint=complaint, reason=ShiftReviewItem.Reason.OLD_OPEN
    )
    notifications = {
        key: Notification.objects.create(
            recipient=user,
            kind=Notification.Kind.ESCALATION_15,
            complaint=complaint,
            key=f"world-15-{user.pk}",
            title=text("open 15 days"),
        )
        for key, user in people.items()
    }
    successor = ComplaintFactory(
        office=office,
        building=building,
        category=category,
        received_by=assistant,
        linked_to=complaint,
        received_at=now - timedelta(minutes=30),
        complainant_name=text("complainant again"),
        description=text("still leaking"),
        customer_request=text("fix it for good"),
    )
    second = ComplaintFactory(
        office=office,
        building=building,
        category=category,
        received_by=assistant,
        received_at=now - timedelta(days=2),
        complainant_name=text("satisfied"),
        phone="+8613900000002",
        description=text("the lift stopped"),
        customer_request=text("repair the lift"),
    )
    second = revisited(second, assistant, now - timedelta(days=1))
    line = DutyLogEntryFactory(
        office=office,
        recorder=assistant,
        occurred_at=now,
        customer_name=text("caller"),
        matter=text("asks about parking"),
    )
    complaint_line = DutyLogEntryFactory(
        office=office,
        recorder=assistant,
        occurred_at=now,
        kind="complaint",
        complaint=complaint,
        customer_name=text("complainant"),
        matter=text("water leaks"),
    )
    handover = ShiftHandoverFactory(
        office=office, outgoing=assistant, handed_over_at=now, items=text("lift repair unfinished")
    )
    override = CalendarOverride.objects.create(
        day=date(2031, 5, 6),
        kind=CalendarOverride.Kind.DAY_OFF,
        branch=office.branch,
        note=branch_text("day off"),
    )
    month = month or timezone.localtime(now, office.zone).date().replace(day=1)
    office_report = generate_report(office=office, month=month, now=now)[0]
    branch_report = generate_report(branch=office.branch, month=month, now=now)[0]
    # The letter's text carries the marker: an outsider's download of it would show it.
    letter = _attached(complaint, assistant, pdf("letter.pdf", f"/T ({text('letter')}) ".encode()))
    photo = _attached(complaint, assistant, jpeg("leak.jpg"))
    return Records(
        office=office, people=people, shift=shift, category=category, scan=scan,
        photo=photo, letter=letter, major_report=major_report,
        complaint=complaint, successor=successor, revisited=second, line=line,
        complaint_line=complaint_line, handover=handover, contact=contact,
        work_order=work_order, escalation=escalation, review=review, item=item,
        notifications=notifications, override=override, office_report=office_report,
        branch_report=branch_report,
    )  # fmt: skip
