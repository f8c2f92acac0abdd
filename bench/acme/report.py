"""Pure functions of the benchmark's report: percentiles, the table, and the section of
docs/PERFORMANCE.md between the acme-bench markers (no Django, no database)."""

from __future__ import annotations

import os
import platform
import re
from dataclasses import dataclass, field

BEGIN = "<!-- acme-bench:begin -->"
END = "<!-- acme-bench:end -->"
RUN_MARK = "<!-- acme-bench:run people={people} -->"
_RUN_LINE = re.compile(r"^<!-- acme-bench:run people=(\d+) -->$", re.MULTILINE)
COLUMNS = ("What", "Target", "Result", "Queries", "Pass", "Note")


@dataclass
class Row:
    """One line of the table. `ok` None: measured, no target checked (or not measured)."""

    what: str
    target: str
    result: str = ""
    queries: str = ""
    ok: bool | None = None
    notes: list[str] = field(default_factory=list)

    def check(self, ok: bool, note: str = "") -> None:
        """Add one target's verdict: the row passes only if every check passed."""
        self.ok = ok if self.ok is None else (self.ok and ok)
        if note and not ok:
            self.notes.append(note)

    def cells(self) -> list[str]:
        verdict = {True: "pass", False: "**FAIL**", None: ""}[self.ok]
        return [self.what, self.target, self.result, self.queries, verdict, "; ".join(self.notes)]


def percentile(values: list[float], p: float) -> float:
    """The p-th percentile (0–100), interpolated between the closest ranks (numpy's default)."""
    if not values:
        raise ValueError("percentile of no values")
    ordered = sorted(values)
    rank = (len(ordered) - 1) * p / 100
    low = int(rank)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (rank - low)


def ms(seconds: float) -> str:
    """Milliseconds, without false precision."""
    value = seconds * 1000
    return f"{value:.1f} ms" if value < 10 else f"{value:.0f} ms"


def secs(seconds: float) -> str:
    return f"{seconds:.2f} s" if seconds < 10 else f"{seconds:.1f} s"


def format_table(rows: list[Row]) -> str:
    """A Markdown table, columns padded so that it also reads well in a terminal."""
    cells = [list(COLUMNS), *(row.cells() for row in rows)]
    widths = [max(len(line[i]) for line in cells) for i in range(len(COLUMNS))]
    lines = ["| " + " | ".join(c.ljust(w) for c, w in zip(line, widths, strict=True)) + " |" for line in cells]
    lines.insert(1, "|" + "|".join("-" * (w + 2) for w in widths) + "|")
    return "\n".join(lines)


def replace_section(text: str, body: str) -> str:
    """`text` with what lies between the acme-bench markers replaced by `body`; the markers are added
    at the end when missing. Nothing outside the markers changes."""
    inner = "\n" + body.strip("\n") + "\n"
    begin, end = text.find(BEGIN), text.find(END)
    if begin == -1 and end == -1:
        separator = "" if not text or text.endswith("\n\n") else ("\n" if text.endswith("\n") else "\n\n")
        return f"{text}{separator}{BEGIN}{inner}{END}\n"
    if begin == -1 or end == -1 or end < begin or text.count(BEGIN) > 1 or text.count(END) > 1:
        raise ValueError(f"docs/PERFORMANCE.md: the markers {BEGIN} … {END} are broken; fix them by hand.")
    return text[: begin + len(BEGIN)] + inner + text[end:]


def section_of(text: str) -> str:
    """What lies between the markers now ("" when they are missing)."""
    begin, end = text.find(BEGIN), text.find(END)
    if begin == -1 or end < begin:
        return ""
    return text[begin + len(BEGIN) : end]


def merge_run(section: str, *, people: int, run: str, heading: str) -> str:
    """The section with this company size's run replaced (or added); the runs at other sizes stay,
    largest company first, under `heading`."""
    runs: dict[int, str] = {}
    marks = list(_RUN_LINE.finditer(section))
    for index, mark in enumerate(marks):
        stop = marks[index + 1].start() if index + 1 < len(marks) else len(section)
        runs[int(mark.group(1))] = section[mark.end() : stop].strip("\n")
    runs[people] = run.strip("\n")
    parts = [heading.strip("\n")]
    parts += [RUN_MARK.format(people=size) + "\n" + runs[size] for size in sorted(runs, reverse=True)]
    return "\n\n".join(parts) + "\n"


def machine_facts() -> dict[str, str]:
    """The machine's description that needs no database: CPUs, memory, CPU model, Python."""
    facts = {"nproc": str(len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count())}
    facts["memory"] = _memory()
    facts["cpu"] = _cpu_model()
    facts["python"] = platform.python_version()
    return facts


def _memory() -> str:
    try:
        with open("/proc/meminfo", encoding="ascii") as meminfo:
            for line in meminfo:
                if line.startswith("MemTotal:"):
                    return f"{int(line.split()[1]) / 1024 / 1024:.1f} GiB"
    except OSError:
        pass
    return "unknown"


def _cpu_model() -> str:
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as cpuinfo:
            for line in cpuinfo:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def describe_machine(facts: dict[str, str]) -> str:
    """One line: "2 CPUs (model), 7.8 GiB memory, PostgreSQL 15.4, Python 3.11.9, Django 5.0.6, …"."""
    parts = [f"{facts['nproc']} CPUs ({facts['cpu']})", f"{facts['memory']} memory"]
    for key, label in (("postgresql", "PostgreSQL"), ("python", "Python"), ("django", "Django"),
                       ("gunicorn", "gunicorn")):  # fmt: skip
        if facts.get(key):
            parts.append(f"{label} {facts[key]}")
    return ", ".join(parts)
