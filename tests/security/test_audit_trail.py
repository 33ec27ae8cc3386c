"""The complaint timeline is the audit trail (issue #7, audit): append-only in the database
itself, and every line names who made the change, in the desk and in the admin.

Threat: the timeline decides who is blamed for what; whoever can rewrite or delete a line
afterwards (a manager in the admin, a script, a psql session) could move the blame or hide a
missed deadline."""

from datetime import timedelta

import pytest
import time_machine
from django.contrib.admin import helpers
from django.contrib.admin.models import CHANGE, LogEntry
from django.db import IntegrityError, connection, transaction
from django.urls import reverse

from accounts.models import User
from accounts.roles import Role
from complaints.models import Complaint, ComplaintEvent
from complaints.workflow import record_complaint
from followups import workflow
from tests.factories import BuildingFactory, CategoryFactory, ComplaintFactory, staff
from tests.followups.conftest import T0
from tests.followups.states import revisited

pytestmark = pytest.mark.django_db
needs_postgresql = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="the DELETE guard is a PostgreSQL trigger; SQLite's flush deletes row by row",
)
Kind = ComplaintEvent.Kind


@pytest.fixture
def event():
    complaint = ComplaintFactory()
    return ComplaintEvent.objects.create(
        complaint=complaint, kind=Kind.RECORDED, actor=complaint.entered_by, note="录入"
    )


def refused(statement):
    """Run `statement` in its own savepoint; True when the database refused it."""
    try:
        with transaction.atomic():
            statement()
    except IntegrityError as error:
        assert "append-only" in str(error)
        return True
    return False


def raw(sql, *params):
    def run():
        with connection.cursor() as cursor:
            cursor.execute(sql, params)

    return run


def test_sql_cannot_rewrite_a_timeline_line(event):
    """Threat: a psql session or a script moves the blame by editing a line."""
    assert refused(
        raw("UPDATE complaints_complaintevent SET note = 'changed' WHERE id = %s", event.pk)
    )
    assert refused(
        raw("UPDATE complaints_complaintevent SET actor_id = NULL WHERE id = %s", event.pk)
    )
    event.refresh_from_db()
    assert event.note == "录入" and event.actor_id is not None


def test_the_orm_cannot_rewrite_a_timeline_line(event):
    """Threat: code (a careless data fix, an admin customisation) edits a line."""
    assert refused(lambda: ComplaintEvent.objects.filter(pk=event.pk).update(note="changed"))
    event.note = "changed"
    assert refused(event.save)
    event.refresh_from_db()
    assert event.note == "录入"


@needs_postgresql
def test_sql_cannot_delete_a_timeline_line(event):
    """Threat: a missed deadline is hidden by deleting the line that shows it."""
    assert refused(raw("DELETE FROM complaints_complaintevent WHERE id = %s", event.pk))
    assert ComplaintEvent.objects.filter(pk=event.pk).exists()


@needs_postgresql
def test_the_orm_cannot_delete_a_timeline_line_nor_the_complaint_it_belongs_to(event):
    """Threat as above, through the ORM: deleting the complaint would cascade to its timeline,
    so a complaint with a timeline cannot be deleted either (the admin offers no delete)."""
    assert refused(lambda: ComplaintEvent.objects.filter(pk=event.pk).delete())
    assert refused(event.complaint.delete)
    assert Complaint.objects.filter(pk=event.complaint_id).exists()
    assert ComplaintEvent.objects.filter(pk=event.pk).exists()


@needs_postgresql
@pytest.mark.django_db(transaction=True)  # SET LOCAL lasts to the end of a real transaction
def test_only_a_retention_job_that_says_so_may_delete_and_never_rewrite(event):
    """The one way through the guard: `SET LOCAL desk.timeline_retention = 'on'` in the job's
    own transaction (none runs today: the procedure sets no retention for complaints)."""

    def retention_update():
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL desk.timeline_retention = 'on'")
            cursor.execute(
                "UPDATE complaints_complaintevent SET note = 'x' WHERE id = %s", [event.pk]
            )

    assert refused(retention_update)
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL desk.timeline_retention = 'on'")
        ComplaintEvent.objects.filter(pk=event.pk).delete()
    assert not ComplaintEvent.objects.filter(pk=event.pk).exists()
    # SET LOCAL ended with that transaction: the next delete is refused again.
    other = ComplaintEvent.objects.create(complaint=event.complaint, kind=Kind.EDITED)
    assert refused(lambda: ComplaintEvent.objects.filter(pk=other.pk).delete())


