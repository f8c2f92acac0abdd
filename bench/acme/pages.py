"""The page rows: each page's latency under load (bench.acme.load) and its query count, counted
here with Django's test client on the generated company and on the demo company.

The demo company's counts come from this database when it holds the demo company too, or from
another database (`--demo-database URL`) through a second run of the benchmark
(`--only queries --company demo --json`) with that DATABASE_URL.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from bench.acme.cast import Page
from bench.acme.load import Timing
from bench.acme.report import Row, ms

ROOT = Path(__file__).resolve().parents[2]
P95_TARGET, TREE_P95_TARGET, BASELINE_FACTOR, QUERY_LIMIT = 0.100, 0.250, 4.0, 15


def count_queries(pages: list[Page]) -> dict[str, dict]:
    """{page name: {"queries": n, "status": code}}: the second GET of each page (the first warms
    the process's caches), signed in as its reader."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from org.models import User

    counts = {}
    clients: dict[str, Client] = {}
    for page in pages:
        if page.username not in clients:
            clients[page.username] = Client(HTTP_HOST="localhost", raise_request_exception=False)
            clients[page.username].force_login(User.objects.get(username=page.username))
        client = clients[page.username]
        client.get(page.url)
        with CaptureQueriesContext(connection) as captured:
            answer = client.get(page.url)
        counts[page.name] = {"queries": len(captured.captured_queries), "status": answer.status_code}
    return counts


def demo_counts_elsewhere(database_url: str) -> dict[str, dict]:
    """The demo company's counts, from a run of the benchmark against another database."""
    env = {**os.environ, "DATABASE_URL": database_url}
    command = [sys.executable, str(ROOT / "bench" / "acme_bench.py"), "--only", "queries", "--company", "demo",
               "--json", "--no-write"]  # fmt: skip
    done = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise RuntimeError(f"The demo company's query counts failed:\n{done.stderr[-3000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def page_key(name: str) -> str:
    """A page's name without what varies between companies ("team objectives (10 reports)")."""
    return name.split(" (", 1)[0] if name.startswith("team objectives") else name


def page_rows(
    pages: list[Page],
    *,
    timings: dict[str, Timing] | None,
    counts: dict[str, dict] | None,
    demo: dict[str, dict] | None,
) -> list[Row]:
    """One row per page: p50/p95 and the times of the baseline, queries here and on the demo company."""
    baseline = next((timings[p.name] for p in pages if p.baseline and timings and p.name in timings), None)
    demo_by_key = {page_key(name): value for name, value in (demo or {}).items()}
    rows = []
    for page in pages:
        limit = TREE_P95_TARGET if page.tree else P95_TARGET
        targets = []
        if timings is not None:
            targets.append(f"p95 ≤ {ms(limit)}" + ("" if page.baseline else f", p50 ≤ {BASELINE_FACTOR:g}× base"))
        if counts is not None:
            targets.append(f"≤ {QUERY_LIMIT} q" + (", = demo" if demo is not None else ""))
        row = Row(page.name, "; ".join(targets))
        if timings is not None and page.name in timings:
            _timing_result(row, timings[page.name], baseline, limit)
        if counts is not None and page.name in counts:
            _count_result(row, counts[page.name], demo_by_key.get(page_key(page.name)), demo is not None)
        rows.append(row)
    return rows


def _timing_result(row: Row, timing: Timing, baseline: Timing | None, limit: float) -> None:
    if not timing.seconds:
        row.result = "no answer in time"
        row.check(False)
        return
    row.result = f"p50 {ms(timing.p50)} / p95 {ms(timing.p95)} (n={len(timing.seconds)}, {timing.size / 1024:,.0f} KB)"
    row.check(timing.p95 <= limit, f"p95 over {ms(limit)}")
    if baseline is not None and baseline is not timing and baseline.seconds:
        factor = timing.p50 / baseline.p50
        row.result += f", {factor:.1f}× base"
        row.check(factor <= BASELINE_FACTOR, f"p50 {factor:.1f}× the baseline")
    bad = {status: n for status, n in timing.statuses.items() if status != 200}
    if bad:
        row.check(False, "answers " + ", ".join(f"{n}× HTTP {status}" for status, n in sorted(bad.items())))


def _count_result(row: Row, mine: dict, theirs: dict | None, compare: bool) -> None:
    row.queries = str(mine["queries"])
    row.check(mine["queries"] <= QUERY_LIMIT, f"more than {QUERY_LIMIT} queries")
    if mine["status"] != 200:
        row.check(False, f"HTTP {mine['status']} in the query count")
    if not compare:
        return
    if theirs is None:
        row.check(False, "not counted on the demo company")
        return
    row.queries += f" (demo {theirs['queries']})"
    row.check(mine["queries"] == theirs["queries"], "differs from the demo company")
    if theirs["status"] != 200:
        row.check(False, f"HTTP {theirs['status']} on the demo company")
