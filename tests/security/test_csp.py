"""Content-Security-Policy (issue #7, authentication): every page, the admin included, tells
the browser to run only our own scripts and styles and never to show the desk in a frame.

Threat: a resident's name or a complaint's text carrying a <script> (stored XSS) runs in an
assistant's session; another site frames the desk to trick a click (clickjacking)."""

import re
from pathlib import Path

import pytest
from django.urls import reverse

from accounts.models import User
from accounts.roles import Role
from tests.factories import ComplaintFactory, staff

pytestmark = pytest.mark.django_db
TEMPLATES = Path(__file__).resolve().parents[2] / "templates"


def policy(response) -> dict[str, list[str]]:
    header = response["Content-Security-Policy"]
    return {
        name: values
        for name, *values in (part.split() for part in header.split(";") if part.strip())
    }


def test_the_policy_allows_only_our_origin_and_no_inline_code(client):
    """Threat: a policy with 'unsafe-inline' or a foreign origin lets an injected script run."""
    csp = policy(client.get(reverse("login")))
    assert csp["default-src"] == ["'self'"]
    assert csp["script-src"] == ["'self'"]  # no 'unsafe-inline', no 'unsafe-eval'
    assert csp["style-src"] == ["'self'"]
    assert csp["img-src"] == ["'self'", "data:"]
    assert csp["object-src"] == ["'none'"]
    assert csp["frame-ancestors"] == ["'none'"]
    assert csp["form-action"] == ["'self'"]


@pytest.mark.parametrize(
    "url",
    [
        reverse("home"),
        reverse("complaints:intake"),
        reverse("complaints:list"),
        reverse("complaints:dutylog"),
    ],
)
def test_every_desk_page_carries_the_policy(client, url):
    """Threat: a desk page without the policy runs a stored script in the assistant's session."""
    client.force_login(staff(Role.CLIENT_ASSISTANT))
    response = client.get(url)
    assert response.status_code == 200
    assert "script-src 'self'" in response["Content-Security-Policy"]


@pytest.mark.parametrize(
    "url", [reverse("admin:index"), reverse("admin:complaints_complaint_changelist")]
)
def test_the_admin_carries_the_policy_too(client, url):
    """Threat: the admin, where staff read every record, runs a stored script or is framed."""
    client.force_login(User.objects.create_superuser("root", "root@example.com", "pw"))
    response = client.get(url)
    assert response.status_code == 200
    assert "script-src 'self'" in response["Content-Security-Policy"]


def test_a_complaint_detail_carries_the_policy(client):
    """Threat: a complaint's text carrying <script> runs on its detail page (stored XSS)."""
    complaint = ComplaintFactory(description="<script>alert(1)</script>")
    client.force_login(staff(Role.CLIENT_ASSISTANT, office=complaint.office))
    response = client.get(reverse("complaints:detail", args=[complaint.pk]))
    assert "frame-ancestors 'none'" in response["Content-Security-Policy"]
    assert "<script>alert(1)</script>" not in response.text  # escaped, and refused if not


def test_no_template_carries_inline_script_handlers_or_styles():
    """The policy would silently break them; desk.js and desk.css carry that behaviour."""
    inline = re.compile(r"\son[a-z]+=|\sstyle=\"|<script>|<style|javascript:", re.IGNORECASE)
    offenders = [
        f"{path.relative_to(TEMPLATES)}: {match.group(0).strip()}"
        for path in TEMPLATES.rglob("*.html")
        for match in inline.finditer(path.read_text())
    ]
    assert offenders == []