def test_every_step_of_a_complaints_life_names_who_took_it(client):
    """Each change the procedure knows, from intake to the manager's approval in the admin,
    writes a timeline line with the user who made it (R-REC-1, R-HND-1, R-REV-1, R-CLO-3)."""
    assistant = staff(Role.CLIENT_ASSISTANT)
    office = assistant.memberships.get().office
    supervisor = staff(Role.CUSTOMER_SUPERVISOR, office=office)
    colleague = staff(Role.CLIENT_ASSISTANT, office=office)
    manager = staff(Role.OFFICE_MANAGER, office=office)
    with time_machine.travel(T0, tick=False) as clock:
        complaint = record_complaint(
            Complaint(
                office=office,
                complainant_name="王先生",
                phone="+8613800138000",
                building=BuildingFactory(office=office),
                room="1502",
                received_at=T0 - timedelta(minutes=20),
                channel="phone",
                category=CategoryFactory(),
                description="楼上夜间装修",
                customer_request="停止夜间施工",
                reply_due=T0 + timedelta(days=1),
            ),
            by=assistant,
        )
        clock.shift(timedelta(hours=1))
        workflow.record_contact(
            complaint, by=assistant, kind="reply", method="phone", summary="已答复"
        )
        workflow.dispatch(
            complaint,
            by=supervisor,
            department="security",
            instructions="制止夜间施工",
            due_at=T0 + timedelta(hours=3),
        )
        workflow.record_corrective_action(
            complaint, by=supervisor, cause="未遵守时间", correction="已制止", prevention="巡查"
        )
        workflow.resolve(complaint, by=supervisor)
        clock.shift(timedelta(hours=2))
        workflow.record_revisit(complaint, by=colleague, method="phone", outcome="satisfied")
        clock.shift(timedelta(hours=1))
        client.force_login(manager)
        response = client.post(
            reverse("admin:followups_closurerequest_changelist"),
            {"action": "approve", helpers.ACTION_CHECKBOX_NAME: [complaint.pk], "apply": "yes"},
        )
        assert response.status_code == 302

    timeline = list(complaint.events.order_by("at", "pk").values_list("kind", "actor"))
    assert timeline == [
        (Kind.RECORDED, assistant.pk),
        (Kind.CONTACT, assistant.pk),
        (Kind.DISPATCHED, supervisor.pk),
        (Kind.CORRECTIVE_ACTION, supervisor.pk),
        (Kind.RESOLVED, supervisor.pk),
        (Kind.REVISITED, colleague.pk),
        (Kind.CLOSED, manager.pk),
    ]


def test_rejecting_a_closure_in_the_admin_names_the_manager_and_the_reason(client):
    """R-CLO-3: the manager who sent a complaint back to handling is on the timeline."""
    assistant = staff(Role.CLIENT_ASSISTANT)
    office = assistant.memberships.get().office
    manager = staff(Role.OFFICE_MANAGER, office=office)
    complaint = ComplaintFactory(office=office, received_by=assistant, received_at=T0)
    revisited(complaint, assistant, T0 + timedelta(days=1))
    client.force_login(manager)
    with time_machine.travel(T0 + timedelta(days=2), tick=False):
        client.post(
            reverse("admin:followups_closurerequest_changelist"),
            {
                "action": "reject",
                "apply": "yes",
                "reject-reason": "整改措施不具体",
                helpers.ACTION_CHECKBOX_NAME: [complaint.pk],
            },
        )
    rejected = complaint.events.get(kind=Kind.CLOSURE_REJECTED)
    assert (rejected.actor, rejected.note) == (manager, "整改措施不具体")


def test_a_correction_in_the_admin_names_the_editor_and_every_changed_field(client):
    """Threat: a record corrected in the admin without trace (who changed the class of a
    complaint, and so whether it counts against the office?)."""
    editor = User.objects.create_superuser("root", "root@example.com", "pw-not-used")
    complaint = ComplaintFactory()
    url = reverse("admin:complaints_complaint_change", args=[complaint.pk])
    client.force_login(editor)
    form = client.get(url).context["adminform"].form
    data = {
        name: ("" if value is None else value)
        for name, value in ((name, form[name].value()) for name in form.fields)
    }
    data.update(
        {
            "events-TOTAL_FORMS": "0",
            "events-INITIAL_FORMS": "0",
            "classification": "invalid",
            "description": "楼上夜间装修，已核实为合法施工时段",
        }
    )
    response = client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    edited = complaint.events.get(kind=Kind.EDITED)
    assert edited.actor == editor
    assert edited.data["fields"] == ["classification", "description"]
    # The admin's own history says it too.
    log = LogEntry.objects.get(object_id=str(complaint.pk), action_flag=CHANGE)
    assert log.user == editor


def test_a_manager_who_may_only_read_complaints_in_the_admin_changes_nothing(client):
    """Threat: a side door around the workflow. Office managers read complaints in the admin;
    a forged change POST is refused and leaves no trace because nothing changed."""
    complaint = ComplaintFactory()
    manager = staff(Role.OFFICE_MANAGER, office=complaint.office)
    client.force_login(manager)
    response = client.post(
        reverse("admin:complaints_complaint_change", args=[complaint.pk]),
        {"complainant_name": "改过的名字", "events-TOTAL_FORMS": "0", "events-INITIAL_FORMS": "0"},
    )
    assert response.status_code == 403
    complaint.refresh_from_db()
    assert complaint.complainant_name != "改过的名字"
    assert not complaint.events.exists()
