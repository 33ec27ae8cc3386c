"""Celery's task metrics with a real worker on Redis (threat: clocks that fail or queue up
unseen; docs/operations.md, Metrics): the worker's runs, failures and durations reach the web's
/metrics through Redis, and tasks waiting with no worker show as queue length."""

import pytest
from prometheus_client.parser import text_string_to_metric_families

from config.celery import app

from .conftest import wait_until

pytestmark = pytest.mark.django_db(transaction=True)
TOKEN = "scrape-token-for-tests"


def scrape(client) -> dict:
    response = client.get("/metrics", HTTP_AUTHORIZATION=f"Bearer {TOKEN}")
    assert response.status_code == 200
    return {
        (sample.name, frozenset(sample.labels.items())): sample.value
        for family in text_string_to_metric_families(response.content.decode())
        for sample in family.samples
    }


def runs(seen: dict, task: str, state: str) -> float:
    return seen.get(
        ("desk_celery_task_runs_total", frozenset({("task", task), ("state", state)})), 0
    )


def test_task_runs_failures_durations_and_queue_length_reach_the_scrape(
    client, settings, app_on, celery
):
    settings.METRICS_TOKEN = TOKEN
    sender = "followups.tasks.send_notifications"
    mailer = "reports.tasks.mail_branch_report"
    worker = celery("worker", "--pool", "solo", "--without-mingle", "--without-gossip",
                    "--loglevel", "INFO")  # fmt: skip
    app.send_task(sender)
    app.send_task(mailer, args=(987654,))  # no such report: the task fails
    app.send_task("followups.tasks.escalation_scan")  # a worker without --queues takes clocks too
    wait_until(lambda: runs(scrape(client), mailer, "FAILURE") == 1, "the failure to be counted",
               log=celery.log)  # fmt: skip
    wait_until(lambda: runs(scrape(client), sender, "SUCCESS") == 1, "the run to be counted",
               log=celery.log)  # fmt: skip
    wait_until(lambda: runs(scrape(client), "followups.tasks.escalation_scan", "SUCCESS") == 1,
               "the clock to run", log=celery.log)  # fmt: skip
    seen = scrape(client)
    duration = frozenset({("task", sender)})
    assert seen[("desk_celery_task_duration_seconds_count", duration)] == 1
    assert seen[("desk_celery_task_duration_seconds_bucket", duration | {("le", "+Inf")})] == 1
    assert 0 < seen[("desk_celery_task_duration_seconds_sum", duration)] < 30

    worker.terminate()
    worker.wait(timeout=30)
    for _ in range(3):
        app.send_task(sender)
    lengths = {dict(labels)["queue"]: v for (name, labels), v in scrape(client).items()
               if name == "desk_celery_queue_length"}  # fmt: skip
    assert lengths == {"mail": 3, "clocks": 0, "celery": 0, "webhooks": 0}
