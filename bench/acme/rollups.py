"""The score roll-ups and the reminder scan, measured in this process.

- full roll-up: `goals.scoring.recompute_all()` after marking every cached score stale (derived
  data: the run writes every row back), then again with nothing changed;
- incremental: one progress update recorded through the goals service, then
  `goals.scoring.recompute_path(key_result_id=…)` timed with its queries; then the same path run
  over and over while a full roll-up runs in another process, watching whether it waits on a lock;
- reminders: `reminder_run_all()` twice, in a transaction rolled back at the end (the company is
  left as it was, so every run of the benchmark scans the same data; the deliveries' queueing,
  which happens after commit, is not part of the time).
"""

from __future__ import annotations

import subprocess
import sys
import threading
import time
from decimal import Decimal
from pathlib import Path

from bench.acme.report import Row, ms, percentile, secs

ROOT = Path(__file__).resolve().parents[2]
FULL_TARGET, UNCHANGED_TARGET, PATH_TARGET, SCAN_TARGET = 5.0, 1.0, 0.050, 5.0
PATH_EXTRA_QUERIES = 5
CONCURRENT_SCRIPT = """
import time
from goals.scoring import recompute_all
print("BEGIN", flush=True)
started = time.perf_counter()
count = recompute_all()
print("END", count, round(time.perf_counter() - started, 3), flush=True)
"""


class _RollBack(Exception):  # noqa: N818
    pass


