"""Structured logs (threat: personal data in log files): the lines a real request and a real
Celery task write through the desk's configured console handler carry the request id, user,
office, complaint number and task id, and no phone number or e-mail address in clear."""

import io
import json
import logging

import pytest
from django.core import mail
from django.urls import reverse

from accounts.roles import Role
from config import logs
from reports.tasks import mail_branch_report
from reports.workflow import generate_report
from tests.factories import BranchFactory, ComplaintFactory, OfficeFactory, staff
from tests.reports.october import GENERATED, OCTOBER

pytestmark = pytest.mark.django_db
PHONE, EMAIL = "13800138000", "wang.li@example.cn"


def console_handler() -> logging.Handler:
    return next(h for h in logging.getLogger().handlers if h.get_name() == "console")


@pytest.fixture(params=["json", "text"])
def printed(request):
    """What the configured console handler prints during the test, in each LOG_FORMAT."""
    handler, buffer = console_handler(), io.StringIO()
    formatter = logs.JsonFormatter() if request.param == "json" else logs.TextFormatter()
    saved_stream, saved_formatter = handler.setStream(buffer), handler.formatter
    handler.setFormatter(formatter)
    yield lambda: buffer.getvalue().splitlines()
    handler.setStream(saved_stream)
    handler.setFormatter(saved_formatter)


@pytest.fixture
def desk():
    office = OfficeFactory(code="HY")
    assistant = staff(Role.CLIENT_ASSISTANT, office=office, username="hy-li")
    return office, assistant, ComplaintFactory(office=office, phone=f"+86{PHONE}")


def test_the_settings_configure_one_handler_with_both_filters():
    handler = console_handler()
    kinds = {type(f) for f in handler.filters}
    assert kinds == {logs.LogContextFilter, logs.MaskPersonalData}
    # pytest's capturing handlers are unnamed; the settings' one is the only named one.
    assert [h for h in logging.getLogger().handlers if h.get_name()] == [handler]
    assert logging.getLogger("django").handlers == []  # no second copy of django.* lines


def test_a_request_logs_one_json_line_with_its_context_and_no_phone(client, desk, printed):
    office, assistant, complaint = desk
    client.force_login(assistant)
    response = client.get(
        reverse("complaints:detail", args=[complaint.pk]),
        {"q": PHONE, "note": EMAIL},
        HTTP_X_REQUEST_ID="lb-7f3a",
    )
    assert response.status_code == 200
    assert response["X-Request-ID"] == "lb-7f3a"
    lines = [line for line in printed() if "desk.requests" in line]
    assert len(lines) == 1
    line = lines[0]
    assert PHONE not in line and EMAIL not in line
    assert "138****8000" in line and "w***@example.cn" in line
    if line.startswith("{"):
        record = json.loads(line)
        assert record["request_id"] == "lb-7f3a"
        assert record["user"] == "hy-li"
        assert (record["office"], record["complaint"]) == ("HY", complaint.number)
        assert record["status"] == 200 and record["level"] == "INFO"
        assert record["time"].endswith("+08:00")  # the desk's zone, with its offset
    else:
        assert f"request_id=lb-7f3a user=hy-li office=HY complaint={complaint.number}" in line


def test_a_forged_request_id_is_replaced(client, desk, printed):
    # Threat: log injection through a header (a fake second record in the id). A line break in
    # a header never gets this far: the desk answers it with its 400 page (docs/security.md).
    forged = 'x" {"level": "CRITICAL", "message": "forged"}'
    response = client.get(reverse("login"), HTTP_X_REQUEST_ID=forged)
    assert response["X-Request-ID"] != forged and len(response["X-Request-ID"]) == 32
    assert any(response["X-Request-ID"] in line for line in printed())
    assert client.get(reverse("login"), HTTP_X_REQUEST_ID="x\n{}").status_code == 400


def test_a_celery_task_logs_its_id_and_masks_the_addresses(settings, printed):
    # R-QD-2: the branch report is mailed to the quality department; the line says to whom,
    # masked, under the task's id.
    settings.CELERY_TASK_ALWAYS_EAGER = True
    branch = BranchFactory(code="SZ")
    OfficeFactory(code="HY", branch=branch)
    staff(Role.QUALITY_DEPARTMENT, branch=branch, email=EMAIL)
    report = generate_report(branch=branch, month=OCTOBER, now=GENERATED)[0]
    result = mail_branch_report.apply(args=[report.pk])
    assert result.get() == 1 and mail.outbox[0].to == [EMAIL]
    lines = [line for line in printed() if "mailed the 2026-10 report" in line]
    assert len(lines) == 1
    line = lines[0]
    assert EMAIL not in line and "w***@example.cn" in line
    if line.startswith("{"):
        record = json.loads(line)
        assert record["task_id"] == result.id
        assert record["task"] == "reports.tasks.mail_branch_report"
    else:
        assert f"task_id={result.id} task=reports.tasks.mail_branch_report" in line
    assert logs.current() == {}  # the task's context ends with it


def test_exceptions_and_extras_are_masked_too(printed):
    log = logging.getLogger("tests.logs")
    try:
        raise ValueError(f"no such customer +86 138-0013-8000 <{EMAIL}>")
    except ValueError:
        log.exception("lookup failed", extra={"query": {"phone": PHONE}})
    text = "\n".join(printed())
    assert "lookup failed" in text and "ValueError" in text
    assert PHONE not in text and "138-0013-8000" not in text and EMAIL not in text


@pytest.mark.parametrize(
    ("text", "masked"),
    [
        ("call 13800138000", "call 138****8000"),
        ("+86 138 0013 8000", "+86 138****8000"),
        ("电话13912345678。", "电话139****5678。"),
        ("0755-83451234", "0755-****1234"),
        ("wang.li@example.cn", "w***@example.cn"),
        (
            "?note=wang.li%40example.cn&phone=%2B8613800138000",
            "?note=w***@example.cn&phone=%2B86138****8000",
        ),
        ("HY-202611-0042 at 2026-11-23 08:05", "HY-202611-0042 at 2026-11-23 08:05"),
        ("request 4f1e13800138000aa", "request 4f1e13800138000aa"),
    ],
)
def test_masking_keeps_what_is_not_personal(text, masked):
    assert logs.mask(text) == masked
