"""Registry benchmark: working-day arithmetic, audit appends and verification, and the list pages at scale.

Run: `make bench` (SQLite in a temporary folder), or with DATABASE_URL set for PostgreSQL. It builds its own
data through the real actions in a fresh database and prints a Markdown table for docs/benchmarks.md.
"""

from __future__ import annotations

import os
import random
import statistics
import sys
import tempfile
import time
from datetime import date, timedelta

UNITS, PLATFORMS_USED = 100, 10  # 1,000 accounts


def setup_django() -> None:
    os.environ.setdefault("VAR_DIR", tempfile.mkdtemp(prefix="govmedia-bench-"))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "govmedia.settings")
    os.environ.setdefault("ALLOWED_HOSTS", "testserver")
    import django

    django.setup()
    from django.conf import settings

    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    from django.core.management import call_command

    if "postgres" in settings.DATABASES["default"]["ENGINE"]:
        call_command("flush", interactive=False, verbosity=0)
    call_command("migrate", verbosity=0)


def timed(fn, repeat: int = 5) -> float:
    samples = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        samples.append(time.perf_counter() - start)
    return statistics.median(samples)


def main() -> None:
    setup_django()
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from govmedia import workdays
    from govmedia.audit.actions import record
    from govmedia.audit.events import EventType
    from govmedia.audit.verify import verify_chain
    from govmedia.demo import load_demo
    from govmedia.org import actions as org
    from govmedia.org.models import Person, Unit
    from govmedia.registry import actions
    from govmedia.registry.models import EventKind, Platform

    rows: list[tuple[str, str]] = []
    rng = random.Random(7)
    days = [date(2024, 1, 1) + timedelta(days=rng.randrange(365 * 4)) for _ in range(20000)]
    elapsed = timed(lambda: [workdays.add(d, 3) for d in days], repeat=3)
    rows.append(("workdays.add(day, 3), 2024–2027 mixed official/fallback", f"{elapsed / len(days) * 1e6:.1f} µs per call"))

    load_demo()
    office = Person.objects.get(username="office")
    platforms = list(Platform.objects.all()[:PLATFORMS_USED])
    start = time.perf_counter()
    n = 0
    for i in range(UNITS):
        unit = org.create_unit(name=f"压测单位{i:03d}", kind=Unit.Kind.INSTITUTION, actor="bench")
        for platform in platforms:
            account = actions.register_account(
                unit=unit, platform=platform, name=f"压测账号{i:03d}{platform.pk}", subject=unit.name,
                preconditions={"managing_body": "x", "trained_staff": "x", "funding": "x", "rules": "x"},
                actor=office,
            )
            actions.record_event(account, kind=EventKind.OPEN, effective_date=date(2026, 9, 30), actor=office)
            n += 1
    elapsed = time.perf_counter() - start
    rows.append((f"register + open {n:,} accounts through the actions (2 audit rows each)", f"{n / elapsed:,.0f} accounts/s"))

    start = time.perf_counter()
    for i in range(2000):
        record(EventType.LEDGER_EXPORTED, actor="bench", object_repr=f"row {i}", after={"i": i})
    rows.append(("audit record(), 2,000 appends", f"{2000 / (time.perf_counter() - start):,.0f} rows/s"))

    start = time.perf_counter()
    checked, problems = verify_chain()
    assert not problems, problems
    rows.append((f"audit verify over {checked:,} rows", f"{checked / (time.perf_counter() - start):,.0f} rows/s"))

    from django.core.signals import request_started
    from django.db import reset_queries

    request_started.disconnect(reset_queries)  # keep the query log across the request to count it
    client = Client()
    # The auditor sees every unit like the office and signs in without a second factor (the office needs one).
    client.force_login(Person.objects.get(username="auditor"))
    for path in ["/", "/accounts/", "/accounts/?page=10", "/filings/?status=all", "/consolidation/",
                 "/accounts/export.xlsx"]:
        reset_queries()  # the log is a bounded deque, full after the set-up; counting needs it empty
        with CaptureQueriesContext(connection) as queries:
            assert client.get(path).status_code == 200
        elapsed = timed(lambda p=path: client.get(p), repeat=5)
        rows.append((f"GET {path} as auditor ({n:,} accounts)", f"{elapsed * 1000:.0f} ms, {len(queries)} queries"))

    vendor = connection.vendor
    print(f"\n### {vendor} — {time.strftime('%Y-%m-%d')}, {os.cpu_count()} cores, Python {sys.version.split()[0]}\n")
    print("| measure | result |\n|---|---|")
    for name, value in rows:
        print(f"| {name} | {value} |")


if __name__ == "__main__":
    main()