def timed(function, *args, **kwargs):
    """(result, seconds, queries) of one call."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        started = time.perf_counter()
        result = function(*args, **kwargs)
        elapsed = time.perf_counter() - started
    return result, elapsed, len(captured.captured_queries)


def mark_scores_stale() -> None:
    """Every cached score (derived data) set to nothing, and today's snapshots removed, so that the
    next full roll-up computes and writes every row."""
    from django.db import transaction
    from django.utils import timezone

    from goals.models import KeyResult, Objective, ScoreRecord, ScoreSnapshot

    with transaction.atomic():
        Objective.objects.exclude(score=None, progress=None).update(score=None, progress=None)
        KeyResult.objects.exclude(achievement=None).update(achievement=None)
        ScoreRecord.objects.exclude(score=None, progress=None).update(score=None, progress=None)
        ScoreSnapshot.objects.filter(day=timezone.localdate()).delete()


def full_rollup_rows() -> list[Row]:
    from goals.scoring import recompute_all

    mark_scores_stale()
    rows = []
    for what, target in (("full roll-up, every cached score stale", FULL_TARGET),
                         ("full roll-up again, nothing changed", UNCHANGED_TARGET)):  # fmt: skip
        count, elapsed, queries = timed(recompute_all)
        row = Row(what, f"≤ {target:g} s", f"{secs(elapsed)} ({count:,} objectives)", str(queries))
        row.check(elapsed <= target, f"{elapsed / target:.1f}× the target")
        rows.append(row)
    return rows


DEPTHS_SQL = """
WITH RECURSIVE down(id, depth) AS (
    SELECT id, 1 FROM goals_objective WHERE parent_id IS NULL
    UNION ALL SELECT o.id, down.depth + 1 FROM goals_objective o JOIN down ON o.parent_id = down.id
    WHERE down.depth < 100
) SELECT id, depth FROM down
"""


def pick_key_result(*, unit_ids: list[int], today):
    """A key result to record progress on today: of an approved personal objective of the company
    whose period runs today, taking values from people, with no update as of today — at the bottom
    of the longest chain of aligned objectives (the heaviest path). (key result, its path's length,
    the goal tree's depth: the longest chain in the company)."""
    from django.db import connection
    from django.db.models import Q

    from goals.models import KeyResult, Objective

    with connection.cursor() as cursor:
        cursor.execute(DEPTHS_SQL)
        depths = dict(cursor.fetchall())
    candidates = (
        KeyResult.objects.filter(
            objective__level=Objective.Level.PERSON,
            objective__status=Objective.Status.APPROVED,
            objective__owner_employee__unit_id__in=unit_ids,
            objective__period__start__lte=today,
            objective__period__end__gte=today,
            data_source=KeyResult.Source.MANUAL,
            direction__in=["higher", "lower", "range"],
        )
        .exclude(measurements__as_of=today)
        .values_list("pk", "objective_id")
    )
    best = max(candidates, key=lambda row: (depths.get(row[1], 1), -row[0]), default=None)
    if best is None:
        raise LookupError("No key result to record progress on today (an approved person objective of today).")
    company = Objective.objects.filter(Q(owner_unit_id__in=unit_ids) | Q(owner_employee__unit_id__in=unit_ids))
    tree_depth = max((depths.get(pk, 1) for pk in company.values_list("pk", flat=True)), default=1)
    kr = KeyResult.objects.select_related("objective__owner_employee__user").get(pk=best[0])
    return kr, depths.get(kr.objective_id, 1), tree_depth


def new_value(kr) -> Decimal:
    """A value a tenth of the way from the current one to the target (or the middle of a range)."""
    current = kr.current_value if kr.current_value is not None else (kr.baseline or Decimal(0))
    goal = kr.target
    if kr.direction == "range" and kr.range_low is not None and kr.range_high is not None:
        goal = (kr.range_low + kr.range_high) / 2
    if goal is None:
        return current
    return (current + (goal - current) / 10).quantize(Decimal("0.01"))


def incremental_rows(*, unit_ids: list[int]) -> list[Row]:
    from django.utils import timezone

    from goals.progress.services.measurements import measurement_record
    from goals.scoring import recompute_path
    from goals.tasks import roll_ups_deferred

    today = timezone.localdate()
    kr, path_length, depth = pick_key_result(unit_ids=unit_ids, today=today)
    with roll_ups_deferred():  # the benchmark runs the path itself, below
        measurement_record(key_result=kr, value=new_value(kr), as_of=today,
                           actor=kr.objective.owner_employee.user)  # fmt: skip
    recompute_path(key_result_id=kr.pk)  # a first run: the work of the update, as a worker would do it
    times, counts = [], []
    for _ in range(5):
        _ok, elapsed, queries = timed(recompute_path, key_result_id=kr.pk)
        times.append(elapsed)
        counts.append(queries)
    limit = depth + PATH_EXTRA_QUERIES
    row = Row("incremental roll-up after one progress update", f"≤ {ms(PATH_TARGET)}, ≤ depth + 5 queries",
              f"p50 {ms(percentile(times, 50))}, max {ms(max(times))} (5 runs; a path of {path_length})",
              f"{max(counts)} (depth {depth})")  # fmt: skip
    row.check(percentile(times, 50) <= PATH_TARGET, "slower than the target")
    row.check(max(counts) <= limit, f"more than {limit} queries")
    return [row, concurrent_row(kr.pk)]


def concurrent_row(key_result_id: int) -> Row:
    """The path run again and again while `recompute_all()` runs in a `manage.py shell` process."""
    import os

    from goals.scoring import recompute_path

    full = subprocess.Popen(
        [sys.executable, "manage.py", "shell", "-c", CONCURRENT_SCRIPT],
        cwd=ROOT, env=os.environ.copy(), stdout=subprocess.PIPE, text=True,
    )  # fmt: skip
    row = Row("incremental, while a full roll-up runs", f"≤ {ms(PATH_TARGET)}, no waiting")
    try:
        line = "…"
        while line and line.strip() != "BEGIN":  # past what Django's start-up prints
            line = full.stdout.readline()
        if not line:
            row.result, row.ok = "the full roll-up did not start", False
            return row
        watch = LockWatch()
        times = []
        with watch:
            while full.poll() is None and len(times) < 10_000:
                _ok, elapsed, _queries = timed(recompute_path, key_result_id=key_result_id)
                times.append(elapsed)
        end = full.stdout.read().split()
    finally:
        if full.poll() is None:
            full.kill()
        full.wait()
    full_time = f"; the full run took {end[2]} s" if len(end) >= 3 else ""
    row.result = f"p50 {ms(percentile(times, 50))}, max {ms(max(times))} ({len(times)} runs{full_time})"
    row.queries = ""
    row.check(percentile(times, 50) <= PATH_TARGET, "slower than the target")
    row.check(not watch.waits, f"waited on a lock {watch.waits} times")
    if not watch.waits:
        row.notes.append("never waited on a lock")
    return row


class LockWatch:
    """Watches this thread's database session from another connection: how many times it was seen
    waiting on a lock (polled every 2 ms)."""

    def __init__(self) -> None:
        from django.db import connection

        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_backend_pid()")
            self.pid = cursor.fetchone()[0]
        self.waits = 0
        self._waiting = False
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def __enter__(self) -> LockWatch:
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        self._thread.join()

    def _run(self) -> None:
        from django.db import connection

        try:
            with connection.cursor() as cursor:
                while not self._stop.is_set():
                    cursor.execute("SELECT wait_event_type FROM pg_stat_activity WHERE pid = %s", [self.pid])
                    row = cursor.fetchone()
                    waiting = bool(row) and row[0] == "Lock"
                    if waiting and not self._waiting:
                        self.waits += 1
                    self._waiting = waiting
                    time.sleep(0.002)
        finally:
            connection.close()


def reminder_rows() -> list[Row]:
    from django.db import transaction

    from notifications.reminders import reminder_run_all

    results = []
    try:
        with transaction.atomic():
            for _ in range(2):
                sent, elapsed, queries = timed(reminder_run_all)
                results.append((sum(sent.values()), elapsed, queries))
            raise _RollBack
    except _RollBack:
        pass
    (first, first_time, first_queries), (again, again_time, again_queries) = results
    one = Row("reminder scan", f"≤ {SCAN_TARGET:g} s", f"{secs(first_time)}, {first:,} sent", str(first_queries))
    one.check(first_time <= SCAN_TARGET, f"{first_time / SCAN_TARGET:.1f}× the target")
    if not first:
        one.notes.append("nothing to send: sent before, or no rule on")
    two = Row("reminder scan again", f"≤ {SCAN_TARGET:g} s, sends 0", f"{secs(again_time)}, {again:,} sent",
              str(again_queries))  # fmt: skip
    two.check(again_time <= SCAN_TARGET, f"{again_time / SCAN_TARGET:.1f}× the target")
    two.check(again == 0, "sent again")
    return [one, two]
