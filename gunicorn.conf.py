"""Read by gunicorn from the working folder: the workers of one machine share a Prometheus
multiprocess folder, so a scrape of `/metrics` sums them (docs/operations.md, Metrics).

Sets `PROMETHEUS_MULTIPROC_DIR` (unless given) to a fresh folder before the workers import
the desk, and forgets each worker's live gauges when it exits. Everything else (bind,
workers) stays on the command line.
"""

import os
import shutil
import tempfile

if not os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
    os.environ["PROMETHEUS_MULTIPROC_DIR"] = tempfile.mkdtemp(prefix="desk-metrics-")
else:  # a folder left by an earlier run would add its counts to this one's
    shutil.rmtree(os.environ["PROMETHEUS_MULTIPROC_DIR"], ignore_errors=True)
    os.makedirs(os.environ["PROMETHEUS_MULTIPROC_DIR"])


def child_exit(server, worker):
    from prometheus_client import multiprocess

    multiprocess.mark_process_dead(worker.pid)
