"""Acme benchmark (issue 10): how fast Stride is on a generated company, against PostgreSQL.

    DATABASE_URL=postgres://…/stride_bench .venv/bin/python bench/acme_bench.py \\
        [--people 10000] [--seed 1] [--generate] [--requests 200] [--clients 8] \\
        [--only rollup,incremental,reminders,pages,queries] [--demo-database URL] [--no-write]

Measures the full and incremental score roll-ups, the reminder scan, the pages under load
(gunicorn as in production, driven by concurrent signed-in clients) and each page's query count
(also on the demo company, when this database holds it or --demo-database names one), prints a
table and writes it, with the machine's description and the date, between the acme-bench
markers of docs/PERFORMANCE.md (one block per company size). `--generate` first runs
`manage.py acme_generate --replace`. The parts are in bench/acme/.

The roll-up rows write scores (derived data); the incremental row records one progress update
as of today on a key result of the company; the reminder scan is rolled back.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pmsite.settings.local")
os.environ.setdefault("DEBUG", "False")

READERS = "_readers"  # in the demo company's counts: who read the pages
PARTS = ("rollup", "incremental", "reminders", "pages", "queries")
PERFORMANCE = ROOT / "docs" / "PERFORMANCE.md"
HEADING = """## Acme benchmark (issue 10)

