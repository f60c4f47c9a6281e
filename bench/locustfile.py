"""Locust users for bench/monitoring_bench.py: each opens the monitoring pages and API calls in turn.

The session cookie and the API token come from the bench script (environment variables), so the load is on the
pages, not on sign-in. The cookie is sent as a header: with DEBUG=0 it is marked Secure, and the bench talks
plain HTTP on loopback.
"""

from __future__ import annotations

import os
import random

from locust import HttpUser, between, task

PAGES = os.environ["BENCH_PAGES"].split("\n")
ACCOUNTS = os.environ["BENCH_ACCOUNTS"].split(",")


class Monitor(HttpUser):
    wait_time = between(0.5, 1.5)

    @task
    def browse(self) -> None:
        template = random.choice(PAGES)
        path = template.format(account=random.choice(ACCOUNTS))
        if path.startswith("/api/"):
            headers = {"Authorization": f"Bearer {os.environ['BENCH_TOKEN']}"}
        else:
            headers = {"Cookie": f"sessionid={os.environ['BENCH_SESSION']}"}
        headers["X-Forwarded-Proto"] = "https"
        with self.client.get(path, headers=headers, name=template, allow_redirects=False,
                             catch_response=True) as response:
            if response.status_code != 200:
                response.failure(f"HTTP {response.status_code}")
