"""The probes (threat: a dead or half-started desk that a load balancer keeps sending front
desks to): /healthz answers without touching anything, /readyz names the failing check
(docs/operations.md, Health). With a real worker and beat: tests/reliability/test_readiness.py."""

import json

import pytest
from django.db import connection
from django.db.migrations.recorder import MigrationRecorder

from config.celery import app
from tests.reliability.conftest import free_port


def body(response) -> dict:
    return json.loads(response.content)


def test_healthz_answers_by_address_over_plain_http_without_a_query(client, settings):
    # No django_db mark: a query would raise here.
    settings.ALLOWED_HOSTS, settings.SECURE_SSL_REDIRECT = ["desk.example.com"], True
    response = client.get("/healthz", HTTP_HOST="10.0.0.7:8000")
    assert response.status_code == 200 and body(response) == {"status": "ok"}
    # The same host on a page of the desk is refused: the probe really bypasses the checks.
    assert client.get("/login/", HTTP_HOST="10.0.0.7:8000").status_code == 400


@pytest.mark.django_db(transaction=True)
def test_readyz_names_the_database_when_it_cannot_be_reached(client):
    if connection.vendor != "postgresql":
        pytest.skip("the test points the connection at a closed port: CI runs it on PostgreSQL")
    saved = connection.settings_dict["PORT"]
    connection.close()
    connection.settings_dict["PORT"] = str(free_port())  # nothing listens there
    try:
        response = client.get("/readyz?check=database&check=migrations")
    finally:
        connection.close()
        connection.settings_dict["PORT"] = saved
    assert response.status_code == 503
    answer = body(response)
    assert answer["failed"] == ["database", "migrations"]
    assert answer["checks"]["database"] == {"ok": False, "detail": "OperationalError",
                                            "checked": True}  # fmt: skip
    assert client.get("/readyz?check=database").status_code == 200  # back once it answers


@pytest.mark.django_db
def test_readyz_names_a_migration_not_applied(client):
    assert client.get("/readyz?check=migrations").status_code == 200
    MigrationRecorder.Migration.objects.filter(
        app="complaints", name="0008_timeline_append_only"
    ).delete()
    response = client.get("/readyz?check=migrations")
    assert response.status_code == 503
    assert (
        "complaints.0008_timeline_append_only" in body(response)["checks"]["migrations"]["detail"]
    )


def test_readyz_refuses_an_unknown_check_with_the_known_ones(client):
    response = client.get("/readyz?check=databse")
    assert response.status_code == 400
    assert body(response)["unknown"] == ["databse"]
    assert "database" in body(response)["known"]


@pytest.fixture
def filesystem_broker(settings, tmp_path):
    (tmp_path / "queue").mkdir()
    saved = app.conf.broker_url, app.conf.broker_transport_options
    app.conf.broker_url = "filesystem://"
    app.conf.broker_transport_options = {"data_folder_in": str(tmp_path / "queue")}
    settings.VAR_DIR = tmp_path
    yield tmp_path
    app.conf.broker_url, app.conf.broker_transport_options = saved


def test_on_the_filesystem_broker_the_worker_is_not_checked_and_beat_stamps_a_file(
    client, filesystem_broker
):
    from config.health import stamp_beat_tick

    response = client.get("/readyz?check=broker&check=beat&check=worker")
    assert body(response)["failed"] == ["beat"]  # beat has never ticked here
    stamp_beat_tick()
    response = client.get("/readyz?check=broker&check=beat&check=worker")
    assert response.status_code == 200
    worker = body(response)["checks"]["worker"]
    assert worker["ok"] is True and worker["checked"] is False
    assert "no remote control" in worker["detail"]
