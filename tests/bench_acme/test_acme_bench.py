"""The Acme benchmark's pieces (bench/acme_bench.py, bench/acme/) at a tiny size: the report's pure
functions, the page rows, the SQLite refusal, and the query counts on a small fixture company."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from bench.acme import rollups
from bench.acme.cast import Cast, Page, find_cast, pages, subtree_ids
from bench.acme.load import Timing
from bench.acme.pages import count_queries, page_key, page_rows
from bench.acme.report import (
    BEGIN,
    END,
    Row,
    format_table,
    merge_run,
    percentile,
    replace_section,
    section_of,
)
from goals.models import Objective
from tests.goals.factories import KeyResultFactory, ObjectiveFactory, PeriodFactory

CAST = Cast(employee="e", manager="m", hr="h", executive="x", admin="a", reports=10, unit_id=7, objective_id=9)


# --- report ------------------------------------------------------------------------------


def test_percentile_interpolates_between_ranks():
    values = [5.0, 1.0, 3.0, 2.0, 4.0]
    assert percentile(values, 50) == 3.0
    assert percentile(values, 0) == 1.0
    assert percentile(values, 100) == 5.0
    assert percentile(values, 95) == pytest.approx(4.8)
    assert percentile([0.2], 95) == 0.2
    with pytest.raises(ValueError, match="no values"):
        percentile([], 50)


def test_a_row_fails_when_any_target_is_missed_and_says_why():
    row = Row("home", "≤ 100 ms")
    assert row.cells()[4] == ""
    row.check(True, "never shown")
    row.check(False, "p95 over 100 ms")
    row.check(True)
    assert row.ok is False
    assert row.cells()[4:] == ["**FAIL**", "p95 over 100 ms"]


def test_table_is_markdown_with_padded_columns():
    passing = Row("full roll-up", "≤ 5 s", "1.20 s", "31", ok=True)
    failing = Row("cascade", "p95 ≤ 250 ms", "p50 4 s", "14", ok=False, notes=["p95 over 250 ms"])
    lines = format_table([passing, failing]).splitlines()
    assert lines[0].startswith("| What ")
    assert lines[0].rstrip().endswith("Note            |")
    assert set(lines[1]) == {"|", "-"}
    assert len({len(line) for line in lines}) == 1  # every line as wide: columns padded
    assert "| pass " in lines[2]
    assert "| **FAIL** |" in lines[3]
    assert "p95 over 250 ms" in lines[3]


def test_section_is_added_at_the_end_when_the_markers_are_missing():
    text = "# Performance\n\nOther helper's notes.\n"
    written = replace_section(text, "table one")
    assert written == f"# Performance\n\nOther helper's notes.\n\n{BEGIN}\ntable one\n{END}\n"
    assert replace_section("", "t") == f"{BEGIN}\nt\n{END}\n"


def test_only_the_text_between_the_markers_changes():
    before = "# Performance\n\n<!-- other:begin -->\nkeep\n<!-- other:end -->\n\n"
    after = "\n## Later section\nkeep too\n"
    text = f"{before}{BEGIN}\nold table\n{END}{after}"
    written = replace_section(text, "new table\n")
    assert written == f"{before}{BEGIN}\nnew table\n{END}{after}"
    assert section_of(written) == "\nnew table\n"
    assert replace_section(written, "new table") == written  # the same body: the same file


@pytest.mark.parametrize("text", [f"{BEGIN}\nno end\n", f"{END}\n{BEGIN}\n", f"{BEGIN}{BEGIN}{END}"])
def test_broken_markers_are_refused_rather_than_guessed(text):
    with pytest.raises(ValueError, match="markers"):
        replace_section(text, "table")


def test_a_run_replaces_the_run_of_its_size_and_keeps_the_others():
    section = merge_run("", people=1000, run="### 1,000 people\nfirst", heading="## Acme")
    section = merge_run(section, people=10000, run="### 10,000 people\nbig", heading="## Acme")
    section = merge_run(section, people=1000, run="### 1,000 people\nsecond", heading="## Acme")
    assert section.startswith("## Acme\n\n")
    assert "first" not in section
    assert section.index("big") < section.index("second")  # the largest company first
    assert section.count("<!-- acme-bench:run people=1000 -->") == 1
    again = replace_section(replace_section("# P\n", section), section)
    assert section_of(again).strip() == section.strip()


# --- page rows ---------------------------------------------------------------------------


def _timing(page: Page, *seconds: float, statuses: dict | None = None) -> Timing:
    return Timing(page, seconds=list(seconds), statuses=statuses or {200: len(seconds)}, size=2048)


def test_page_rows_check_latency_against_the_baseline_and_queries_against_the_demo_company():
    listed = pages(CAST)
    base, home, mine, team, cascade = listed[0], listed[1], listed[6], listed[7], listed[9]
    assert base.baseline
    assert cascade.tree
    assert team.name == "team objectives (10 reports)"
    timings = {
        base.name: _timing(base, 0.040, 0.045, 0.050),
        home.name: _timing(home, 0.090, 0.095, 0.099),
        mine.name: _timing(mine, 0.190, 0.200, 0.210),  # 4.4× the baseline, p95 over 100 ms
        cascade.name: _timing(cascade, 0.150, 0.160, 0.170),  # a tree page: p95 ≤ 250 ms
    }
    counts = {page.name: {"queries": 9, "status": 200} for page in listed}
    counts[team.name] = {"queries": 16, "status": 200}
    demo = {page.name: {"queries": 9, "status": 200} for page in listed}
    demo["team objectives (4 reports)"] = demo.pop(team.name)
    demo[team.name.replace("10", "4")]["queries"] = 16
    rows = {row.what: row for row in page_rows(listed, timings=timings, counts=counts, demo=demo)}
    assert rows[base.name].ok is True
    assert rows[base.name].queries == "9 (demo 9)"
    assert rows[home.name].ok is True
    assert rows[home.name].result.endswith("2.1× base")
    assert rows[mine.name].ok is False
    assert rows[mine.name].notes == ["p95 over 100 ms", "p50 4.4× the baseline"]
    assert rows[cascade.name].ok is True
    assert rows[team.name].notes == ["more than 15 queries"]  # equal to the demo's, still too many
    assert rows["themes"].result == ""
    assert rows["themes"].ok is True


def test_page_rows_report_errors_and_missing_demo_counts():
    base, home = pages(CAST)[:2]
    timings = {base.name: _timing(base, 0.01), home.name: _timing(home, 0.01, 0.02, statuses={200: 1, 500: 1})}
    counts = {base.name: {"queries": 3, "status": 200}, home.name: {"queries": 3, "status": 500}}
    rows = page_rows([base, home], timings=timings, counts=counts, demo={})
    assert rows[1].notes == ["answers 1× HTTP 500", "HTTP 500 in the query count", "not counted on the demo company"]
    assert page_key("team objectives (3 reports)") == "team objectives"


# --- the command -------------------------------------------------------------------------


def test_the_benchmark_refuses_sqlite(monkeypatch):
    from bench import acme_bench

    monkeypatch.setenv("DATABASE_URL", "sqlite:///var/stride.sqlite3")
    with pytest.raises(SystemExit, match="PostgreSQL only"):
        acme_bench.refuse_sqlite()
    assert acme_bench.parse(["--only", "rollup,queries"]).only == ["rollup", "queries"]
    with pytest.raises(SystemExit):
        acme_bench.parse(["--only", "everything"])


# --- query counts on a small company -----------------------------------------------------


@pytest.mark.django_db
def test_query_counts_on_a_small_company(org):
    today = date.today()  # noqa: DTZ011 (a period around whatever today is)
    period = PeriodFactory(name=str(today.year), start=date(today.year, 1, 1), end=date(today.year, 12, 31))
    objective = ObjectiveFactory(owner_employee=org.rep, period=period, status=Objective.Status.APPROVED)
    KeyResultFactory(objective=objective, target=Decimal(60))
    cast = find_cast(root_id=org.root.pk, today=today, admin=org.admin.username)
    # The manager with reports nearest ten (a tie: the first); the employee, a person without reports.
    assert cast.usernames() == {"rep", "director", "hr", "ceo", "admin"}
    assert (cast.objective_id, cast.unit_id, cast.reports) == (objective.pk, org.sales.pk, 2)

    counts = count_queries(pages(cast))
    assert len(counts) == len(pages(cast))
    assert {name: value["status"] for name, value in counts.items() if value["status"] != 200} == {}
    assert all(0 < value["queries"] <= 40 for value in counts.values())


# --- roll-ups and reminders on a small company ---------------------------------------------


@pytest.mark.django_db
def test_rollup_and_reminder_rows_on_a_small_company(org):
    today = date.today()  # noqa: DTZ011
    period = PeriodFactory(name=str(today.year), start=date(today.year, 1, 1), end=date(today.year, 12, 31))
    parent = ObjectiveFactory(owner_employee=org.lead, period=period, status=Objective.Status.APPROVED)
    child = ObjectiveFactory(owner_employee=org.rep, period=period, status=Objective.Status.APPROVED, parent=parent)
    kr = KeyResultFactory(objective=child, baseline=Decimal(0), target=Decimal(60))
    KeyResultFactory(objective=parent)

    full, unchanged = rollups.full_rollup_rows()
    assert (full.ok, unchanged.ok) == (True, True), (full, unchanged)
    assert "objectives)" in full.result
    assert int(unchanged.queries) > 0

    picked, path_length, depth = rollups.pick_key_result(unit_ids=subtree_ids(org.root.pk), today=today)
    assert (picked.pk, path_length, depth) == (kr.pk, 2, 2)
    assert rollups.new_value(picked) == Decimal("6.00")  # a tenth of the way from 0 to 60

    _scan, again = rollups.reminder_rows()
    assert again.result.endswith(", 0 sent")
    assert again.ok is True
