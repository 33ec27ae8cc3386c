"""Oversized and malformed input (issue #7, hostile input): every form and every query string
answers bad input with a clear message in the user's language (Chinese by default), never a
500, and loses nothing already entered.

Threats: a pasted 10 MB text, a NUL character (PostgreSQL refuses it in text), a date that does
not exist or overflows the day arithmetic, a receipt in the future (R-REC-2), a phone that is
no phone (R-REC-3), an enum value outside its choices, an id that is no number: each used to
be able to end in a server error, and a server error loses what the assistant had typed."""

import re
from datetime import datetime, timedelta
from html import escape
from zoneinfo import ZoneInfo

import pytest
from django.test import Client
from django.urls import reverse
from django.utils.translation import gettext, override

from complaints.forms import EARLIEST_DATE, LATEST_DATE, TEXT_MAX_LENGTH
from complaints.models import Complaint, DutyLogEntry
from followups.models import Escalation
from reports.workflow import generate_report
from tests.factories import (
    BuildingFactory,
    CategoryFactory,
    ComplaintFactory,
    UnitFactory,
)
from tests.followups.states import handled, revisited

SHANGHAI = ZoneInfo("Asia/Shanghai")
NOW = datetime(2026, 11, 20, 10, 0, tzinfo=SHANGHAI)  # Friday
pytestmark = [pytest.mark.django_db, pytest.mark.frozen_at(NOW)]
INTAKE = reverse("complaints:intake")
CJK = re.compile(r"[\u4e00-\u9fff]")
TEN_MB = "长" * (10 * 1024 * 1024 // 3 + 1)  # 10 MB of UTF-8
TOO_LONG = "长" * (TEXT_MAX_LENGTH + 1)  # under Django's 2.5 MB request limit


def zh(text) -> str:
    with override("zh-hans"):
        return str(text)


def intake_data(office, /, **overrides):
    data = {
        "office": office.pk,
        "channel": "phone",
        "complainant_name": "王先生",
        "phone": "138 0013 8000",
        "building": BuildingFactory(office=office, name="3栋").pk,
        "room": "1502",
        "received_at": "2026-11-20T09:40",
        "category": CategoryFactory(name="装修噪音").pk,
        "classification": "valid",
        "severity": "general",
        "description": "楼上夜间装修",
        "customer_request": "停止夜间施工",
        "reply_due": "2026-11-23T17:00",
    }
    data.update(overrides)
    return data


def errors_of(response, field) -> list[str]:
    """The messages shown under `field`, as the page shows them."""
    return [
        m.group(1)
        for m in re.finditer(
            rf'data-testid="error-{field}">([^<]*)</div>', response.content.decode()
        )
    ]


def assert_kept(response, *values):
    """Nothing already entered is lost: the form comes back with these values in it."""
    page = response.content.decode()
    for value in values:
        assert escape(value) in page, value


# --- intake -------------------------------------------------------------------------------

NUL = "\x00"
IN_CHINESE = None  # the message is checked to be Chinese (Django's or the desk's own)


@pytest.mark.parametrize(
    "field, value, message",
    [
        ("received_at", "2026-02-30T10:00", IN_CHINESE),  # no 30 February
        ("received_at", "not a date", IN_CHINESE),
        ("received_at", "99999-01-01T10:00", IN_CHINESE),
        ("received_at", "0001-01-01T00:00", "date_range"),  # overflowed into a 500
        ("received_at", "2026-11-21T10:00", "受理时间不能晚于现在。"),  # R-REC-2: future
        ("reply_due", "2026-13-01T10:00", IN_CHINESE),
        ("reply_due", "9999-12-31T23:59", "date_range"),
        ("phone", "12345", IN_CHINESE),  # R-REC-3
        ("phone", "<script>alert(1)</script>", IN_CHINESE),
        ("phone", f"138{NUL}00138000", IN_CHINESE),
        ("email", "not-an-e-mail", IN_CHINESE),
        ("classification", "bogus", IN_CHINESE),
        ("channel", "branch' OR '1'='1", IN_CHINESE),
        ("severity", "", IN_CHINESE),
        ("urgent_kind", "fire", IN_CHINESE),
        ("facility_kind", "gas", IN_CHINESE),
        ("temperament", "calm", IN_CHINESE),
        ("category", "abc", IN_CHINESE),
        ("category", "-1", IN_CHINESE),
        ("category", "99999999999999999999999", IN_CHINESE),
        ("office", "99999999999999999999999", IN_CHINESE),
        ("building", "1.5", IN_CHINESE),
        ("linked_to", "²", IN_CHINESE),
        ("description", f"楼上{NUL}装修", IN_CHINESE),  # PostgreSQL refuses NUL in text
        ("description", TOO_LONG, IN_CHINESE),
        ("complainant_name", "王" * 61, IN_CHINESE),
        ("customer_request", NUL, IN_CHINESE),
    ],
)
def test_bad_intake_input_gets_a_chinese_message_and_keeps_the_rest(
    assistant_client, office, field, value, message
):
    """Threat: bad intake input gives a 500 or loses what was typed."""
    response = assistant_client.post(INTAKE, intake_data(office, **{field: value}))
    assert response.status_code == 400
    shown = errors_of(response, field)
    assert shown, f"no message under {field}"
    if message == "date_range":
        expected = gettext("Give a date between %(earliest)s and %(latest)s.") % {
            "earliest": EARLIEST_DATE.isoformat(),
            "latest": LATEST_DATE.isoformat(),
        }
        assert escape(zh(expected)) in shown
    elif message:
        assert message in shown
    else:
        assert CJK.search(shown[0]), shown
    kept = {"complainant_name": "王先生", "description": "楼上夜间装修", "room": "1502"}
    assert_kept(response, *(v for k, v in kept.items() if k != field))
    assert not Complaint.objects.exists()


def test_a_10_mb_intake_gets_the_400_page_in_chinese(assistant, office):
    """Django refuses a request over DATA_UPLOAD_MAX_MEMORY_SIZE (RequestDataTooBig) before
    the view, CSRF check included: the desk's 400 page says why and that going back keeps
    what was typed (the browser still has it)."""
    client = Client(enforce_csrf_checks=True)
    client.force_login(assistant)
    token = client.get(INTAKE).cookies["csrftoken"].value  # as the browser has it
    data = intake_data(office, description=TEN_MB, csrfmiddlewaretoken=token)
    response = client.post(INTAKE, data)
    assert response.status_code == 400
    with override("zh-hans"):
        assert gettext("The request could not be read") in response.content.decode()
    assert response["Content-Language"] == "zh-hans"
    assert not Complaint.objects.exists()


def test_undecodable_bytes_are_replaced_not_a_server_error(assistant_client, office):
    """Invalid UTF-8 (and an encoded lone surrogate) in a posted form is read as U+FFFD."""
    from urllib.parse import urlencode

    body = urlencode(intake_data(office, description="x")).replace(
        "description=x", "description=%FF%FE%ED%A0%80%E6%A5%BC"
    )
    response = assistant_client.post(INTAKE, body, content_type="application/x-www-form-urlencoded")
    assert response.status_code == 302
    assert Complaint.objects.get().description.startswith("\ufffd")


def test_a_long_address_and_e_mail_are_kept_whole_in_the_record(assistant_client, office):
    """R-REC-1: the duty-log line copies the record into narrower columns (address 120,
    contact 60); the copy is cut, the record keeps every character (was a 500)."""
    building = BuildingFactory(office=office, name="楼" * 40)
    unit = UnitFactory(building=building, name="单" * 40)
    data = intake_data(
        office,
        building=building.pk,
        unit=unit.pk,
        room="室" * 20,
        address_note="址" * 120,
        phone="",
        email=("a" * 64) + "@" + ("b" * 60) + ".example.com",
    )
    response = assistant_client.post(INTAKE, data)
    assert response.status_code == 302
    complaint = Complaint.objects.get()
    assert complaint.address_note == "址" * 120 and len(complaint.email) > 60
    line = DutyLogEntry.objects.get(complaint=complaint)
    assert len(line.address) == 120 and len(line.contact) == 60


def test_a_repeat_call_with_a_nul_shows_the_form_again(assistant_client, office):
    """The repeat-call button posts the whole intake form; a refused note comes back with
    everything typed and the reason, instead of a 500 (NUL) or an empty form."""
    complaint = ComplaintFactory(office=office)
    response = assistant_client.post(
        reverse("complaints:repeat_call", args=[complaint.pk]),
        intake_data(office, description=f"又来电{NUL}"),
    )
    assert response.status_code == 400
    assert errors_of(response, "description")
    assert_kept(response, "王先生", "停止夜间施工")
    assert not complaint.events.filter(kind="repeat_call").exists()


# --- the other forms ------------------------------------------------------------------------


@pytest.fixture
def step_states(office, assistant, manager):
    """A complaint in each state a step form needs, and the pages' own rows."""
    recorded = ComplaintFactory(office=office, received_by=assistant)
    resolved = handled(ComplaintFactory(office=office, received_by=assistant), assistant, NOW)
    waiting = revisited(ComplaintFactory(office=office, received_by=assistant), assistant, NOW)
    old = ComplaintFactory(office=office, received_by=assistant, received_at=NOW - timedelta(16))
    Escalation.objects.create(complaint=old, level=15, at=NOW - timedelta(days=1))
    month = NOW.date().replace(day=1)
    report, _created = generate_report(month=month, now=NOW, office=office)
    line = DutyLogEntry.objects.create(
        office=office, occurred_at=NOW, kind="inquiry", matter="咨询", recorder=assistant
    )
    return {
        "recorded": recorded, "resolved": resolved, "waiting": waiting, "old": old,
        "report": report, "line": line, "manager": manager,
    }  # fmt: skip


def _step(name, state, data, bad, kept, as_manager=False):
    return {
        "url": lambda d: reverse(f"followups:{name}", args=[d[state].pk]),
        "back": lambda d: reverse("complaints:detail", args=[d[state].pk]),
        "data": data,
        "bad": bad,
        "kept": kept,
        "manager": as_manager,
    }


# Each form: a valid post, the text field that gets the bad value, and a value that must come
# back. Step forms answer with post/redirect/get; the typed values wait in the session.
FORMS = {
    "contact": _step(
        "contact", "recorded",
        {"contact-kind": "progress", "contact-method": "phone", "contact-summary": "已告知进度",
         "contact-next_reply_due": "2026-11-21T10:00"},
        "contact-summary", "2026-11-21T10:00",
    ),
    "dispatch": _step(
        "dispatch", "recorded",
        {"dispatch-department": "engineering", "dispatch-assignee": "李师傅",
         "dispatch-instructions": "检修", "dispatch-due_at": "2026-11-20T12:00"},
        "dispatch-instructions", "李师傅",
    ),
    "corrective_action": _step(
        "corrective_action", "recorded",
        {"action-cause": "施工", "action-correction": "已制止夜间施工",
         "action-prevention": "巡查"},
        "action-cause", "已制止夜间施工",
    ),
    "revisit": _step(
        "revisit", "resolved",
        {"revisit-method": "phone", "revisit-outcome": "satisfied", "revisit-remarks": "满意"},
        "revisit-remarks", "满意",
    ),
    "reject": _step(
        "reject", "waiting", {"reject-reason": "回访记录不全"}, "reject-reason", None, True
    ),
    "escalation_report": _step(
        "escalation_report", "old", {"report-report": "已协调施工方"}, "report-report", None, True
    ),
    "dutylog_add": {
        "url": lambda d: reverse("complaints:dutylog_add"),
        "data": {"occurred_at": "2026-11-20T09:00", "kind": "inquiry",
                 "customer_name": "赵女士", "matter": "咨询停车"},
        "bad": "matter", "kept": "赵女士", "manager": False,
    },
    "dutylog_update": {
        "url": lambda d: reverse("complaints:dutylog_update", args=[d["line"].pk]),
        "data": {"handler": "张三", "handling_status": "已转工程部"},
        "bad": "handling_status", "kept": "张三", "manager": False,
    },
    "handover": {
        "url": lambda d: reverse("complaints:handover_new"),
        "data": {"items": "3栋电梯未修好"}, "bad": "items", "kept": None, "manager": False,
    },
    "scan": {
        "url": lambda d: reverse("complaints:scan_add"),
        "data": {"site": "业主论坛", "findings": "有人投诉噪音"},
        "bad": "findings", "kept": "业主论坛", "manager": False,
    },
    "commentary": {
        "url": lambda d: reverse("reports:commentary", args=[d["report"].pk]),
        "data": {"commentary": "本月投诉减少"}, "bad": "commentary", "kept": None, "manager": True,
    },
}  # fmt: skip


def _post(client, step_states, office, form, **changes):
    spec = FORMS[form]
    data = {**spec["data"], **changes}
    if form in ("dutylog_add", "handover", "scan"):  # the office is a hidden field
        data["office"] = office.pk
    if spec["manager"]:
        client.force_login(step_states["manager"])
    return client.post(spec["url"](step_states), data)


@pytest.mark.parametrize("form", FORMS)
@pytest.mark.parametrize("bad", ["nul", "too_long"], ids=["nul", "too-long"])
def test_bad_text_in_any_form_gets_a_message_and_keeps_the_rest(
    assistant_client, office, step_states, form, bad
):
    """Threat: an oversized or NUL text in any form gives a 500 or loses what was typed."""
    spec = FORMS[form]
    value = f"前{NUL}后" if bad == "nul" else "长" * 20_001
    response = _post(assistant_client, step_states, office, form, **{spec["bad"]: value})
    if "back" in spec:  # post/redirect/get: the message and the form wait on the page
        assert response.status_code == 302
        response = assistant_client.get(spec["back"](step_states))
    assert response.status_code in (200, 400)
    page = response.content.decode()
    field = spec["bad"].split("-", 1)[-1]
    assert errors_of(response, field) or CJK.search(_alerts(page)), "no message"
    shown = errors_of(response, field) or [_alerts(page)]
    assert any(CJK.search(message) for message in shown)
    if spec["kept"]:
        assert_kept(response, spec["kept"])


def _alerts(page: str) -> str:
    return " ".join(re.findall(r'<div class="alert alert-danger" role="alert">(.*?)</div>', page))


@pytest.mark.parametrize("form", FORMS)
def test_a_10_mb_post_to_any_form_gets_the_400_page(assistant_client, office, step_states, form):
    """Threat: a huge post to any form exhausts memory or shows Django's bare error page."""
    response = _post(assistant_client, step_states, office, form, **{FORMS[form]["bad"]: TEN_MB})
    assert response.status_code == 400
    with override("zh-hans"):
        assert gettext("The request could not be read") in response.content.decode()


def test_a_nul_in_the_login_form_is_a_message(client):
    """Threat: a NUL in the login form reaches the database and gives a 500, without login."""
    response = client.post(reverse("login"), {"username": f"a{NUL}", "password": f"b{NUL}"})
    assert response.status_code == 200
    assert CJK.search(" ".join(errors_of(response, "username")) or response.text)


# --- links ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "url, status",
    [
        ("/complaints/?page=-1", 200),
        ("/complaints/?page=abc", 200),
        ("/complaints/?page=99999999999999999999999", 200),
        ("/complaints/?per_page=-5", 200),
        ("/complaints/?received_from=2026-02-30", 200),
        ("/complaints/?received_to=9999-12-31", 200),  # was a 500 (date overflow)
        ("/complaints/?received_from=0001-01-01", 200),
        ("/complaints/?q=%00", 400),
        ("/duty-log/?day=xx", 400),
        ("/duty-log/?day=0001-01-01", 400),  # was a 500 (the previous day's link)
        ("/duty-log/?day=9999-12-31", 400),  # was a 500 (the next day's link)
        ("/duty-log/?office=abc&page=-1", 400),
        ("/website-scans/?office=%C2%B2", 400),
        ("/inbox/?page=abc", 200),
        ("/complaints/new/?scan=%C2%B2", 200),  # "²".isdigit(): was a 500
        ("/complaints/new/?scan=99999999999999999999999", 404),
        ("/complaints/lookup/?building=%C2%B2&room=1", 200),  # was a 500
        ("/complaints/lookup/?linked_to=%C2%B2&phone=13800138000", 200),  # was a 500
        ("/complaints/lookup/?building=1&room=a%00b", 400),  # NUL in a filter: was a 500
        ("/complaints/units/?building=%C2%B2", 200),  # was a 500
        ("/complaints/reply-latest/?office=abc&received_at=2026-11-20T10:00", 200),  # was 500
        ("/complaints/reply-latest/?received_at=2026-02-30T10:00", 400),  # was a 500
        ("/complaints/reply-latest/?received_at=9999-12-31T23:59", 400),  # was a 500
        ("/complaints/abc/", 404),
        ("/complaints/99999999999999999999999/", 404),
        ("/reports/abc/", 404),
    ],
)
def test_garbage_in_a_link_is_a_page_or_a_message_never_a_500(assistant_client, url, status):
    """Threat: an edited link with garbage ids or dates gives a 500."""
    response = assistant_client.get(url)
    assert response.status_code == status
    if status == 400 and not url.startswith("/complaints/reply-latest/"):
        page = response.content.decode()
        assert CJK.search(page)
        with override("zh-hans"):
            assert (
                gettext("The request could not be read") in page
                or "invalid-feedback" in page
                or 'role="alert"' in page
            )


