"""The isolation sweep of the resident's public pages (#17 item 5): a token opens exactly its
complaint; a guessed, revoked or another complaint's token opens nothing, with one answer."""

from datetime import UTC, datetime, timedelta

import pytest
from django.urls import reverse

from complaints.models import Complaint
from followups.workflow import record_contact
from resident.links import issue_link, revoke_link
from tests.attachment_files import jpeg
from tests.followups.states import handled
from tests.world import _attached

NOW = datetime(2026, 11, 10, 2, 0, tzinfo=UTC)
pytestmark = [pytest.mark.django_db, pytest.mark.frozen_at(NOW)]


@pytest.fixture
def two(record, supervisor):
    """Two residents' complaints of one office, each with its marker, a photo and a link."""
    mine = handled(record(description="MINE-MARKER"), supervisor, NOW - timedelta(hours=2))
    theirs = handled(record(description="THEIRS-MARKER"), supervisor, NOW - timedelta(hours=2))
    for complaint, name in ((mine, "mine.jpg"), (theirs, "theirs.jpg")):
        _attached(complaint, supervisor, jpeg(name))
        record_contact(
            complaint,
            by=supervisor,
            kind="progress",
            method="phone",
            summary=f"{complaint.description}-SAID",
            now=NOW,
        )
    return {
        "mine": (mine, issue_link(mine)[1]),
        "theirs": (theirs, issue_link(theirs)[1]),
    }


def test_a_token_opens_exactly_its_complaint(client, two):
    """Threat: one resident's link shows another resident's complaint."""
    mine, token = two["mine"]
    page = client.get(reverse("resident:track", args=[token])).content.decode()
    assert mine.number in page and "MINE-MARKER-SAID" in page
    theirs = two["theirs"][0]
    assert theirs.number not in page and "THEIRS-MARKER" not in page
    for photo in theirs.attachments.all():
        assert str(photo.key) not in page


def test_a_token_reaches_no_photo_of_another_complaint(client, two):
    """Threat: a link combined with another complaint's photo key streams that photo."""
    _mine, token = two["mine"]
    theirs = two["theirs"][0]
    own = two["mine"][0].attachments.get()
    assert client.get(reverse("resident:photo", args=[token, own.key])).status_code == 200
    other = theirs.attachments.get()
    assert client.get(reverse("resident:photo", args=[token, other.key])).status_code == 404


def test_a_token_answers_the_revisit_of_its_complaint_only(client, two):
    """Threat: a link's answer is recorded on another resident's complaint."""
    _mine, token = two["mine"]
    client.post(reverse("resident:revisit", args=[token]), {"outcome": "satisfied"})
    assert Complaint.objects.get(pk=two["theirs"][0].pk).status == "resolved"
    assert Complaint.objects.get(pk=two["mine"][0].pk).status == "revisited"


@pytest.mark.parametrize("kind", ["guessed", "revoked", "truncated", "hostile"])
@pytest.mark.parametrize("route", ["resident:track", "resident:revisit", "resident:photo"])
def test_a_token_that_is_not_live_opens_nothing_with_one_answer(client, two, kind, route):
    """Threat: a guessed or revoked token — or its near miss — opens, answers or streams."""
    mine, token = two["mine"]
    if kind == "revoked":
        revoke_link(mine.tracking_links.get())
        held = token
    else:
        held = {"guessed": "B" * 43, "truncated": token[:-1], "hostile": "'%20OR%201=1--"}[kind]
    photo = mine.attachments.get()
    args = [held, photo.key] if route == "resident:photo" else [held]
    url = reverse(route, args=args)
    response = (
        client.post(url, {"outcome": "satisfied"}) if route.endswith("revisit") else client.get(url)
    )
    assert response.status_code == 404
    if route != "resident:photo":
        baseline = client.get(reverse("resident:track", args=["C" * 43]))
        assert response.content == baseline.content
    assert Complaint.objects.get(pk=mine.pk).status == "resolved"
