"""/metrics (threat: an operator who learns of a stuck desk from the front desk, and a public
endpoint that tells strangers how busy each office is; docs/operations.md, Metrics)."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone
from prometheus_client.parser import text_string_to_metric_families

from accounts.roles import Role
from complaints.models import Complaint, Status
from followups.models import Notification
from reports.models import MonthlyReport
from tests.factories import ComplaintFactory, OfficeFactory, staff

pytestmark = pytest.mark.django_db
TOKEN = "scrape-token-for-tests"
SECOND_OF_DECEMBER = datetime(2026, 12, 2, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai"))


def samples(text: str) -> dict:
    """{(name, frozenset(labels)): value} of a scrape."""
    return {
        (sample.name, frozenset(sample.labels.items())): sample.value
        for family in text_string_to_metric_families(text)
        for sample in family.samples
    }


def scrape(client) -> dict:
    response = client.get("/metrics", HTTP_AUTHORIZATION=f"Bearer {TOKEN}")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain; version=")
    return samples(response.content.decode())


def test_without_a_configured_token_the_endpoint_does_not_exist(client, settings):
    settings.METRICS_TOKEN = ""
    assert client.get("/metrics", HTTP_AUTHORIZATION="Bearer ").status_code == 404


def test_a_scrape_without_the_right_token_is_refused(client, settings):
    settings.METRICS_TOKEN = TOKEN
    assert client.get("/metrics").status_code == 403
    assert client.get("/metrics", HTTP_AUTHORIZATION="Bearer wrong").status_code == 403
    assert client.get("/metrics", HTTP_AUTHORIZATION=TOKEN).status_code == 403  # no scheme


@time_machine.travel(SECOND_OF_DECEMBER, tick=False)
def test_a_scrape_shows_latency_queries_and_the_desks_own_gauges(
    client, settings, django_assert_max_num_queries
):
    settings.METRICS_TOKEN = TOKEN
    office = OfficeFactory(code="MX")
    now = timezone.now()
    late_reply = ComplaintFactory(office=office)
    Complaint.objects.filter(pk=late_reply.pk).update(reply_due=now - timedelta(hours=1))
    ComplaintFactory(office=office)  # open, nothing overdue
    superseded = ComplaintFactory(office=office)
    Complaint.objects.filter(pk=superseded.pk).update(status=Status.SUPERSEDED)  # no longer open
    assistant = staff(Role.CLIENT_ASSISTANT, office=office, email="assistant@example.com")
    no_address = staff(Role.CLIENT_ASSISTANT, office=office)
    Notification.objects.create(recipient=no_address, kind="deadline", key="c", title="c")
    Notification.objects.create(recipient=assistant, kind="deadline", key="a", title="a",
                                created_at=now - timedelta(minutes=7))  # fmt: skip
    Notification.objects.create(recipient=assistant, kind="deadline", key="b", title="b",
                                emailed_at=now)  # fmt: skip
    client.force_login(assistant)
    assert client.get(reverse("complaints:list")).status_code == 200
    client.logout()  # Prometheus carries no session: the scrape reads no user

    with django_assert_max_num_queries(5):  # cheap at scrape time, whatever the data
        seen = scrape(client)

    office_label = frozenset({("office", "MX")})
    assert seen[("desk_complaints_open", office_label)] == 2
    assert seen[("desk_complaints_overdue", office_label | {("kind", "reply")})] == 1
    assert seen[("desk_complaints_overdue", office_label | {("kind", "dispatch")})] == 0
    # Only what the sender will e-mail: a recipient without an address is never waited for.
    assert seen[("desk_notifications_unsent", frozenset())] == 1
    assert seen[("desk_notifications_oldest_unsent_seconds", frozenset())] == 420
    # R-RPT-1: on the 2nd, November's report of every office and branch should exist.
    offices, branches = office.__class__.objects.count(), office.branch.__class__.objects.count()
    assert seen[("desk_reports_missing", frozenset({("subject", "office")}))] == offices
    assert seen[("desk_reports_missing", frozenset({("subject", "branch")}))] == branches
    view = {("view", "complaints:list"), ("method", "GET")}
    assert seen[("desk_http_request_duration_seconds_count", frozenset(view))] >= 1
    assert seen[("desk_db_queries_total", frozenset({("view", "complaints:list")}))] >= 1
    assert seen[("desk_http_requests_total", frozenset(view | {("status", "200")}))] >= 1


@time_machine.travel(SECOND_OF_DECEMBER, tick=False)
def test_a_report_generated_is_no_longer_missing(client, settings):
    settings.METRICS_TOKEN = TOKEN
    office = OfficeFactory(code="MY")
    before = scrape(client)[("desk_reports_missing", frozenset({("subject", "office")}))]
    MonthlyReport.objects.create(office=office, month=datetime(2026, 11, 1).date(),
                                 generated_at=timezone.now(), data={})  # fmt: skip
    after = scrape(client)[("desk_reports_missing", frozenset({("subject", "office")}))]
    assert after == before - 1
