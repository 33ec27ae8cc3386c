"""The Celery app: configured from Django settings (CELERY_*), tasks found in each app.

Worker and beat log through `settings.LOGGING` like the web (config/logs.py): Celery's own
root-logger set-up would add a second handler with its own format, so `setup_logging` is
answered here; each task's lines carry its id and name.

Tasks go to one of four queues (docs/operations.md, Several machines): `mail` (sending
e-mail: slow, at the mercy of the mail server), `webhooks` (the integrations' receivers: slow
too, at the mercy of other systems), `clocks` (the beat jobs of each app's `tasks.py`) and
`celery` (anything else). A worker started without `--queues` consumes all four, so
`make run` and a single worker keep working; a larger deployment runs one pool per queue so
a slow mail server or receiver never delays a clock.
"""

import os

from celery import Celery
from celery.signals import setup_logging, task_postrun, task_prerun
from kombu import Queue

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

app = Celery("desk")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.conf.task_default_queue = "celery"
app.conf.task_queues = (Queue("celery"), Queue("clocks"), Queue("mail"), Queue("webhooks"))
app.conf.task_routes = {  # the first pattern that matches a task's name wins
    "followups.tasks.send_notifications": {"queue": "mail"},
    "reports.tasks.mail_branch_report": {"queue": "mail"},
    "integrations.tasks.deliver_webhook": {"queue": "webhooks"},
    "resident.tasks.send_resident_mails": {"queue": "mail"},
    "*.tasks.*": {"queue": "clocks"},
}
app.autodiscover_tasks()


@setup_logging.connect
def _log_like_the_web(**_kwargs):
    from logging.config import dictConfig

    from django.conf import settings

    dictConfig(settings.LOGGING)


_task_spans = {}  # task id → the log context to restore when the task ends


@task_prerun.connect
def _bind_task(task_id=None, task=None, **_kwargs):
    from . import logs

    _task_spans[task_id] = logs.push(task_id=task_id, task=getattr(task, "name", None))


@task_postrun.connect
def _unbind_task(task_id=None, **_kwargs):
    from . import logs

    token = _task_spans.pop(task_id, None)
    if token is not None:
        logs.pop(token)


import config.task_metrics  # noqa: E402, F401 — connects the task metrics to Celery's signals


def delay_or_wait(task, *args, log, waiting: str) -> None:
    """Ask a worker to run `task(*args)` now. A broker down is logged on the caller's `log`
    ("broker unavailable; " and `waiting`, formatted with the args), never raised: what the
    task is to do is already in a row, which its periodic run, sweep or command picks up."""
    try:
        task.delay(*args)
    except Exception:  # noqa: BLE001 — any broker failure; the row is already safe
        log.warning("broker unavailable; " + waiting, *args, exc_info=True)
