"""What the parts of the Acme generator share: the options, a random stream per part, and what
earlier parts made (the people, the units, the objectives …) for later parts to build on."""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any

from django.utils import timezone

ROOT_NAME = "Acme 集团"  # the root unit: how the generator finds the company it made before
ROOT_NAME_EN = "Acme Group"
USERNAME_PREFIX = "acme"
EMAIL_DOMAIN = "acme.example"
PASSWORD = "stride-acme"  # noqa: S105 (published in the README: a benchmark company's login)


def default_today(year_start: date) -> date:
    """The generated company's "today": the end of the fiscal year's eleventh month (eleven
    months of progress, and a day that has passed for a year that has begun)."""
    month_index = year_start.month - 1 + 11
    first_of_twelfth = date(year_start.year + month_index // 12, month_index % 12 + 1, 1)
    return first_of_twelfth - timedelta(days=1)


@dataclass
class Acme:
    """One run of the generator. Parts read what they need and add what they make to `made`."""

    people: int
    seed: int
    year: int
    today: date | None = None  # filled from the fiscal year when not given
    made: dict[str, Any] = field(default_factory=dict)
    counts: dict[str, int] = field(default_factory=dict)

    def rng(self, part: str) -> random.Random:
        """A random stream of its own per part: a part added later does not change the others' data."""
        return random.Random(f"acme:{self.seed}:{part}")  # noqa: S311 (benchmark data, not security)

    def moment(self, day: date, hour: int = 9) -> datetime:
        """A fixed, aware time on a generated day (no clock in the data)."""
        return timezone.make_aware(datetime.combine(day, time(hour)))

    def stamp(self, obj, day: date, hour: int = 9):
        """Set a record's created_at/updated_at to a fixed moment of `day`; returns the record."""
        obj.created_at = obj.updated_at = self.moment(day, hour)
        return obj

    def count(self, name: str, number: int) -> None:
        self.counts[name] = self.counts.get(name, 0) + number
