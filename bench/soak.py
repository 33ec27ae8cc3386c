"""The bounded soak of `make soak` (docs/reliability.md).

    python -m bench.soak [--seconds 1800] [--rate 4] [--write docs/reliability.md]

Starts gunicorn, a Celery worker and beat against DATABASE_URL / REDIS_URL (the demo data of
`seed_demo`), then drives mixed front-desk traffic at a fixed rate from a few threads: the
list, the detail of a complaint, "my shift", and recording a complaint. It samples the memory
(RSS) of the web and worker process trees and ends with a verdict:

- zero errors (any status but 200/302, any exception);
- no lost complaint: every intake answered "recorded" is in the database, and nothing else;
- flat memory: the last fifth of the run uses at most 25 % (and 40 MB) more than the first
  fifth after the warm-up.

Exits non-zero if any of the three fails.
"""

from __future__ import annotations

import argparse
import http.cookiejar
import os
import re
import socket
import statistics
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from bench.docs import write_between

ROOT = Path(__file__).resolve().parents[1]
PORT = 8124
PASSWORD = "desk-demo-2026"  # noqa: S105 — the demo users' password (accounts.demo)
USERS = ["hy-assistant", "hy-assistant2", "ch-assistant", "bh-assistant"]
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
COMPLAINT_LINK = re.compile(r'href="/complaints/(\d+)/"')
SELECT_FIRST = (
    r'<select name="{}"[^>]*>\s*(?:<option value=""[^>]*>[^<]*</option>\s*)?<option value="(\d+)"'
)


@dataclass
class Tally:
    requests: int = 0
    errors: list[str] = field(default_factory=list)
    recorded: int = 0
    latencies: list[float] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def add(self, seconds: float, error: str | None = None) -> None:
        with self.lock:
            self.requests += 1
            self.latencies.append(seconds)
            if error:
                self.errors.append(error)


class Desk:
    """One logged-in member of staff, with cookies, over plain HTTP on loopback."""

    def __init__(self, base: str, username: str, tally: Tally, marker: str):
        self.base, self.tally, self.marker = base, tally, marker
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar))
        self.complaints: list[str] = []
        page = self.fetch("/login/")
        self.fetch("/login/", {"username": username, "password": PASSWORD,
                               "csrfmiddlewaretoken": CSRF.search(page).group(1)})  # fmt: skip

    def fetch(self, path: str, data: dict | None = None) -> str:
        body = urllib.parse.urlencode(data).encode() if data is not None else None
        request = urllib.request.Request(self.base + path, data=body)  # noqa: S310
        if body is not None:
            request.add_header("Referer", self.base + path)
        started = time.perf_counter()
        try:
            with self.opener.open(request, timeout=30) as response:
                text = response.read().decode()
                self.last_url = response.url
        except (urllib.error.URLError, OSError) as failure:
            self.tally.add(time.perf_counter() - started, f"{path}: {failure}")
            return ""
        self.tally.add(time.perf_counter() - started)
        return text

    def step(self, n: int) -> None:
        kind = n % 10
        if kind < 4:
            self.complaints = COMPLAINT_LINK.findall(self.fetch("/complaints/")) or self.complaints
        elif kind < 7 and self.complaints:
            self.fetch(f"/complaints/{self.complaints[n % len(self.complaints)]}/")
        elif kind < 8:
            self.fetch("/my-shift/")
        else:
            self.intake()

    def intake(self) -> None:
        form = self.fetch("/complaints/new/")
        if not form:
            return
        office = re.search(SELECT_FIRST.format("office"), form)
        building = re.search(SELECT_FIRST.format("building"), form)
        data = {
            "csrfmiddlewaretoken": CSRF.search(form).group(1),
            "office": office.group(1) if office else "",
            "channel": "phone",
            "complainant_name": "压测业主",
            "phone": "139 0000 0000",
            "building": building.group(1) if building else "",
            "room": "1502",
            "received_at": datetime.now().strftime("%Y-%m-%dT%H:%M"),
            "classification": "valid",
            "severity": "general",
            "description": f"{self.marker} 楼上夜间装修噪音",
            "customer_request": "停止夜间施工",
            "answered_at_once": "on",
        }
        self.fetch("/complaints/new/", data)
        if "/recorded/" in getattr(self, "last_url", ""):
            with self.tally.lock:
                self.tally.recorded += 1
        else:
            self.tally.add(0, "an intake was not recorded")


