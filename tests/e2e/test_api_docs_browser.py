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


def test_the_documentation_shows_each_steps_body(page, login, manager, tmp_path):
    """Issue #18.3: an integration's developer finds every step and reads the fields of its
    body (the step form's, with their choices), not a free object."""
    login(manager)
    page.goto("/api/docs/")
    for path in (
        "/api/v1/complaints/{id}/contact/",
        "/api/v1/complaints/{id}/major-report/",
        "/api/v1/callers/{phone}/complaints/",
        "/api/v1/reports/{id}/xlsx/",
        "/api/v1/notifications/read-all/",
    ):
        page.wait_for_selector(f'.opblock-summary-path[data-path="{path}"]')
    page.click('.opblock-summary-path[data-path="/api/v1/complaints/{id}/contact/"]')
    body = page.wait_for_selector(".opblock.is-open .body-param__example, .opblock.is-open pre")
    text = body.inner_text()
    assert '"summary"' in text and '"method"' in text
    page.screenshot(path=tmp_path / "api-docs-contact.png", full_page=True)
