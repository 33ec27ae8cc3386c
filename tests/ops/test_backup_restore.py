"""The restore drill (threat: a lost database server, and a backup that turns out not to
restore): a dump restored into a new database serves the same complaint with its whole
timeline, keeps the timeline append-only, and numbers on without a clash (R-REC-1, R-REC-3;
docs/operations.md, Back up)."""

import json
import re
import subprocess
import sys
from datetime import timedelta

import pytest
from django.db import DatabaseError, connection, transaction
from django.urls import reverse
from django.utils import timezone

from accounts.roles import Role
from complaints.models import Complaint, ComplaintEvent
from complaints.workflow import record_complaint
from followups.workflow import record_contact, record_corrective_action, resolve
from tests.factories import OfficeFactory, staff

pytestmark = pytest.mark.django_db(transaction=True)
ROOT = __import__("pathlib").Path(__file__).resolve().parents[2]


def url_of(name: str) -> str:
    db = connection.settings_dict
    return f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{name}"


def run(module: str, *args, database: str):
    env = {"PATH": "/usr/bin:/bin", "DEBUG": "true", "DATABASE_URL": url_of(database)}
    done = subprocess.run(  # noqa: S603
        [sys.executable, "-m", module, *args], cwd=ROOT, env=env, capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr
    return done


def new_complaint(office, assistant, received_at):
    return record_complaint(
        Complaint(office=office, channel="phone", complainant_name="王先生",
                  phone="+8613800138000", received_at=received_at, description="楼上夜间装修",
                  customer_request="停止夜间施工", reply_due=received_at + timedelta(days=1)),
        by=assistant,
    )  # fmt: skip


@pytest.fixture
def restored_database():
    if connection.vendor != "postgresql":
        pytest.skip("the drill restores a pg_dump: CI runs it on PostgreSQL")
    name = f"{connection.settings_dict['NAME']}_restored"
    drop = ["psql", "-h", "127.0.0.1", "-U", "postgres", "-c", f'DROP DATABASE IF EXISTS "{name}"']
    subprocess.run(drop, check=True, capture_output=True)  # noqa: S603
    yield name
    subprocess.run(drop, check=True, capture_output=True)  # noqa: S603


@pytest.fixture
def on_database():
    """Point the test's own connection at another database for a while."""
    saved = connection.settings_dict["NAME"]

    def switch(name):
        connection.close()
        connection.settings_dict["NAME"] = name

    yield switch
    switch(saved)


def test_a_restored_dump_serves_the_same_desk_and_numbers_on(
    client, tmp_path, restored_database, on_database
):
    office = OfficeFactory(code="HY")
    assistant = staff(Role.CLIENT_ASSISTANT, office=office, full_name="李娜")
    now = timezone.now()
    complaint = new_complaint(office, assistant, now - timedelta(hours=3))
    record_contact(complaint, by=assistant, kind="reply", method="phone", summary="已答复业主",
                   now=now - timedelta(hours=2))  # fmt: skip
    record_corrective_action(complaint, by=assistant, cause="施工队未遵守时间",
                             correction="已制止", prevention="加强巡查",
                             now=now - timedelta(hours=1))  # fmt: skip
    resolve(complaint, by=assistant, now=now - timedelta(minutes=50))
    timeline = list(ComplaintEvent.objects.filter(complaint=complaint).values_list("kind", "note"))
    assert len(timeline) >= 4
    media = tmp_path / "media"
    (media / "attachments").mkdir(parents=True)
    (media / "attachments" / "photo.jpg").write_bytes(b"\xff\xd8 a photo")

    database = connection.settings_dict["NAME"]
    run("ops.backup", "--to", str(tmp_path / "backups"), "--media", str(media), database=database)
    (backup,) = (tmp_path / "backups").iterdir()
    assert json.loads((backup / "manifest.json").read_text())["complaints"] == 1
    restored_media = tmp_path / "restored-media"
    run("ops.restore", str(backup), "--media", str(restored_media), database=restored_database)
    assert (restored_media / "attachments" / "photo.jpg").read_bytes() == b"\xff\xd8 a photo"

    on_database(restored_database)
    client.force_login(assistant)
    page = client.get(reverse("complaints:detail", args=[complaint.pk])).content.decode()
    assert complaint.number in page
    assert "已答复业主" in page and "李娜" in page
    assert len(re.findall(r'data-kind="', page)) >= len(timeline)
    restored = list(ComplaintEvent.objects.filter(complaint=complaint).values_list("kind", "note"))
    assert restored == timeline
    # The append-only trigger came along: the timeline still cannot be rewritten.
    refused = pytest.raises(DatabaseError, match="append-only")
    with refused, transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("UPDATE complaints_complaintevent SET note = 'rewritten'")
    # The sequences came along: intake numbers on and new rows take new ids.
    following = new_complaint(office, assistant, now - timedelta(minutes=5))
    assert following.pk > complaint.pk
    assert following.number == complaint.number[:-4] + f"{int(complaint.number[-4:]) + 1:04d}"
    assert ComplaintEvent.objects.filter(complaint=following).count() == 1


def test_a_restore_into_a_database_with_tables_is_refused(tmp_path, restored_database):
    database = connection.settings_dict["NAME"]
    run("ops.backup", "--to", str(tmp_path / "backups"), "--media", str(tmp_path / "none"),
        database=database)  # fmt: skip
    (backup,) = (tmp_path / "backups").iterdir()
    env = {"PATH": "/usr/bin:/bin", "DEBUG": "true", "DATABASE_URL": url_of(database)}
    refused = subprocess.run(  # noqa: S603
        [sys.executable, "-m", "ops.restore", str(backup), "--media", str(tmp_path / "m")],
        cwd=ROOT, env=env, capture_output=True, text=True,
    )  # fmt: skip
    assert refused.returncode != 0
    assert "restore into a fresh one" in refused.stderr
