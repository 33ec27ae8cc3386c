"""Factories: each test builds exactly the world it needs."""

from datetime import timedelta

import factory
from django.db import transaction
from django.utils import timezone

from accounts.models import Branch, Membership, Office, Shift, User
from accounts.roles import BRANCH_ROLES, Role
from complaints.models import Building, Unit

PASSWORD = "correct-horse-battery"


class BranchFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Branch
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"B{n:02d}")
    name = factory.Sequence(lambda n: f"第{n}分公司")


class OfficeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Office
        django_get_or_create = ("code",)

    branch = factory.SubFactory(BranchFactory)
    code = factory.Sequence(lambda n: f"O{n:03d}")
    name = factory.Sequence(lambda n: f"第{n}管理处")


class ShiftFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Shift

    office = factory.SubFactory(OfficeFactory)
    name = "早班"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    full_name = factory.Sequence(lambda n: f"员工{n}")
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def save_password(obj, create, extracted, **kwargs):
        if create:
            obj.save()


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    role = Role.CLIENT_ASSISTANT
    office = factory.SubFactory(OfficeFactory)


class BuildingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Building
        django_get_or_create = ("office", "name")

    office = factory.SubFactory(OfficeFactory)
    name = factory.Sequence(lambda n: f"{n}栋")


class UnitFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Unit

    building = factory.SubFactory(BuildingFactory)
    name = factory.Sequence(lambda n: f"{n}单元")


def staff(role: str, *, office: Office | None = None, branch: Branch | None = None, **fields):
    """A user holding `role` in `office` (office roles) or `branch` (branch roles)."""
    user = UserFactory(**fields)
    if role in BRANCH_ROLES:
        MembershipFactory(user=user, role=role, office=None, branch=branch or BranchFactory())
    else:
        MembershipFactory(user=user, role=role, office=office or OfficeFactory())
    return user


class CategoryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "complaints.Category"
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"类别{n}")


class ComplaintFactory(factory.django.DjangoModelFactory):
    """A complaint as intake would have left it: numbered, with its deadlines.

    For the intake rules themselves, tests call `complaints.workflow.record_complaint`."""

    class Meta:
        model = "complaints.Complaint"

    office = factory.SubFactory(OfficeFactory)
    complainant_name = factory.Sequence(lambda n: f"业主{n}")
    phone = factory.Sequence(lambda n: f"+86138{n:08d}")
    building = factory.LazyAttribute(lambda o: BuildingFactory(office=o.office))
    room = "1502"
    received_at = factory.LazyFunction(lambda: timezone.now() - timedelta(minutes=30))
    entered_at = factory.LazyAttribute(
        lambda o: min(o.received_at + timedelta(minutes=10), timezone.now())
    )
    received_by = factory.LazyAttribute(lambda o: staff(Role.CLIENT_ASSISTANT, office=o.office))
    entered_by = factory.SelfAttribute("received_by")
    channel = "phone"
    category = factory.SubFactory(CategoryFactory)
    classification = "valid"
    severity = "general"
    description = "楼上装修噪音，晚上十点后仍在施工"
    customer_request = "要求立即停止夜间施工"

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        from complaints.workflow import next_number, set_deadlines

        complaint = model_class(*args, **kwargs)
        set_deadlines(complaint)
        if not complaint.answered_at_once and complaint.reply_due is None:
            complaint.reply_due = complaint.reply_latest
        complaint.entered_late = complaint.entered_at > complaint.entry_due
        complaint.is_complete = not complaint.missing_record_fields()
        with transaction.atomic():
            complaint.number = next_number(complaint.office, complaint.received_at)
            complaint.save()
        return complaint


class DutyLogEntryFactory(factory.django.DjangoModelFactory):
    """A duty-log line that is not a complaint, as `add_duty_log_line` leaves it (R-LOG-1)."""

    class Meta:
        model = "complaints.DutyLogEntry"

    office = factory.SubFactory(OfficeFactory)
    occurred_at = factory.LazyFunction(timezone.now)
    kind = "inquiry"
    customer_name = factory.Sequence(lambda n: f"业主{n}")
    address = "3栋1502"
    contact = factory.Sequence(lambda n: f"+86139{n:08d}")
    matter = "咨询停车月卡办理"
    recorder = factory.LazyAttribute(lambda o: staff(Role.CLIENT_ASSISTANT, office=o.office))


class ShiftHandoverFactory(factory.django.DjangoModelFactory):
    """A handover signed by the outgoing assistant, not yet countersigned (R-LOG-2)."""

    class Meta:
        model = "complaints.ShiftHandover"

    office = factory.SubFactory(OfficeFactory)
    handed_over_at = factory.LazyFunction(timezone.now)
    items = "3栋电梯维修未完成，晚班跟进"
    outgoing = factory.LazyAttribute(lambda o: staff(Role.CLIENT_ASSISTANT, office=o.office))


class WebsiteScanFactory(factory.django.DjangoModelFactory):
    """A scan of the community website / BBS (R-CHAN-2)."""

    class Meta:
        model = "complaints.WebsiteScan"

    office = factory.SubFactory(OfficeFactory)
    scanned_at = factory.LazyFunction(timezone.now)
    scanned_by = factory.LazyAttribute(lambda o: staff(Role.CLIENT_ASSISTANT, office=o.office))
    site = "业主论坛"
    findings = ""


class DispatchFactory(factory.django.DjangoModelFactory):
    """A work order as `followups.workflow.dispatch` leaves it (R-HND-1)."""

    class Meta:
        model = "followups.Dispatch"

    complaint = factory.SubFactory(ComplaintFactory)
    department = "engineering"
    instructions = "派人处理"
    dispatched_at = factory.LazyAttribute(lambda o: o.complaint.received_at + timedelta(hours=1))
    due_at = factory.LazyAttribute(lambda o: o.dispatched_at + timedelta(hours=4))
    by = factory.LazyAttribute(lambda o: o.complaint.received_by)


class IntegrationTokenFactory(factory.django.DjangoModelFactory):
    """An integration's token acting as `user`, with a fresh secret (the factory keeps it on
    `token.secret`, the one moment it exists in clear)."""

    class Meta:
        model = "integrations.IntegrationToken"

    name = "CRM"
    user = factory.LazyFunction(lambda: staff(Role.CLIENT_ASSISTANT, office=OfficeFactory()))
    expires_at = factory.LazyFunction(lambda: timezone.now() + timedelta(days=30))

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        token = model_class(*args, **kwargs)
        token.secret = token.new_secret()
        token.save()
        return token
