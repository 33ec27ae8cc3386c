"""`manage.py seed_demo`: demo staff for every role, safe to run twice."""

import pytest
from django.contrib.auth import authenticate
from django.core.management import call_command
from django.utils import translation

from accounts.demo import DEMO_PASSWORD
from accounts.models import Branch, Membership, Office, User
from accounts.roles import Role
from complaints.models import Building, Unit

pytestmark = pytest.mark.django_db


def counts():
    return [m.objects.count() for m in (Branch, Office, Building, Unit, User, Membership)]


def test_seed_demo_creates_one_branch_three_offices_and_every_role(capsys):
    call_command("seed_demo")
    assert Branch.objects.count() == 1
    assert Office.objects.count() == 3
    assert Building.objects.filter(office__code="HY").exists()
    assert set(Membership.objects.values_list("role", flat=True)) == set(Role.values)
    printed = capsys.readouterr().out
    assert DEMO_PASSWORD in printed and "hy-assistant" in printed


def test_seed_demo_twice_creates_no_duplicates():
    call_command("seed_demo")
    first = counts()
    call_command("seed_demo")
    assert counts() == first


def test_demo_logins_work_with_the_printed_password(rf):
    call_command("seed_demo")
    request = rf.post("/login/")
    assert authenticate(request, username="hy-assistant", password=DEMO_PASSWORD) is not None
    assert authenticate(request, username="quality", password=DEMO_PASSWORD) is not None


def test_seed_demo_prints_the_counts_it_really_created(capsys):
    # A newcomer reads the printed figures against the desk: each is what the tables hold, the
    # complaints recorded after an unsatisfied revisit (R-REV-2) included.
    from complaints.demo import PER_OFFICE
    from complaints.models import Complaint
    from followups.models import Notification
    from reports.models import MonthlyReport

    with translation.override("en"):
        call_command("seed_demo")
    printed = capsys.readouterr().out
    total, at_the_desk = Complaint.objects.count(), sum(PER_OFFICE.values())
    assert total > at_the_desk  # some revisits were unsatisfied
    assert (
        f"{total} new complaints ({at_the_desk} taken at the desk, "
        f"{total - at_the_desk} recorded after an unsatisfied revisit)"
    ) in printed
    assert f"{User.objects.count()} new staff" in printed
    assert f"{Notification.objects.count()} notices" in printed
    assert f"{MonthlyReport.objects.count()} monthly reports" in printed

    with translation.override("en"):
        call_command("seed_demo")
    assert "0 new complaints (0 taken at the desk" in capsys.readouterr().out


def test_seed_demo_queues_no_notification_sends(django_capture_on_commit_callbacks):
    # The demo's notices go to users without an e-mail address: no task to queue for them.
    from followups.models import Notification
    from followups.notify import _kick_sender

    with django_capture_on_commit_callbacks() as callbacks:
        call_command("seed_demo")
    assert Notification.objects.exists()
    assert not Notification.objects.exclude(recipient__email="").exists()
    assert _kick_sender not in callbacks


def test_after_the_demo_the_managers_unread_notices_are_what_still_waits():
    # Issue 14 item 2, R-CLO-3: the approval notices of complaints the demo closed are done by
    # themselves; what stays unread for a manager is still waiting for them.
    from django.db.models import Q

    from complaints.models import Complaint
    from followups.models import Notification

    call_command("seed_demo")
    manager = User.objects.get(username="hy-manager")
    unread = Notification.objects.addressed_to(manager).unread()
    waiting = Complaint.objects.filter(office__code="HY", status="revisited")
    closure = unread.filter(kind=Notification.Kind.CLOSURE)
    assert set(closure.values_list("complaint", flat=True)) == set(
        waiting.values_list("pk", flat=True)
    )
    assert not unread.filter(
        Q(complaint__status="closed") | Q(complaint__status="superseded")
    ).exists()
    assert Notification.objects.filter(resolved_reason=Notification.Resolved.CLOSED).exists()
