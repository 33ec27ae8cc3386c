"""The notice catalogue (followups.notices): one entry per kind, written in the procedure's
language whoever caused the notice and whatever language they browse in.

Threats covered: a notice kind typed as a raw string that the catalogue does not know; a notice
written in the acting user's chosen language (English) that its Chinese readers get; a kind
added without its Chinese text."""

from datetime import timedelta

import pytest
import time_machine
from django.conf import settings
from django.urls import reverse
from django.utils import translation

from accounts.roles import Role
from followups.clocks import escalation_scan
from followups.models import Escalation, Notification
from followups.notices import LANGUAGE, NOTICES, compose, notice
from followups.notify import notify
from followups.workflow import reject_closure, report_to_branch_gm
from tests.factories import staff

from .conftest import T0
from .states import handled, revisited

pytestmark = pytest.mark.django_db
Kind = Notification.Kind
PARAMS = {
    "number": "HY-202611-0001",
    "office": "第一管理处",
    "name": "王女士",
    "description": "电梯故障",
    "start": "11-16 08:00",
    "day": "2026-11-15",
    "total": 3,
    "open": 2,
    "urgent": 1,
    "major": 0,
    "late": 0,
    "monday": "11-09",
    "sunday": "11-15",
    "month": "2026-10",
    "since": "11-20 11:00",
    "limit": 10,
    "scans": 1,
    "answer_by": "2026-11-22 10:00",
    "year": 2027,
}


def test_every_kind_has_one_entry_in_the_catalogue():
    assert set(NOTICES) == set(Kind)
    assert all(entry.kind == kind for kind, entry in NOTICES.items())
    assert all(entry.roles and entry.rule.startswith("R-") for entry in NOTICES.values())


def test_a_raw_string_is_not_a_notice_kind(office, manager):
    """Threat: `kind="major"` typed by hand bypasses the catalogue's list of kinds."""
    with pytest.raises(TypeError):
        notice("major")
    with pytest.raises(TypeError):
        notify(manager, "major", key="raw", place=office, **PARAMS)
    assert not Notification.objects.exists()


@pytest.mark.parametrize("kind", list(Kind))
def test_every_notice_is_written_in_chinese_whatever_language_is_active(kind):
    with translation.override("en"):
        in_english_request = compose(kind, text="正文", **PARAMS)
    with translation.override(LANGUAGE):
        in_chinese_request = compose(kind, text="正文", **PARAMS)
    source = NOTICES[kind].title % PARAMS
    assert in_english_request == in_chinese_request
    assert in_english_request[0] != source  # the title has its Chinese translation


def english(client, user):
    client.force_login(user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def test_a_revisit_recorded_by_an_assistant_browsing_in_english_asks_approval_in_chinese(
    client, complaint, assistant, manager
):
    handled(complaint, assistant, T0 + timedelta(days=1))
    with time_machine.travel(T0 + timedelta(days=1, hours=2), tick=False):
        response = english(client, assistant).post(
            reverse("followups:revisit", args=[complaint.pk]),
            {"revisit-method": "phone", "revisit-outcome": "satisfied"},
        )
    assert response.status_code == 302
    assert response.wsgi_request.LANGUAGE_CODE == "en"
    told = Notification.objects.get(recipient=manager, kind=Kind.CLOSURE)
    assert told.title == f"{complaint.number} 等待您确认关闭"


def test_the_three_workflow_notices_ignore_the_actors_english(
    complaint, assistant, supervisor, manager
):
    """CLOSURE, REJECTED and GM_REPORT were written in the actor's language before."""
    gm = staff(Role.BRANCH_GM, branch=complaint.office.branch)
    with translation.override("en"):
        revisited(complaint, supervisor, T0 + timedelta(days=1))
        reject_closure(complaint, by=manager, reason="措施不具体", now=T0 + timedelta(days=2))
        escalation_scan(now=T0 + timedelta(days=15))
        escalation = Escalation.objects.get(complaint=complaint, level=15)
        report_to_branch_gm(escalation, by=manager, report="已协调", now=T0 + timedelta(days=15))
    with translation.override(LANGUAGE):
        expected = {
            (manager, Kind.CLOSURE): compose(Kind.CLOSURE, number=complaint.number)[0],
            (assistant, Kind.REJECTED): compose(Kind.REJECTED, number=complaint.number)[0],
            (gm, Kind.GM_REPORT): compose(Kind.GM_REPORT, number=complaint.number)[0],
        }
    for (recipient, kind), title in expected.items():
        row = Notification.objects.get(recipient=recipient, kind=kind)
        assert row.title == title and "rejected" not in title and "Report" not in title
