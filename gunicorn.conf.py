"""Read by gunicorn from the working folder: the workers of one machine share a Prometheus
multiprocess folder, so a scrape of `/metrics` sums them (docs/operations.md, Metrics).

Sets `PROMETHEUS_MULTIPROC_DIR` (unless given) to a fresh folder before the workers import
the desk, forgets each worker's live gauges when it exits, and removes the folder it made
when gunicorn stops. Everything else (bind, workers) stays on the command line.

Requests gunicorn itself refuses are answered with the desk's 400 page and headers
(config/gunicorn_errors.py).
"""

import os
import shutil
import tempfile

from config.gunicorn_errors import install

install()

_made_here = not os.environ.get("PROMETHEUS_MULTIPROC_DIR")
if _made_here:
    os.environ["PROMETHEUS_MULTIPROC_DIR"] = tempfile.mkdtemp(prefix="desk-metrics-")
else:  # a folder left by an earlier run would add its counts to this one's
    shutil.rmtree(os.environ["PROMETHEUS_MULTIPROC_DIR"], ignore_errors=True)
    os.makedirs(os.environ["PROMETHEUS_MULTIPROC_DIR"])


def child_exit(server, worker):
    from prometheus_client import multiprocess

    multiprocess.mark_process_dead(worker.pid)


def on_exit(server):
    if _made_here:
        shutil.rmtree(os.environ["PROMETHEUS_MULTIPROC_DIR"], ignore_errors=True)
