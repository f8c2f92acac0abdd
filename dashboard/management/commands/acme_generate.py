"""Generate the Acme benchmark company (issue 10): N people, their goals and a year of progress.

Reproducible from the seed: the same seed and number of people make the same data (apart from ids
and password hashes). Bulk inserts only — COPY on PostgreSQL — so 10,000 people take minutes.
"""

from __future__ import annotations

import time

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from dashboard.acme import goals_part, org_part, progress_part, replace
from dashboard.acme.bulk import analyze, is_postgres
from dashboard.acme.context import PASSWORD, ROOT_NAME, USERNAME_PREFIX, Acme
from goals.scoring import recompute_all


class Command(BaseCommand):
    help = (
        "Create the Acme benchmark company beside the demo company: an org tree six levels deep, one fiscal year of "
        "objectives aligned through the tree (3 key results each), monthly progress updates with some corrections, "
        "month-end score snapshots and the current scores. Reproducible from --seed."
    )

    def add_arguments(self, parser):
        parser.add_argument("--people", type=int, default=10_000, help="Number of people (default 10000).")
        parser.add_argument("--seed", type=int, default=1, help="Random seed: the same seed makes the same company.")
        parser.add_argument(
            "--year", type=int, default=None, help="Fiscal year of the goals (default: the current fiscal year)."
        )
        parser.add_argument(
            "--replace", action="store_true", help="Delete an Acme company made before, then generate a new one."
        )
        parser.add_argument(
            "--no-scores",
            action="store_true",
            help="Skip the score roll-ups at the end (month-end snapshots and score records); the key results' and "
            "objectives' cached figures are written anyway.",
        )

    def handle(self, *args, people, seed, year, replace: bool, no_scores: bool, **options):
        if people < 1:
            raise CommandError("--people must be at least 1.")
        started = time.monotonic()
        acme = Acme(people=people, seed=seed, year=year or _current_fiscal_year())
        with transaction.atomic():
            self._clear(replace)
            self._step("periods", goals_part.make_periods, acme)
            self._step("people", org_part.make, acme)
            self._step("themes and objectives", goals_part.make, acme)
            self._step("progress", progress_part.make, acme)
            if not no_scores:
                self._step("scores", _scores, acme)
        if is_postgres():
            self._step("ANALYZE", lambda _acme: analyze(), acme)
        self._report(acme, time.monotonic() - started, no_scores)

    def _clear(self, replace_it: bool) -> None:
        root = replace.find_root()
        if root is None:
            return
        if not replace_it:
            raise CommandError(
                f"An Acme company ({ROOT_NAME}) exists already. Run with --replace to delete it and generate a new one."
            )
        started = time.monotonic()
        counts = replace.remove(root)
        removed = ", ".join(f"{n} {k}" for k, n in counts.items())
        self.stdout.write(f"Removed the previous Acme company ({time.monotonic() - started:.1f} s): {removed}")

    def _step(self, name: str, function, acme: Acme) -> None:
        started = time.monotonic()
        function(acme)
        self.stdout.write(f"  {name}: {time.monotonic() - started:.1f} s")

    def _report(self, acme: Acme, elapsed: float, no_scores: bool) -> None:
        self.stdout.write("Rows written:")
        for name, number in acme.counts.items():
            self.stdout.write(f"  {name:<22} {number:>10,}")
        self.stdout.write(f"Today in the data: {acme.today.isoformat()}; fiscal year {acme.year}.")
        if no_scores:
            self.stdout.write("Scores not rolled up (--no-scores): run the nightly recompute to fill them.")
        self.stdout.write(
            self.style.SUCCESS(
                f"Acme company generated in {elapsed:.1f} s: {acme.people} people. "
                f"Log in as {USERNAME_PREFIX}00001 (the CEO) … with the password {PASSWORD}"
            )
        )


def _scores(acme: Acme) -> None:
    """Month-end snapshots from the progress as of each month end, then the current scores (the demo's way)."""
    year = acme.made["year"]
    for day in progress_part.month_ends(year.start, acme.today):
        recompute_all(period=year, as_of=day)
    acme.count("objectives scored", recompute_all(period=year))


def _current_fiscal_year() -> int:
    from django.conf import settings

    today = timezone.localdate()
    first_month = settings.STRIDE_FISCAL_YEAR_START_MONTH
    return today.year if today.month >= first_month else today.year - 1
