"""The OpenAPI 3 schema (issue #18.3): served at /api/schema/, kept in docs/api/openapi.yaml,
and this test fails when the code's schema and the kept file differ — regenerate it with
`python manage.py spectacular --file docs/api/openapi.yaml` (docs/api.md).

Threat: the integrations' developers build against a contract that is no longer the API's."""

from pathlib import Path

import pytest
from django.core.management import call_command
from django.test import Client

KEPT = Path(__file__).resolve().parents[2] / "docs" / "api" / "openapi.yaml"

pytestmark = pytest.mark.django_db


def test_the_kept_schema_is_the_codes_schema(tmp_path):
    generated = tmp_path / "openapi.yaml"
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(generated))
    assert generated.read_text() == KEPT.read_text(), (
        "docs/api/openapi.yaml is stale: run "
        "`python manage.py spectacular --file docs/api/openapi.yaml` and commit it"
    )


def test_the_schema_is_served_to_a_logged_in_user(assistant_client):
    response = assistant_client.get("/api/schema/")
    assert response.status_code == 200
    text = response.content.decode()
    assert text.startswith("openapi: 3")
    assert "/api/v1/complaints/{id}/" in text


def test_the_schema_needs_a_login(client):
    assert client.get("/api/schema/").status_code == 401


def test_the_docs_page_loads_swagger_ui_from_the_desk_with_no_inline_script(assistant_client):
    response = assistant_client.get("/api/docs/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "/static/drf_spectacular_sidecar/swagger-ui-dist/swagger-ui-bundle.js" in html
    assert "<script>" not in html and "<style>" not in html
    assert "script-src 'self'" in response["Content-Security-Policy"]
    script = assistant_client.get("/api/docs/", {"script": ""})
    assert script.status_code == 200
    assert script["Content-Type"].startswith("application/javascript")


def test_the_docs_page_sends_the_anonymous_to_log_in():
    response = Client().get("/api/docs/")
    assert response.status_code == 302
    assert response["Location"].startswith("/login/")


def test_a_request_refused_before_any_view_is_a_json_400(assistant_client, english):
    """Threat: an integration reads an HTML page where the schema promised JSON (a NUL in the
    query string is refused by the desk's middleware before any view)."""
    response = assistant_client.get("/api/v1/reports/", {"q": "a\x00b"})
    assert response.status_code == 400
    assert response.json() == {"detail": "The request could not be read"}
    page = assistant_client.get("/complaints/", {"q": "a\x00b"})
    assert page.status_code == 400 and "text/html" in page["Content-Type"]
