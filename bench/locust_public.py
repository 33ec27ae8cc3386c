"""The public load test of `make loadtest-public` (docs/performance.md): residents on the
community's complaint page (docs/resident.md) at a fixed total rate, while front-desk staff keep
working (the desks of `locustfile.py`, imported so both kinds run together).

`python -m bench.load --public` sets the rate (LOAD_PUBLIC_RATE requests/s over all residents),
the offices' codes (LOAD_OFFICES) and the desks' sessions (LOAD_SESSIONS)."""

import os
import random
import re

from locust import HttpUser, constant_throughput, task

from bench.locustfile import FrontDesk  # noqa: F401 — the desks run beside the residents

CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
OFFICES = os.environ.get("LOAD_OFFICES", "").split(",")
RESIDENTS = int(os.environ.get("LOAD_RESIDENTS", "25"))
RATE = float(os.environ.get("LOAD_PUBLIC_RATE", "50"))


class Resident(HttpUser):
    """A resident who scanned the notice board's code: mostly opens the form, now and then
    sends it (and lands on the thank-you page)."""

    fixed_count = RESIDENTS
    wait_time = constant_throughput(RATE / RESIDENTS)

    def on_start(self):
        self.office = random.choice(OFFICES)  # noqa: S311

    @task(8)
    def form(self):
        self.client.get(f"/c/{self.office}/", name="community form")

    @task(1)
    def thank_you(self):
        self.client.get(f"/c/{self.office}/sent/", name="community thank-you")

    @task(1)
    def submit(self):
        form = self.client.get(f"/c/{self.office}/", name="community form")
        token = CSRF.search(form.text).group(1)
        data = {
            "csrfmiddlewaretoken": token,
            "complainant_name": "压测住户",
            "phone": f"139{random.randint(0, 99_999_999):08d}",  # noqa: S311
            "address": "1单元1502",
            "description": "压测：电梯停了",
            "customer_request": "尽快修好",
        }
        with self.client.post(
            f"/c/{self.office}/", data, name="community submit", catch_response=True
        ) as response:
            if "/sent/" not in response.url:
                response.failure(f"not recorded: {response.status_code}")
