"""The bounded load test (issue: Scale): gunicorn on loopback, locust headless.

    python -m bench.load [--users 50] [--seconds 60] [--workers 4] [--write docs/performance.md]
    python -m bench.load --public [--rate 50] [--users 10] …   (make loadtest-public)

Runs against the bench database of `make bench` (DATABASE_URL), with production settings
over plain HTTP on loopback. Prints requests/s, p95 and failures per request kind and writes
them between `<!-- load:start -->` and `<!-- load:end -->`. Exits non-zero on any failure.

`--public`: residents on the community's complaint page at `--rate` requests/s in all (GETs of
the form and the thank-you page, one in ten a submission that records a complaint), while
`--users` desks keep working (`locust_public.py`); written between `<!-- load-public:… -->`.
The form's rate limits are lifted for the run: every request comes from loopback, and the run
measures the work of a submission, not its refusal.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import socket
import subprocess
import sys
import tempfile
import time
from datetime import datetime
from pathlib import Path

from bench.docs import write_between

PORT = 8123


def _wait_for(port: int, seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        with socket.socket() as probe:
            if probe.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.2)
    raise SystemExit(f"gunicorn did not listen on {port}")


def log_in(users: int, folder: Path) -> Path:
    """Open one session per simulated desk before the measured window.

    A desk logs in once a shift; 50 logins at once would spend the run hashing passwords
    (PBKDF2 is slow on purpose) and measure that instead of the pages. The sessions are real
    rows of the session engine, as a login through the page would write them.
    """
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    django.setup()
    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.test import Client

    names = [desk_username(seat) for seat in range(users)]
    found = get_user_model().objects.in_bulk(names, field_name="username")
    missing = sorted(set(names) - set(found))
    if missing:
        raise SystemExit(f"no bench user {missing[0]}: run `make bench-data` first")
    desks = []
    for name in names:
        client = Client()
        client.force_login(found[name])
        desks.append([name, client.cookies[settings.SESSION_COOKIE_NAME].value])
    path = folder / "sessions.json"
    path.write_text(json.dumps({"cookie": settings.SESSION_COOKIE_NAME, "desks": desks}))
    return path


def desk_username(seat: int) -> str:
    """The seat-th desk: one assistant in each of the 200 offices, then a second one, …"""
    return f"o{seat % 200:03d}-client_assistant-{seat // 200 % 4}"


def office_codes(count: int = 50) -> str:
    from accounts.models import Office

    return ",".join(Office.objects.order_by("pk").values_list("code", flat=True)[:count])


def run(*, users: int, seconds: int, workers: int, public_rate: float = 0) -> list[dict]:
    residents = max(1, int(public_rate // 2)) if public_rate else 0
    env = {
        **os.environ,
        "COMMUNITY_SUBMISSIONS_PER_ADDRESS": str(10**9),
        "COMMUNITY_SUBMISSIONS_PER_PHONE": str(10**9),
        "LOAD_PUBLIC_RATE": str(public_rate),
        "LOAD_RESIDENTS": str(residents),
        "ALLOWED_HOSTS": "127.0.0.1",
        "SESSION_COOKIE_SECURE": "false",  # plain HTTP on loopback
        "CSRF_COOKIE_SECURE": "false",
        "SECURE_SSL_REDIRECT": "false",
    }
    bin_dir = Path(sys.executable).parent
    server = subprocess.Popen(  # noqa: S603
        [str(bin_dir / "gunicorn"), "config.wsgi", "--workers", str(workers),
         "--bind", f"127.0.0.1:{PORT}", "--access-logfile", "-", "--log-level", "warning"],
        env=env, stdout=subprocess.DEVNULL,
    )  # fmt: skip
    try:
        _wait_for(PORT)
        with tempfile.TemporaryDirectory() as folder:
            prefix = Path(folder) / "load"
            env["LOAD_SESSIONS"] = str(log_in(users, Path(folder)))
            locustfile = "locust_public.py" if public_rate else "locustfile.py"
            if public_rate:
                env["LOAD_OFFICES"] = office_codes()
                env["PYTHONPATH"] = str(Path(__file__).parent.parent)
            total = users + residents
            subprocess.run(  # noqa: S603
                [str(bin_dir / "locust"), "-f", str(Path(__file__).with_name(locustfile)),
                 "--headless", "--users", str(total), "--spawn-rate", str(max(1, total // 5)),
                 "--run-time", f"{seconds}s", "--host", f"http://127.0.0.1:{PORT}",
                 "--csv", str(prefix), "--only-summary", "--loglevel", "WARNING"],
                env=env, check=False,
            )  # fmt: skip
            with open(f"{prefix}_stats.csv", newline="") as stats:
                return list(csv.DictReader(stats))
    finally:
        server.terminate()
        server.wait(timeout=30)


def table(rows: list[dict], *, users: int, seconds: int, workers: int, public_rate=0) -> str:
    who = (
        f"residents at {public_rate:g} requests/s on the community page and {users} desks"
        if public_rate
        else f"{users} users"
    )
    lines = [
        f"Load test {datetime.now():%Y-%m-%d}: {who} for {seconds} s on loopback, "
        f"gunicorn with {workers} workers, locust on the same {os.cpu_count()} cores; "
        "each desk is logged in before the measured window.",
        "",
        "| request | requests | failures | requests/s | p50 ms | p95 ms |",
        "| --- | ---: | ---: | ---: | ---: | ---: |",
    ]
    for row in rows:
        lines.append(
            f"| {row['Name']} | {row['Request Count']} | {row['Failure Count']} "
            f"| {float(row['Requests/s']):.1f} | {row['50%']} | {row['95%']} |"
        )
    return "\n".join(lines)


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--seconds", type=int, default=60)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--write", type=Path)
    parser.add_argument("--public", action="store_true", help="residents on the community page")
    parser.add_argument("--rate", type=float, default=50, help="--public: requests/s in all")
    args = parser.parse_args(argv)
    rate = args.rate if args.public else 0
    sizes = {"users": args.users, "seconds": args.seconds, "workers": args.workers}
    rows = run(**sizes, public_rate=rate)
    text = table(rows, **sizes, public_rate=rate)
    print(text)
    if args.write:
        write_between(args.write, "load-public" if args.public else "load", text)
    failures = sum(int(row["Failure Count"]) for row in rows)
    if failures:
        raise SystemExit(f"{failures} request(s) failed")


if __name__ == "__main__":
    main()
