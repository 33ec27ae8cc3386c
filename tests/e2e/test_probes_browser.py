"""The probes as an operator opens them in a browser: JSON naming each check
(docs/operations.md, Health)."""

import json

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_an_operator_reads_which_checks_pass_in_the_browser(page):
    response = page.goto("/healthz")
    assert response.status == 200 and json.loads(page.inner_text("body")) == {"status": "ok"}
    response = page.goto("/readyz?check=database&check=migrations")
    answer = json.loads(page.inner_text("body"))
    assert response.status == 200 and answer["status"] == "ok"
    assert set(answer["checks"]) == {"database", "migrations"}