def test_a_nul_in_an_admin_filter_is_the_400_page_not_a_500(client):
    """Django's admin passes list-filter values to the database unchecked."""
    from accounts.models import User

    client.force_login(User.objects.create_superuser("root", "root@example.com", "pw"))
    response = client.get(reverse("admin:complaints_complaint_changelist"), {"status": NUL})
    assert response.status_code == 400
    with override("zh-hans"):
        assert gettext("The request could not be read") in response.content.decode()


def test_a_missing_page_is_explained_in_chinese(assistant_client):
    """Threat: a wrong URL shows Django's bare English 404 to a Chinese front desk."""
    response = assistant_client.get("/complaints/abc/")
    assert response.status_code == 404
    with override("zh-hans"):
        assert gettext("Page not found") in response.content.decode()


@pytest.mark.parametrize(
    "form, field, value",
    [
        ("contact", "contact-next_reply_due", "2026-02-30T10:00"),
        ("contact", "contact-next_reply_due", "9999-12-31T23:59"),
        ("contact", "contact-kind", "explanation' OR 1=1"),
        ("contact", "contact-method", "pigeon"),
        ("dispatch", "dispatch-due_at", "0001-01-01T00:00"),
        ("dispatch", "dispatch-due_at", "not a date"),
        ("dispatch", "dispatch-department", "cleaning__password"),
        ("revisit", "revisit-outcome", "delighted"),
        ("revisit", "revisit-method", "telepathy"),
    ],
)
def test_bad_dates_and_choices_in_a_step_are_a_message(
    assistant_client, office, step_states, form, field, value
):
    """The step forms refuse them before the workflow: a message on the complaint's page, in
    Chinese, the form filled in again — never a 500 from a year the clocks cannot add to."""
    response = _post(assistant_client, step_states, office, form, **{field: value})
    assert response.status_code == 302
    page = assistant_client.get(FORMS[form]["back"](step_states))
    assert CJK.search(_alerts(page.content.decode()))
    assert errors_of(page, field.split("-", 1)[1])