def _rss_kb(pid: int) -> int:
    """Resident memory of a process and its children, in kB."""
    total = 0
    for candidate in [pid, *_children(pid)]:
        try:
            for line in Path(f"/proc/{candidate}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1])
        except OSError:
            continue
    return total


def _children(pid: int) -> list[int]:
    found = []
    try:
        for task in Path(f"/proc/{pid}/task").iterdir():
            for child in (task / "children").read_text().split():
                found += [int(child), *_children(int(child))]
    except OSError:
        pass
    return found


def _wait_for(port: int, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        with socket.socket() as probe:
            if probe.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.3)
    raise SystemExit(f"nothing listens on {port}")


def _count(marker: str, env: dict) -> int:
    code = (
        "from complaints.models import Complaint;"
        f"print(Complaint.objects.filter(description__startswith={marker!r}).count())"
    )
    out = subprocess.run(  # noqa: S603
        [sys.executable, "manage.py", "shell", "-v0", "-c", code],
        cwd=ROOT, env=env, capture_output=True, text=True, check=True,
    ).stdout  # fmt: skip
    return int(out.strip().splitlines()[-1])


def drive(desks: list[Desk], *, seconds: float, rate: float, every: float = 5.0,
          between=lambda elapsed: None) -> None:  # fmt: skip
    """Each desk steps through the mix in its own thread, `rate` requests per second in all,
    for `seconds`; `between(elapsed)` runs on this thread about every `every` seconds."""
    started = time.monotonic()
    until = started + seconds
    interval = len(desks) / rate  # each thread's pace

    def steps(desk: Desk, offset: int) -> None:
        n, next_at = offset, time.monotonic()
        while time.monotonic() < until:
            desk.step(n)
            n += 1
            next_at += interval
            time.sleep(max(0.0, next_at - time.monotonic()))

    threads = [threading.Thread(target=steps, args=(d, i)) for i, d in enumerate(desks)]
    for thread in threads:
        thread.start()
    while time.monotonic() < until:
        between(time.monotonic() - started)
        time.sleep(min(every, max(0.0, until - time.monotonic())))
    for thread in threads:
        thread.join()


def server_env(**overrides) -> dict:
    """The environment of the desk's processes on loopback: plain HTTP, no secure cookies."""
    return {**os.environ, "SESSION_COOKIE_SECURE": "false", "CSRF_COOKIE_SECURE": "false",
            "SECURE_SSL_REDIRECT": "false", "ALLOWED_HOSTS": "127.0.0.1",
            "NOTIFICATION_SEND_SECONDS": "10", **overrides}  # fmt: skip


def start_web(port: int, env: dict, *, workers: int = 2) -> subprocess.Popen:
    return subprocess.Popen(  # noqa: S603
        [str(Path(sys.executable).parent / "gunicorn"), "config.wsgi", "--workers", str(workers),
         "--bind", f"127.0.0.1:{port}", "--log-level", "warning"],
        cwd=ROOT, env=env,
    )  # fmt: skip


def start_worker(env: dict, *args: str) -> subprocess.Popen:
    return subprocess.Popen(  # noqa: S603
        [sys.executable, "-m", "celery", "--app", "config", "worker", "--concurrency", "1",
         "--loglevel", "WARNING", "--without-mingle", "--without-gossip", *args],
        cwd=ROOT, env=env,
    )  # fmt: skip


def start_beat(env: dict, schedule: Path) -> subprocess.Popen:
    return subprocess.Popen(  # noqa: S603
        [sys.executable, "-m", "celery", "--app", "config", "beat", "--loglevel", "WARNING",
         "--schedule", str(schedule)],
        cwd=ROOT, env=env,
    )  # fmt: skip


def stop_all(processes: list[subprocess.Popen]) -> None:
    for process in processes:
        if process.poll() is None:
            process.terminate()
    for process in processes:
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()


def soak(*, seconds: int, rate: float, threads: int = 4) -> dict:
    env = server_env()
    web = start_web(PORT, env)
    worker = start_worker(env)
    beat = start_beat(env, ROOT / "var" / "soak-beat-schedule")
    marker = f"soak-{uuid.uuid4().hex[:8]}"
    tally = Tally()
    samples: list[tuple[float, int]] = []
    try:
        _wait_for(PORT)
        base = f"http://127.0.0.1:{PORT}"
        desks = [Desk(base, USERS[i % len(USERS)], tally, marker) for i in range(threads)]

        def sample(elapsed: float) -> None:
            samples.append((elapsed, _rss_kb(web.pid) + _rss_kb(worker.pid)))

        drive(desks, seconds=seconds, rate=rate, every=min(5.0, max(1.0, seconds / 60)),
              between=sample)  # fmt: skip
        stored = _count(marker, env)
    finally:
        stop_all([web, worker, beat])
    fifth = max(1, len(samples) // 5)
    warm = samples[1:][:fifth] or samples[:1]  # the first sample is the cold start
    start_kb = statistics.mean(kb for _t, kb in warm)
    end_kb = statistics.mean(kb for _t, kb in samples[-fifth:])
    ordered = sorted(tally.latencies)
    return {
        "seconds": seconds,
        "rate": rate,
        "requests": tally.requests,
        "errors": tally.errors,
        "recorded": tally.recorded,
        "stored": stored,
        "start_mb": start_kb / 1024,
        "end_mb": end_kb / 1024,
        "p95_ms": ordered[int(0.95 * (len(ordered) - 1))] * 1000 if ordered else 0,
    }


def verdict(result: dict) -> list[str]:
    problems = []
    if result["errors"]:
        problems.append(f"{len(result['errors'])} errors, first: {result['errors'][0]}")
    if result["recorded"] != result["stored"]:
        problems.append(f"{result['recorded']} complaints recorded, {result['stored']} stored")
    growth = result["end_mb"] - result["start_mb"]
    if growth > max(0.25 * result["start_mb"], 40):
        problems.append(f"memory grew from {result['start_mb']:.0f} to {result['end_mb']:.0f} MB")
    return problems


def summary(result: dict, problems: list[str]) -> str:
    return "\n".join(
        [
            f"Soak {datetime.now():%Y-%m-%d}: {result['seconds']} s at {result['rate']} "
            f"requests/s on {os.cpu_count()} cores (gunicorn 2 workers, Celery worker and beat).",
            "",
            "| requests | errors | complaints recorded | in the database | p95 ms "
            "| memory at start | memory at end | verdict |",
            "| ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |",
            f"| {result['requests']} | {len(result['errors'])} | {result['recorded']} "
            f"| {result['stored']} | {result['p95_ms']:.0f} | {result['start_mb']:.0f} MB "
            f"| {result['end_mb']:.0f} MB | {'; '.join(problems) or 'passed'} |",
        ]
    )


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=int, default=1800)
    parser.add_argument("--rate", type=float, default=4.0, help="requests per second in all")
    parser.add_argument("--write", type=Path)
    args = parser.parse_args(argv)
    result = soak(seconds=args.seconds, rate=args.rate)
    problems = verdict(result)
    text = summary(result, problems)
    print(text)
    if args.write:
        write_between(args.write, "soak", text)
    if problems:
        raise SystemExit("soak failed: " + "; ".join(problems))


if __name__ == "__main__":
    main()
