"""The API fuzzed against its own contract (issue #18.4): schemathesis reads the live schema
from a running desk and calls every operation with data the schema allows and data it does not
(positive and negative), as an integration token; no answer may be a 500, and every answer —
its status, its content type, its headers, its body — must be one the schema documents.

Threat: an integration sends what its developers read in the schema, or something slightly
off, and the desk breaks (a 500) or answers in a shape the schema never promised."""

import shutil
import subprocess
import sys
import uuid
from datetime import date, timedelta
from pathlib import Path

import pytest
from django.utils import timezone

from accounts.roles import Role
from followups.models import Notification
from integrations.models import IntegrationToken
from integrations.throttling import PerTokenThrottle
from reports.workflow import generate_report
from tests.factories import BranchFactory, BuildingFactory, ComplaintFactory, OfficeFactory, staff

# The id every `{id}` of the schema is given, so the operations reach a record of the caller's
# (a complaint, a report, a notification: each made with this id), and a caller's phone.
ID = 880001
PHONE = "13800138000"
CHECKS = ",".join(
    [
        "not_a_server_error",
        "status_code_conformance",
        "content_type_conformance",
        "response_headers_conformance",
        "response_schema_conformance",
    ]
)
# Per operation, positive and negative: the run stays under two minutes on a busy machine. The
# coverage phase (every boundary value of every field) is left out: it alone takes minutes.
EXAMPLES = 20

pytestmark = pytest.mark.django_db(transaction=True)


def the_callers_world() -> str:
    """An office manager's token, and one record of each kind the paths name; its secret."""
    office = OfficeFactory(code="HY", branch=BranchFactory(code="SZ"))
    manager = staff(Role.OFFICE_MANAGER, office=office, full_name="张经理")
    BuildingFactory(office=office)
    complaint = ComplaintFactory(
        pk=ID, office=office, received_by=manager, phone=f"+86{PHONE}", is_major=True
    )
    ComplaintFactory(office=office, received_by=manager, phone=f"+86{PHONE}")
    month = (timezone.localdate().replace(day=1) - timedelta(days=1)).replace(day=1)
    report = generate_report(office=office, month=month, now=timezone.now())[0]
    type(report).objects.filter(pk=report.pk).update(id=ID)
    generate_report(office=office, month=date(2020, 1, 1), now=timezone.now())
    Notification.objects.create(
        pk=ID,
        recipient=manager,
        complaint=complaint,
        office=office,
        kind=Notification.Kind.CLOSURE,
        key="contract",
        title="等待结案审批",
    )
    token = IntegrationToken(
        name="contract", user=manager, expires_at=timezone.now() + timedelta(days=1)
    )
    secret = token.new_secret()
    token.save()
    return secret


def schemathesis() -> str:
    found = shutil.which("st", path=str(Path(sys.executable).parent))
    assert found, "schemathesis (st) is a declared dependency: run `make install`"
    return found


def test_every_operation_keeps_to_the_schema(live_server, tmp_path, monkeypatch):
    """Every operation of /api/schema/, positive and negative data: no 500, every response as
    documented (docs/api.md, The schema)."""
    monkeypatch.setattr(PerTokenThrottle, "THROTTLE_RATES", {"api": "100000/minute"})
    monkeypatch.setattr(PerTokenThrottle, "cache_format", f"test-{uuid.uuid4()}-%(ident)s")
    secret = the_callers_world()
    config = tmp_path / "schemathesis.toml"
    config.write_text(f'[parameters]\n"path.id" = {ID}\n"path.phone" = "{PHONE}"\n')
    run = subprocess.run(
        [
            schemathesis(),
            "--config-file",
            str(config),
            "--no-color",
            "run",
            f"{live_server.url}/api/schema/?format=json",
            "--header",
            f"Authorization: Token {secret}",
            "--checks",
            CHECKS,
            "--mode",
            "all",
            "--phases",
            "examples,fuzzing",
            "--max-examples",
            str(EXAMPLES),
            "--workers",
            "1",
            "--seed",
            "18",
            "--suppress-health-check",
            "all",
            "--report-dir",
            str(tmp_path / "report"),
            "--output-truncate",
            "true",
        ],
        capture_output=True,
        text=True,
        timeout=600,
        cwd=tmp_path,
    )
    (tmp_path / "schemathesis.txt").write_text(run.stdout)  # the whole story, if it fails
    assert run.returncode == 0, run.stdout[-12000:] + run.stderr[-3000:]
    assert "operations" in run.stdout.lower()  # it did run them