Written by `bench/acme_bench.py` (run on demand against PostgreSQL, not in the test suite): one
block per company size, each replaced by the next run at that size. Targets are the issue's, at
10,000 people; "base" is a trivial signed-in page measured in the same run."""


def parse(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--people", type=int, default=10_000, help="company size for --generate (default 10000)")
    parser.add_argument("--seed", type=int, default=1, help="random seed for --generate (default 1)")
    parser.add_argument("--generate", action="store_true", help="run acme_generate --replace first")
    parser.add_argument("--requests", type=int, default=200, help="timed requests per page (default 200)")
    parser.add_argument("--clients", type=int, default=8, help="concurrent clients (default 8)")
    parser.add_argument("--page-seconds", type=float, default=60, help="at most this long per page (default 60)")
    parser.add_argument("--only", default=",".join(PARTS), help=f"comma-separated parts: {','.join(PARTS)}")
    parser.add_argument("--demo-database", default="", help="DATABASE_URL of a database with the demo company")
    parser.add_argument("--company", choices=["acme", "demo"], default="acme", help=argparse.SUPPRESS)
    parser.add_argument("--json", action="store_true", help=argparse.SUPPRESS)  # query counts only, for a parent run
    parser.add_argument("--no-write", action="store_true", help="print only; leave docs/PERFORMANCE.md alone")
    args = parser.parse_args(argv)
    args.only = [part.strip() for part in args.only.split(",") if part.strip()]
    unknown = set(args.only) - set(PARTS)
    if unknown:
        parser.error(f"unknown part(s): {', '.join(sorted(unknown))}; choose from {', '.join(PARTS)}")
    return args


def refuse_sqlite() -> None:
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith(("postgres://", "postgresql://", "pgsql://")):
        sys.exit(
            "The Acme benchmark runs against PostgreSQL only (SQLite has no concurrent writers and other plans). "
            "Set DATABASE_URL=postgres://user@host:5432/database (migrated) and run it again."
        )


def setup() -> None:
    import django

    django.setup()
    from django.db import connection

    if connection.vendor != "postgresql":
        sys.exit("The Acme benchmark runs against PostgreSQL only; DATABASE_URL names another database.")
    import logging

    logging.getLogger("axes").setLevel(logging.WARNING)  # a line per sign-in of the test client otherwise
    from pmsite.celery import app

    app.conf.broker_url = "memory://"  # nothing the benchmark does is meant for a worker


def main(argv: list[str]) -> None:
    args = parse(argv)
    refuse_sqlite()
    setup()
    from bench.acme import cast as casting

    if args.generate:
        from django.core.management import call_command

        call_command("acme_generate", people=args.people, seed=args.seed, replace=True)
    root = casting.company_root(casting.ACME_ROOT if args.company == "acme" else None)
    if root is None:
        sys.exit(f"No {args.company} company in this database" + (" (run with --generate)." if args.company ==
                 "acme" else "."))  # fmt: skip
    if args.json:
        from bench.acme.pages import count_queries

        the_cast = find(casting, root, admin=casting.first_admin())
        print(json.dumps({**count_queries(casting.pages(the_cast)), READERS: the_cast.describe()}))
        return
    the_cast = find(casting, root, admin=casting.ensure_bench_admin(casting.ACME_PASSWORD))
    rows, facts = measure(args, root, the_cast)
    show_and_write(args, rows, facts, root)


def find(casting, root: int, *, admin: str):
    from django.utils import timezone

    return casting.find_cast(root_id=root, today=timezone.localdate(), admin=admin)


def measure(args: argparse.Namespace, root: int, the_cast) -> tuple[list, dict]:
    from bench.acme import cast as casting
    from bench.acme import pages as paging
    from bench.acme import rollups

    rows, facts = [], {"readers": the_cast.describe(), "busy": f"{os.getloadavg()[0]:.1f}"}
    if "rollup" in args.only:
        say("full roll-up …")
        rows += rollups.full_rollup_rows()
    if "incremental" in args.only:
        say("incremental roll-up …")
        rows += rollups.incremental_rows(unit_ids=casting.subtree_ids(root))
    if "reminders" in args.only:
        say("reminder scan …")
        rows += rollups.reminder_rows()
    page_list = casting.pages(the_cast)
    timings = counts = demo = None
    if "pages" in args.only:
        timings, facts["load"] = drive_pages(args, page_list, the_cast)
    if "queries" in args.only:
        say("query counts …")
        from bench.acme.pages import count_queries

        counts = count_queries(page_list)
        demo = demo_counts(args, root)
        if demo is not None:
            facts["demo readers"] = demo.pop(READERS, "")
    if timings is not None or counts is not None:
        rows += paging.page_rows(page_list, timings=timings, counts=counts, demo=demo)
    return rows, facts


def demo_counts(args: argparse.Namespace, acme_root: int) -> dict | None:
    from bench.acme import cast as casting
    from bench.acme.pages import count_queries, demo_counts_elsewhere

    if args.demo_database:
        return demo_counts_elsewhere(args.demo_database)
    demo_root = casting.company_root(None)
    if demo_root is None or demo_root == acme_root:
        return None
    demo_cast = find(casting, demo_root, admin=casting.first_admin())
    return {**count_queries(casting.pages(demo_cast)), READERS: demo_cast.describe()}


def drive_pages(args: argparse.Namespace, page_list, the_cast) -> tuple[dict, str]:
    from bench.acme.cast import ACME_PASSWORD
    from bench.acme.load import Driver, gunicorn

    timings = {}
    settings = os.environ["DJANGO_SETTINGS_MODULE"]
    with gunicorn(settings=settings) as base:
        driver = Driver(base, clients=args.clients, password=ACME_PASSWORD)
        say(f"signing in {args.clients} clients as {len(the_cast.usernames())} people …")
        driver.sign_in_all(the_cast.usernames())
        for page in page_list:
            timing = timings[page.name] = driver.measure(page, requests_total=args.requests, budget=args.page_seconds)
            say(f"  {page.name}: n={len(timing.seconds)} p50 {timing.p50 * 1000:.0f} ms p95 {timing.p95 * 1000:.0f} ms")
    workers = os.environ.get("WEB_CONCURRENCY", "3")
    return timings, (f"gunicorn with {workers} workers, {args.clients} clients, up to {args.requests} requests a "
                     f"page (at most {args.page_seconds:g} s)")  # fmt: skip


def say(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def show_and_write(args: argparse.Namespace, rows: list, facts: dict, root: int) -> None:
    from bench.acme.report import merge_run, replace_section, section_of

    people, run = describe_run(args, rows, facts, root)
    print(run)
    if args.no_write:
        return
    if set(args.only) != set(PARTS):
        say("Not written to docs/PERFORMANCE.md: only a full run (every part) replaces the block of its size.")
        return
    text = PERFORMANCE.read_text(encoding="utf-8") if PERFORMANCE.exists() else ""
    section = merge_run(section_of(text), people=people, run=run, heading=HEADING)
    PERFORMANCE.write_text(replace_section(text, section), encoding="utf-8")
    say(f"Written to {PERFORMANCE.relative_to(ROOT)} (the acme-bench section).")


def describe_run(args: argparse.Namespace, rows: list, facts: dict, root: int) -> tuple[int, str]:
    import django
    from django.db import connection
    from django.utils import timezone

    from bench.acme.report import describe_machine, format_table, machine_facts

    machine = machine_facts()
    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        machine["postgresql"] = cursor.fetchone()[0].split()[0]
    machine["django"] = django.get_version()
    if "load" in facts:
        from importlib.metadata import version

        machine["gunicorn"] = version("gunicorn")
    size = company_size(root)
    command = " ".join(["bench/acme_bench.py", *sys.argv[1:]])
    lines = [
        f"### {size['people']:,} people — {timezone.localdate().isoformat()}",
        "",
        f"`{command}`  ",
        f"Machine: {describe_machine(machine)}; load average {facts['busy']} as the run began.  ",
        "Company: " + ", ".join(f"{n:,} {what}" for what, n in size.items()) + ".",
    ]
    for key, label in (("load", "Load"), ("readers", "Readers"), ("demo readers", "Demo company's readers")):
        if facts.get(key):
            lines[-1] += "  "
            lines.append(f"{label}: {facts[key]}.")
    failed = sum(1 for row in rows if row.ok is False)
    lines += ["", format_table(rows), "", f"{failed} of {len(rows)} rows miss a target." if failed else
              "Every row meets its target."]  # fmt: skip
    return size["people"], "\n".join(lines)


def company_size(root: int) -> dict[str, int]:
    from django.db.models import Q

    from bench.acme.cast import subtree_ids
    from goals.models import KeyResult, Measurement, Objective
    from org.models import Employee

    units = subtree_ids(root)
    people = Employee.objects.filter(unit_id__in=units, is_active=True)
    objectives = Objective.objects.filter(Q(owner_unit_id__in=units) | Q(owner_employee__unit_id__in=units))
    key_results = KeyResult.objects.filter(objective__in=objectives.values("pk"))
    return {
        "people": people.count(),
        "units": len(units),
        "objectives": objectives.count(),
        "key results": key_results.count(),
        "progress updates": Measurement.objects.filter(key_result__in=key_results.values("pk")).count(),
    }


if __name__ == "__main__":
    main(sys.argv[1:])
