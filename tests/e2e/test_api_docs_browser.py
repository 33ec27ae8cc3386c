"""The API's documentation page in a real browser (issue #18.3): Swagger UI served by the desk
itself (drf-spectacular-sidecar, no CDN) renders the schema under the desk's CSP — no inline
script or style is blocked, nothing is fetched from another origin."""

import pytest

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser]


def test_a_logged_in_user_reads_the_api_documentation(page, login, assistant, live_server):
    blocked, foreign = [], []
    page.on(
        "console",
        lambda message: (
            blocked.append(message.text) if "Content Security Policy" in message.text else None
        ),
    )
    page.on(
        "request",
        lambda request: (
            foreign.append(request.url)
            if not request.url.startswith(live_server.url) and not request.url.startswith("data:")
            else None
        ),
    )
    login(assistant)
    page.goto("/api/docs/")
    page.wait_for_selector(".swagger-ui .info .title")
    assert "Complaint desk API" in page.inner_text(".swagger-ui .info .title")
    page.wait_for_selector("text=/api/v1/complaints/{id}/")
    assert blocked == []
    assert foreign == []
