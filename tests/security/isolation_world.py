"""The world of the isolation sweep: two branches, every role, one of every record in the
victim office.

Branch "home" has the victim office (ZZVIC) and a sibling office (SIB); branch "away" has one
office (OTH). Every office has an assistant, a supervisor and a manager; every branch a general
manager and a quality department. Everything office-owned lives in the victim office, and every
text a page could show of it carries the token `zzvic` (the office code is ZZVIC, so complaint
numbers carry it too): an outsider's response that contains it has leaked. What only branch
roles of "home" may see (the branch, its branch-role staff, its branch report) carries `zzbranch`.

The world is built once per test module inside a transaction that is rolled back at the end
(`world` fixture below); each test runs in a savepoint of it, so a POST that changes a record
is undone before the next test.
"""

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

import pytest
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.db import transaction
from django.db.models import Model
from django.test import override_settings
from django.utils import timezone

from accounts.models import Branch, Membership, Office, Shift, User
from accounts.roles import Role
from complaints.models import (
    CalendarOverride,
    Category,
    Complaint,
    ComplaintEvent,
    DutyLogEntry,
    HiddenCategory,
)
from followups.models import (
    ClosureRequest,
    Contact,
    CorrectiveAction,
    Dispatch,
    Escalation,
    Notification,
    Revisit,
    ShiftReview,
    ShiftReviewItem,
)
from followups.workflow import dispatch, record_contact
from reports.models import MonthlyReport
from reports.workflow import generate_report
from tests.factories import (
    BranchFactory,
    BuildingFactory,
    ComplaintFactory,
    DutyLogEntryFactory,
    OfficeFactory,
    ShiftHandoverFactory,
    UnitFactory,
    WebsiteScanFactory,
    staff,
)
from tests.followups.states import revisited

VICTIM = "zzvic"  # in every text of the victim office's records
BRANCH = "zzbranch"  # in every text only the home branch's roles may see

OFFICE_ROLE_KEYS = {
    "assistant": Role.CLIENT_ASSISTANT,
    "supervisor": Role.CUSTOMER_SUPERVISOR,
    "manager": Role.OFFICE_MANAGER,
}
BRANCH_ROLE_KEYS = {"gm": Role.BRANCH_GM, "qd": Role.QUALITY_DEPARTMENT}
FAST_HASHER = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # many users, no login form


@dataclass
class World:
    now: datetime
    home: Branch  # the victim's branch
    away: Branch
    victim: Office
    sibling: Office  # another office of the victim's branch
    other: Office  # the office of the other branch
    users: dict[str, User]  # "victim.assistant", "sibling.manager", "home.qd", "away.gm", ...
    objects: dict[type[Model], Model] = field(default_factory=dict)  # the victim's, per model
    complaint: Complaint | None = None  # open, 16 days old: escalated, contacted, dispatched
    revisited: Complaint | None = None  # waiting for the manager's closure approval
    office_report: MonthlyReport | None = None
    branch_report: MonthlyReport | None = None
    # Rows for every branch (no branch), per model: only a superuser changes them.
    every_branch: dict = field(default_factory=dict)

    def user(self, key: str) -> User:
        return self.users[key]

    def of(self, model: type[Model]) -> Model:
        """The victim's record of `model` (KeyError: the world has none — add one)."""
        return self.objects[model]

    @property
    def outsiders_of_office(self) -> list[str]:
        """Office roles of another office: the sibling office and the other branch's office."""
        return [f"{office}.{role}" for office in ("sibling", "other") for role in OFFICE_ROLE_KEYS]

    @property
    def outsiders_of_branch(self) -> list[str]:
        """Branch roles of the other branch."""
        return [f"away.{role}" for role in BRANCH_ROLE_KEYS]


def _people(world_users: dict, office: Office, prefix: str, token: str, login="") -> None:
    for key, role in OFFICE_ROLE_KEYS.items():
        world_users[f"{prefix}.{key}"] = staff(
            role,
            office=office,
            username=f"{login or prefix}-{key}",
            full_name=f"{token} {prefix} {key}",
            email=f"{prefix}-{key}@example.com",
        )


def _branch_people(world_users: dict, branch: Branch, prefix: str, token: str) -> None:
    for key, role in BRANCH_ROLE_KEYS.items():
        world_users[f"{prefix}.{key}"] = staff(
            role,
            branch=branch,
            username=f"{prefix}-{key}",
            full_name=f"{token} {prefix} {key}",
            email=f"{prefix}-{key}@example.com",
        )


LOGIN_RECORDS = (AccessAttempt, AccessLog, AccessFailureLog)


def _login_record(model, username: str):
    extra = {"get_data": "", "post_data": "", "failures_since_start": 1}
    record = model.objects.create(
        username=username,
        user_agent="pytest",
        ip_address="10.0.0.1",
        http_accept="*/*",
        path_info="/admin/login/",
        **(extra if model is AccessAttempt else {}),
    )
    if model is AccessAttempt:
        # Every login deletes attempts older than the cool-off (15 min): on a busy machine a
        # module outlives that, and the victim's record would vanish mid-sweep.
        model.objects.filter(pk=record.pk).update(attempt_time=timezone.now() + timedelta(days=1))
        record.refresh_from_db()
    return record


