"""The load test of `make loadtest` (docs/performance.md): front-desk staff of many offices
listing, opening and recording complaints against gunicorn.

Each simulated user is a client assistant of its own office of the bench database
(`python -m bench.generate` makes `oNNN-client_assistant-K`). `python -m bench.load` logs them
in before the run and passes their session cookies in the file named by LOAD_SESSIONS.
"""

import itertools
import json
import os
import random
import re
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from locust import HttpUser, between, task

CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
NUMBER_LINK = re.compile(r'href="/complaints/(\d+)/"')
BUILDING = re.compile(r'<option value="(\d+)"')
SHANGHAI = ZoneInfo("Asia/Shanghai")
_seats = itertools.count()
SESSIONS = (
    json.loads(Path(os.environ["LOAD_SESSIONS"]).read_text())
    if "LOAD_SESSIONS" in os.environ
    else {}
)


class FrontDesk(HttpUser):
    # Front-desk staff read a page before the next click; the 50 users are 50 desks.
    wait_time = between(1, 3)

    def on_start(self):
        desks = SESSIONS["desks"]
        self.username, session = desks[next(_seats) % len(desks)]
        self.client.cookies.set(SESSIONS["cookie"], session)
        self.complaints = []

    @task(5)
    def list_page(self):
        response = self.client.get("/complaints/", name="list")
        self.complaints = NUMBER_LINK.findall(response.text) or self.complaints

    @task(2)
    def filtered_list(self):
        self.client.get("/complaints/?status=open&sort=received_at", name="list, open")

    @task(3)
    def detail(self):
        if self.complaints:
            self.client.get(f"/complaints/{random.choice(self.complaints)}/", name="detail")  # noqa: S311

    @task(1)
    def intake(self):
        form = self.client.get("/complaints/new/", name="intake form")
        token = CSRF.search(form.text).group(1)
        buildings = BUILDING.findall(form.text.split('name="building"', 1)[-1])
        office = re.search(r'name="office"[^>]*value="(\d+)"', form.text) or re.search(
            r'<select name="office"[^>]*>\s*<option value="(\d+)"', form.text
        )
        now = datetime.now(SHANGHAI).strftime("%Y-%m-%dT%H:%M")
        data = {
            "csrfmiddlewaretoken": token,
            "channel": "phone",
            "complainant_name": "压测业主",
            "phone": f"139{random.randint(0, 99_999_999):08d}",  # noqa: S311
            "building": buildings[0] if buildings else "",
            "room": "1502",
            "received_at": now,
            "classification": "valid",
            "severity": "general",
            "description": "压测：楼上夜间装修噪音",
            "customer_request": "停止夜间施工",
            "answered_at_once": "on",
        }
        if office:
            data["office"] = office.group(1)
        with self.client.post(
            "/complaints/new/", data, name="intake", catch_response=True
        ) as response:
            if "/recorded/" not in response.url:
                response.failure("the complaint was not recorded")
