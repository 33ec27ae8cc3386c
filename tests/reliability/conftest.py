"""Real processes for the fault tests: a private Redis that a test may stop, and Celery
workers on it that share the test's PostgreSQL database (docs/reliability.md)."""

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.db import connection
from kombu import pools as kombu_pools

from config.celery import app

ROOT = Path(__file__).resolve().parents[2]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_until(condition, what: str, timeout: float = 90, log=None):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.3)
    said = ""
    if log is not None:
        log.seek(0)
        said = "\n" + log.read()[-4000:]
    pytest.fail(f"{what}: not within {timeout}s{said}")


def children(pid: int) -> list[int]:
    found = []
    for task in Path(f"/proc/{pid}/task").iterdir():
        found += [int(child) for child in (task / "children").read_text().split()]
    return found


class PrivateRedis:
    """A Redis server of this test alone, on its own port, that can be stopped and started."""

    def __init__(self, folder: Path):
        self.port, self.folder, self.process = free_port(), folder, None
        self.url = f"redis://127.0.0.1:{self.port}/0"

    def start(self):
        self.process = subprocess.Popen(  # noqa: S603
            [shutil.which("redis-server"), "--port", str(self.port), "--bind", "127.0.0.1",
             "--save", "", "--appendonly", "no", "--dir", str(self.folder)],
            stdout=subprocess.DEVNULL,
        )  # fmt: skip
        wait_until(self.answers, "the private Redis to answer", timeout=20)

    def answers(self) -> bool:
        with socket.socket() as probe:
            return probe.connect_ex(("127.0.0.1", self.port)) == 0

    def stop(self):
        if self.process and self.process.poll() is None:
            self.process.send_signal(signal.SIGKILL)
            self.process.wait(timeout=10)


@pytest.fixture
def postgresql_url():
    if connection.vendor != "postgresql":
        pytest.skip("workers need a database shared across processes: CI runs it on PostgreSQL")
    db = connection.settings_dict
    return f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


@pytest.fixture
def private_redis(tmp_path):
    if shutil.which("redis-server") is None:
        pytest.fail("redis-server is needed for the fault tests")
    redis = PrivateRedis(tmp_path)
    redis.start()
    yield redis
    redis.stop()


@pytest.fixture
def app_on(private_redis):
    """Point this process's Celery app (what views publish with) at the private Redis."""
    saved = app.conf.broker_url, app.conf.task_publish_retry

    def point():
        app.conf.broker_url, app.conf.task_publish_retry = private_redis.url, False
        forget_connections()

    point()
    yield point
    app.conf.broker_url, app.conf.task_publish_retry = saved
    forget_connections()


def forget_connections():
    """Drop every broker connection and producer pool the app cached (kombu's, the app's and
    its AMQP helper's), so the next publish connects to the current broker URL."""
    kombu_pools.reset()
    app._pool = None
    app.amqp._producer_pool = None


@pytest.fixture
def celery(postgresql_url, private_redis, tmp_path):
    """start("worker", …) / start("beat", …): Celery processes on the private Redis."""
    started = []
    log = open(tmp_path / "celery.log", "w+")  # noqa: SIM115

    def start(*args, **env_overrides):
        env = {**os.environ, "DEBUG": "true", "DATABASE_URL": postgresql_url,
               "REDIS_URL": private_redis.url, "CONN_MAX_AGE": "0", **env_overrides}  # fmt: skip
        env.pop("CELERY_BROKER_URL", None)
        process = subprocess.Popen(  # noqa: S603
            [sys.executable, "-m", "celery", "--app", "config", *args],
            cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
        )  # fmt: skip
        started.append(process)
        return process

    start.log = log
    yield start
    for process in started:
        process.terminate()
    for process in started:
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
    log.close()
