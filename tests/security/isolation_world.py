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

from accounts.models import Branch, Office, User
from complaints.models import (
    Attachment,
    CalendarOverride,
    CalendarYear,
    Category,
    Complaint,
    HiddenCategory,
)
from integrations.models import IntegrationToken, WebhookDelivery, WebhookSubscription
from reports.models import MonthlyReport
from tests.factories import (
    BranchFactory,
    ComplaintFactory,
    OfficeFactory,
)
from tests.world import BRANCH_ROLES, OFFICE_ROLES, one_of_every_record, people_of

VICTIM = "zzvic"  # in every text of the victim office's records
BRANCH = "zzbranch"  # in every text only the home branch's roles may see

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
    photo: Attachment | None = None  # the victim's photo; world.of(Attachment) is a PDF
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
        return [f"{office}.{role}" for office in ("sibling", "other") for role in OFFICE_ROLES]

    @property
    def outsiders_of_branch(self) -> list[str]:
        """Branch roles of the other branch."""
        return [f"away.{role}" for role in BRANCH_ROLES]


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


def _of(prefix: str, people: dict[str, User]) -> dict[str, User]:
    return {f"{prefix}.{key}": user for key, user in people.items()}


def build_world() -> World:
    now = timezone.now().replace(microsecond=0)
    home = BranchFactory(code="HOME", name=f"Branch {BRANCH}")
    away = BranchFactory(code="AWAY", name="Branch away")
    victim = OfficeFactory(code="ZZVIC", name=f"Office {VICTIM}", branch=home)
    sibling = OfficeFactory(code="SIB", name="Office sibling", branch=home)
    other = OfficeFactory(code="OTH", name="Office other", branch=away)
    mine = people_of(victim, login=VICTIM, text=lambda what: f"{VICTIM} {what}")
    branch_people = people_of(home, login="home", text=lambda what: f"{BRANCH} {what}")
    users: dict[str, User] = {
        **_of("victim", mine),
        **_of("sibling", people_of(sibling, login="sibling", text=lambda what: f"sib {what}")),
        **_of("other", people_of(other, login="other", text=lambda what: f"oth {what}")),
        **_of("home", branch_people),
        **_of("away", people_of(away, login="away")),
        "root": User.objects.create_superuser("root", "root@example.com", "not-used"),
    }
    world = World(now, home, away, victim, sibling, other, users)
    for key, office in (("sibling", sibling), ("other", other)):
        # Their own records, made first: no victim's pk is shared by chance.
        ComplaintFactory(office=office, received_by=users[f"{key}.assistant"])
    records = one_of_every_record(
        victim,
        {**mine, **branch_people},
        now=now,
        text=lambda what: f"{VICTIM} {what}",
        branch_text=lambda what: f"{BRANCH} {what}",
        month=(now.date().replace(day=1) - timedelta(days=1)).replace(day=1),
    )
    # Configuration of the victim's branch: its own category, an every-branch one it hides.
    branch_category = Category.objects.create(name=f"{BRANCH} category", position=500, branch=home)
    hidden = HiddenCategory.objects.create(
        branch=home, category=Category.objects.filter(branch__isnull=True).last()
    )
    # The victim branch's confirmed calendar year (its quality department's), and one for every
    # branch (a superuser's).
    qd = users["home.qd"]
    year = CalendarYear.objects.create(year=2031, branch=home, confirmed_at=now, confirmed_by=qd)
    # Every branch's configuration: a superuser's alone (the seeded categories are too).
    world.every_branch = {
        CalendarYear: CalendarYear.objects.create(
            year=2032, branch=None, confirmed_at=now, confirmed_by=users["root"]
        ),
        CalendarOverride: CalendarOverride.objects.create(
            day=date(2031, 5, 7), kind=CalendarOverride.Kind.WORKING_DAY, note="every branch"
        ),
        Category: records.category,
        # not hidden yet (made when an earlier flush left fewer seeded categories)
        "category_to_hide": Category.objects.filter(branch__isnull=True)
        .exclude(pk=hidden.category_id)
        .first()
        or Category.objects.create(name="every branch, to hide", position=501),
    }
    # Superuser-only records that still name the victim: failed logins of their account.
    records.extra = {model: _login_record(model, f"{VICTIM}-assistant") for model in LOGIN_RECORDS}
    records.extra.update({Category: branch_category, HiddenCategory: hidden, CalendarYear: year})
    # Superuser-only too: an integration token acting as the victim's assistant.
    token = IntegrationToken(
        name=f"{VICTIM} CRM", user=mine["assistant"], expires_at=now + timedelta(days=30)
    )
    token.new_secret()
    token.save()
    records.extra[IntegrationToken] = token
    # Its webhook and what it was told of the victim's complaint: superuser-only as well.
    hook = WebhookSubscription.objects.create(
        token=token, url=f"https://crm.example.com/{VICTIM}/desk-hooks"
    )
    records.extra[WebhookSubscription] = hook
    records.extra[WebhookDelivery] = WebhookDelivery.objects.create(
        subscription=hook,
        event="recorded",
        complaint=records.complaint,
        cause=f"{VICTIM} recorded",
        occurred_at=now,
        attempts=2,
        last_status_code=503,
        last_error=f"{VICTIM} receiver unavailable",
        next_attempt_at=now + timedelta(minutes=1),
    )
    world.office_report, world.branch_report = records.office_report, records.branch_report
    world.complaint, world.revisited = records.complaint, records.revisited
    world.photo = records.photo
    world.objects = records.by_model()
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
