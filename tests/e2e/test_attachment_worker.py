"""A real Celery worker on Redis makes the thumbnail of a photo attached through the desk; the
upload's request itself only checks and stores the file (docs/performance.md, Attachments)."""

import os
import subprocess
import sys
import time
from io import BytesIO
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection
from django.urls import reverse
from PIL import Image

from accounts.roles import Role
from complaints.models import Attachment
from complaints.models.attachment import attachment_storage
from config.celery import app
from tests.attachment_files import camera_sized_jpeg, upload
from tests.e2e.test_clocks_worker import reset_producer_pools
from tests.factories import ComplaintFactory, OfficeFactory, staff

pytestmark = pytest.mark.django_db(transaction=True)
ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def worker(tmp_path):
    if connection.vendor != "postgresql":
        pytest.skip("the worker needs a database shared across processes: CI runs it on PostgreSQL")
    db = connection.settings_dict
    location = Path(settings.STORAGES["attachments"]["OPTIONS"]["location"])
    env = {
        **os.environ,
        "DEBUG": "true",
        "DATABASE_URL": f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:"
        f"{db['PORT'] or 5432}/{db['NAME']}",
        "REDIS_URL": settings.REDIS_URL or "redis://127.0.0.1:6379/5",
        "MEDIA_ROOT": str(location.parent),  # the same files as this test's storage
        "CONN_MAX_AGE": "0",
    }
    env.pop("CELERY_BROKER_URL", None)
    if not settings.REDIS_URL:
        pytest.fail("The worker test needs REDIS_URL (the CI sets it).")
    log = open(tmp_path / "celery.log", "w+")  # noqa: SIM115
    process = subprocess.Popen(
        [sys.executable, "-m", "celery", "--app", "config", "worker", "--loglevel", "INFO",
         "--pool", "solo", "--without-mingle", "--without-gossip"],
        cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
    )  # fmt: skip
    # The test process publishes to an in-memory broker (tests/conftest.py): the upload's
    # thumbnail task must reach this worker's Redis instead, for this test only.
    saved = app.conf.broker_url
    app.conf.broker_url = env["REDIS_URL"]
    reset_producer_pools()
    yield log
    app.conf.broker_url = saved
    reset_producer_pools()
    process.terminate()
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        process.kill()
    log.close()


def wait_until(condition, log, timeout=90):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.5)
    log.seek(0)
    pytest.fail(f"not reached within {timeout}s; celery said:\n{log.read()[-4000:]}")


def test_the_worker_makes_the_thumbnail_of_a_camera_sized_photo(client, worker):
    office = OfficeFactory(code="HY")
    client.force_login(staff(Role.CLIENT_ASSISTANT, office=office))
    complaint = ComplaintFactory(office=office)
    photo = camera_sized_jpeg()
    assert 8 * 2**20 < len(photo) <= settings.ATTACHMENT_MAX_FILE_BYTES

    response = client.post(
        reverse("complaints:attach", args=[complaint.pk]),
        {"attach-step": "work_done", "attach-files": [upload("完工.jpg", photo)]},
    )
    assert response.status_code == 302
    attachment = Attachment.objects.get()
    assert attachment.size > 8 * 2**20 and not attachment.thumbnail  # not made in the request

    wait_until(lambda: Attachment.objects.exclude(thumbnail="").exists(), worker)
    attachment.refresh_from_db()
    with attachment_storage().open(attachment.thumbnail.name, "rb") as stored:
        made = stored.read()
    with Image.open(BytesIO(made)) as thumbnail:
        assert max(thumbnail.size) == settings.ATTACHMENT_THUMBNAIL_PIXELS
