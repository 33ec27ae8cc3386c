"""A Celery worker and beat start against the filesystem broker and against Redis."""

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
REDIS_URL = os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/5")
BROKERS = {"filesystem": {}, "redis": {"REDIS_URL": REDIS_URL}}


def celery_env(broker_env: dict) -> dict:
    dropped = ("REDIS_URL", "CELERY_BROKER_URL", "CELERY_RESULT_BACKEND", "DATABASE_URL")
    env = {k: v for k, v in os.environ.items() if k not in dropped}
    return {**env, "DEBUG": "true", **broker_env}


def start(args, env):
    return subprocess.Popen(
        [sys.executable, "-m", "celery", "--app", "config", *args],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )


def stop(process) -> None:
    process.terminate()
    try:
        process.communicate(timeout=20)  # drains the pipe so the process can exit
    except subprocess.TimeoutExpired:
        process.kill()
        process.communicate()


def wait_for(process, needle: str, timeout: float = 60) -> str:
    seen = []
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        line = process.stdout.readline()
        if not line and process.poll() is not None:
            break
        seen.append(line)
        if needle in line:
            return "".join(seen)
    process.kill()
    pytest.fail(f"{needle!r} not seen; output:\n{''.join(seen)}")


@pytest.mark.parametrize("broker", sorted(BROKERS))
def test_worker_starts_and_runs_a_task(broker):
    env = celery_env(BROKERS[broker])
    queue = f"ci-{broker}-{os.getpid()}"
    worker = start(
        [
            "worker",
            "--loglevel",
            "INFO",
            "--pool",
            "solo",
            "--without-mingle",
            "--without-gossip",
            "--queues",
            queue,
        ],
        env,
    )
    try:
        wait_for(worker, "ready.")
        sender = subprocess.run(
            [
                sys.executable,
                "-c",
                "from config.celery import app;"
                f"app.send_task('celery.accumulate', args=(1, 2), queue='{queue}')",
            ],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=60,
        )
        assert sender.returncode == 0, sender.stderr
        output = wait_for(worker, "succeeded")
        assert "celery.accumulate" in output
    finally:
        stop(worker)


@pytest.mark.parametrize("broker", sorted(BROKERS))
def test_beat_starts(broker, tmp_path):
    beat = start(
        ["beat", "--loglevel", "INFO", "--schedule", str(tmp_path / "schedule")],
        celery_env(BROKERS[broker]),
    )
    try:
        output = wait_for(beat, "beat: Starting...")
        assert "LocalTime" in output or "Configuration" in output
    finally:
        stop(beat)
