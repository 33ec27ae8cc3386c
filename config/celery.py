"""The Celery app: configured from Django settings (CELERY_*), tasks found in each app.

Tasks go to one of three queues (docs/operations.md, Several machines): `mail` (sending
e-mail: slow, at the mercy of the mail server), `clocks` (the beat jobs of each app's
`tasks.py`) and `celery` (anything else). A worker started without `--queues` consumes all
three, so `make run` and a single worker keep working; a larger deployment runs one pool per
queue so a slow mail server never delays a clock.
"""

import os

from celery import Celery
from kombu import Queue

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

app = Celery("desk")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.conf.task_default_queue = "celery"
app.conf.task_queues = (Queue("celery"), Queue("clocks"), Queue("mail"))
app.conf.task_routes = {  # the first pattern that matches a task's name wins
    "followups.tasks.send_notifications": {"queue": "mail"},
    "reports.tasks.mail_branch_report": {"queue": "mail"},
    "*.tasks.*": {"queue": "clocks"},
}
app.autodiscover_tasks()

import config.task_metrics  # noqa: E402, F401 — connects the task metrics to Celery's signals