@pytest.mark.parametrize("minutes", ["-5", "99999999999999999999", "1e3", "三十"])
def test_a_huge_or_negative_number_in_the_admin_is_a_form_error(client, office, minutes):
    """Office.dispatch_minutes is a small positive integer: the admin form says so."""
    from accounts.models import User

    client.force_login(User.objects.create_superuser("root", "root@example.com", "pw"))
    url = reverse("admin:accounts_office_change", args=[office.pk])
    data = {
        "branch": office.branch_id, "code": office.code, "name": office.name,
        "time_zone": office.time_zone, "dispatch_minutes": minutes,
        "shifts-TOTAL_FORMS": "0", "shifts-INITIAL_FORMS": "0",
    }  # fmt: skip
    response = client.post(url, data)
    assert response.status_code == 200
    assert response.context["adminform"].form.errors["dispatch_minutes"]


def test_a_refused_review_note_comes_back_in_its_box(assistant_client, office):
    """R-FUP-1: the shift review's tick (htmx) answers a NUL or over-long note with the
    reason, and the note stays in the box."""
    from followups.models import ShiftReview, ShiftReviewItem
    from tests.factories import ShiftFactory

    shift = ShiftFactory(office=office)
    review = ShiftReview.objects.create(office=office, shift=shift, starts_at=NOW, due_at=NOW)
    item = ShiftReviewItem.objects.create(
        review=review, complaint=ComplaintFactory(office=office), reason="old_open"
    )
    url = reverse("followups:review_tick", args=[item.pk])
    for note in (f"已告知{NUL}进展", "已告知进展" + "长" * TEXT_MAX_LENGTH):
        response = assistant_client.post(url, {"note": note}, headers={"HX-Request": "true"})
        assert response.status_code == 200
        assert 'data-testid="tick-error"' in response.text
        assert escape(note)[:20] in response.text
    item.refresh_from_db()
    assert item.reviewed_at is None