def build_world() -> World:
    now = timezone.now().replace(microsecond=0)
    home = BranchFactory(code="HOME", name=f"Branch {BRANCH}")
    away = BranchFactory(code="AWAY", name="Branch away")
    victim = OfficeFactory(code="ZZVIC", name=f"Office {VICTIM}", branch=home)
    sibling = OfficeFactory(code="SIB", name="Office sibling", branch=home)
    other = OfficeFactory(code="OTH", name="Office other", branch=away)
    users: dict[str, User] = {}
    _people(users, victim, "victim", VICTIM, login=VICTIM)
    _people(users, sibling, "sibling", "sib")
    _people(users, other, "other", "oth")
    _branch_people(users, home, "home", BRANCH)
    _branch_people(users, away, "away", "away")
    users["root"] = User.objects.create_superuser("root", "root@example.com", "not-used")
    world = World(now, home, away, victim, sibling, other, users)
    for key, office in (("sibling", sibling), ("other", other)):
        # Their own records, made first: no victim's pk is shared by chance.
        ComplaintFactory(office=office, received_by=users[f"{key}.assistant"])
    assistant, manager = users["victim.assistant"], users["victim.manager"]

    shift = Shift.objects.create(office=victim, name=f"{VICTIM} shift")
    building = BuildingFactory(office=victim, name=f"Tower {VICTIM}")
    unit = UnitFactory(building=building, name=f"Unit {VICTIM}")
    category = Category.objects.first()
    complaint = ComplaintFactory(
        office=victim,
        building=building,
        unit=unit,
        category=category,
        received_by=assistant,
        received_at=now - timedelta(days=16),
        complainant_name=f"Mr {VICTIM} complainant",
        phone="+8613900000001",
        description=f"{VICTIM}: water leaks from the ceiling",
    )
    contact = record_contact(
        complaint,
        by=assistant,
        kind=Contact.Kind.PROGRESS,
        method=Contact.Method.PHONE,
        summary=f"{VICTIM} progress",
        now=now - timedelta(days=1),
    )
    work_order = dispatch(
        complaint,
        by=assistant,
        department=Dispatch.Department.ENGINEERING,
        instructions=f"{VICTIM} fix the pipe",
        assignee=f"{VICTIM} plumber",
        due_at=now + timedelta(days=1),
        now=now,
    )
    Escalation.objects.create(complaint=complaint, level=Escalation.Level.DAY_10, at=now)
    escalation = Escalation.objects.create(
        complaint=complaint, level=Escalation.Level.DAY_15, at=now
    )
    review = ShiftReview.objects.create(
        office=victim, shift=shift, starts_at=now, due_at=now + timedelta(minutes=30)
    )
    item = ShiftReviewItem.objects.create(
        review=review, complaint=complaint, reason=ShiftReviewItem.Reason.OLD_OPEN
    )
    notification = Notification.objects.create(
        recipient=manager,
        kind=Notification.Kind.ESCALATION_15,
        complaint=complaint,
        key=f"{VICTIM}-15",
        title=f"{VICTIM} open 15 days",
    )
    second = ComplaintFactory(
        office=victim,
        building=building,
        category=category,
        received_by=assistant,
        received_at=now - timedelta(days=2),
        complainant_name=f"Ms {VICTIM} satisfied",
        phone="+8613900000002",
        description=f"{VICTIM}: the lift stopped",
    )
    second = revisited(second, assistant, now - timedelta(days=1))
    line = DutyLogEntryFactory(
        office=victim,
        recorder=assistant,
        customer_name=f"{VICTIM} caller",
        matter=f"{VICTIM} asks about parking",
    )
    handover = ShiftHandoverFactory(
        office=victim, outgoing=assistant, items=f"{VICTIM} lift repair unfinished"
    )
    scan = WebsiteScanFactory(
        office=victim, scanned_by=assistant, site=f"{VICTIM} forum", findings=f"{VICTIM} post"
    )
    override = CalendarOverride.objects.create(
        day=date(2031, 5, 6), kind=CalendarOverride.Kind.DAY_OFF, branch=home, note=BRANCH
    )
    # Configuration of the victim's branch: its own category, an every-branch one it hides.
    branch_category = Category.objects.create(name=f"{BRANCH} category", position=500, branch=home)
    hidden = HiddenCategory.objects.create(
        branch=home, category=Category.objects.filter(branch__isnull=True).last()
    )
    # Every branch's configuration: a superuser's alone (the seeded categories are too).
    world.every_branch = {
        CalendarOverride: CalendarOverride.objects.create(
            day=date(2031, 5, 7), kind=CalendarOverride.Kind.WORKING_DAY, note="every branch"
        ),
        Category: category,
        "category_to_hide": Category.objects.filter(branch__isnull=True)[1],  # not hidden yet
    }
    month = (now.date().replace(day=1) - timedelta(days=1)).replace(day=1)
    world.office_report = generate_report(office=victim, month=month, now=now)[0]
    world.branch_report = generate_report(branch=home, month=month, now=now)[0]
    world.complaint, world.revisited = complaint, second
    world.objects = {
        Branch: home,
        Office: victim,
        User: assistant,
        Membership: Membership.objects.get(user=assistant),
        Shift: shift,
        type(building): building,
        type(unit): unit,
        type(complaint): complaint,
        ComplaintEvent: complaint.events.first(),
        DutyLogEntry: line,
        type(handover): handover,
        type(scan): scan,
        CalendarOverride: override,
        Category: branch_category,
        HiddenCategory: hidden,
        Contact: contact,
        Dispatch: work_order,
        CorrectiveAction: second.corrective_actions.first(),
        Revisit: second.revisits.first(),
        Escalation: escalation,
        ShiftReview: review,
        ShiftReviewItem: item,
        Notification: notification,
        ClosureRequest: ClosureRequest.objects.get(pk=second.pk),
        MonthlyReport: world.office_report,
        # Superuser-only records that still name the victim: failed logins of their account.
        **{model: _login_record(model, f"{VICTIM}-assistant") for model in LOGIN_RECORDS},
    }
    return world


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    """One world per module, rolled back at its end; tests run in savepoints inside it."""
    with django_db_blocker.unblock():
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            with override_settings(PASSWORD_HASHERS=FAST_HASHER):
                yield build_world()
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)