def _date_hierarchies():
    from django.contrib import admin

    return [
        (model._meta, model_admin.date_hierarchy)
        for model, model_admin in admin.site._registry.items()
        if model_admin.date_hierarchy
    ]


@pytest.mark.parametrize(
    "drill",
    [
        {"year": "9999"},  # Django computes year 10000: was a 500
        {"year": "9999", "month": "12"},
        {"year": "9999", "month": "12", "day": "31"},
        {"year": "99999999999999999999"},  # past a C long: was a 500
        {"year": "0"},
        {"year": "2026", "month": "13"},
        {"year": "2026", "month": "2", "day": "30"},
    ],
    ids=lambda drill: "-".join(drill.values())[:30],
)
def test_an_edited_date_hierarchy_link_resets_the_admin_list(client, drill):
    """Every admin list with a date hierarchy answers an impossible date by resetting the
    list (Django's `?e=1`), never a 500."""
    from accounts.models import User

    client.force_login(User.objects.create_superuser("root", "root@example.com", "pw"))
    for opts, field in _date_hierarchies():
        url = reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist")
        query = {f"{field}__{part}": value for part, value in drill.items()}
        response = client.get(url, query)
        assert response.status_code in (200, 302), (url, query, response.status_code)


def test_every_admin_is_guarded_against_tampered_requests():
    """A model registered later gets the guard too, or this names it."""
    from django.contrib import admin

    from accounts.admin_scoping import TamperedRequestMixin

    unguarded = [
        model._meta.label
        for model, model_admin in admin.site._registry.items()
        if not isinstance(model_admin, TamperedRequestMixin)
    ]
    assert unguarded == []


@pytest.mark.parametrize("selected", ["abc", "²", "1.5", ""])
def test_forged_action_rows_are_a_message(client, selected):
    """An action posted with row ids that are no ids (the checkboxes' values edited) used to
    fail Django's filter with a 500; every admin with actions now says so and does nothing."""
    from django.contrib import admin
    from django.test import RequestFactory

    from accounts.models import User
    from tests.factories import CategoryFactory

    root = User.objects.create_superuser("root", "root@example.com", "pw")
    client.force_login(root)
    category = CategoryFactory()
    request = RequestFactory().get("/")
    request.user = root
    for model, model_admin in admin.site._registry.items():
        actions = [name for name in model_admin.get_actions(request) if name]
        if not actions:
            continue
        opts = model._meta
        url = reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist")
        data = {"action": actions[0], "_selected_action": [selected], "index": "0"}
        response = client.post(url, data)
        assert response.status_code in (200, 302), (url, response.status_code)
    assert type(category).objects.filter(pk=category.pk).exists()


def test_a_refused_review_note_without_htmx_comes_back_on_the_page(assistant_client, office):
    """R-FUP-1: the plain form post (no JavaScript) goes back to "my shift" with the reason
    and the note in its box."""
    from followups.models import ShiftReview, ShiftReviewItem
    from tests.factories import ShiftFactory

    shift = ShiftFactory(office=office, starts_at=NOW.time())
    review = ShiftReview.objects.create(office=office, shift=shift, starts_at=NOW, due_at=NOW)
    item = ShiftReviewItem.objects.create(
        review=review, complaint=ComplaintFactory(office=office), reason="old_open"
    )
    note = "已告知进展" + "长" * TEXT_MAX_LENGTH
    response = assistant_client.post(
        reverse("followups:review_tick", args=[item.pk]), {"note": note}
    )
    assert response.status_code == 302
    page = assistant_client.get(response.url).content.decode()
    assert CJK.search(_alerts(page))
    assert f">{note}</textarea>" in page
    assert assistant_client.get(response.url).content.decode().count(note) == 0  # given back once
