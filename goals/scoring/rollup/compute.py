"""Computing every score of a closed set of objectives in Python, with the pure functions of
goals.scoring.engine (no queries here)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from goals.models import KeyResult, Objective, ScoreKind
from goals.scoring.engine import (
    Part,
    Rollup,
    counts_for_alignment,
    objective_score,
    person_score,
    theme_score,
    unit_score,
)
from goals.scoring.rollup.parts import (
    child_part,
    has_counted,
    key_result_achievement,
    key_result_part,
    owner_part,
    theme_part,
)

OWNER_LEVELS = (Objective.Level.UNIT, Objective.Level.COMPANY)

Key = tuple[str, int, int]  # (kind, subject_id, period_id)


@dataclass(slots=True)
class ObjectiveRow:
    """An objective as the full recompute reads many of them (scope.OBJECTIVE_FIELDS, a plain row)."""

    pk: int
    period_id: int
    parent_id: int | None
    theme_id: int | None
    level: str
    track: str
    status: str
    weight: Decimal
    contribution_weight: Decimal
    children_weight: Decimal
    owner_employee_id: int | None
    owner_unit_id: int | None
    score: Decimal | None
    progress: Decimal | None
    score_updated_at: object


@dataclass
class Results:
    """What one run computed."""

    key_results: dict[int, Decimal | None]
    objectives: dict[int, Rollup]
    subjects: dict[Key, Rollup]  # person, unit and theme scores (and objectives, for records)


def achievements(rows: Iterable[KeyResult]) -> tuple[dict[int, Decimal | None], dict[int, list[tuple]]]:
    values: dict[int, Decimal | None] = {}
    by_objective: dict[int, list[tuple]] = defaultdict(list)
    for kr in rows:
        values[kr.pk] = key_result_achievement(kr)
        by_objective[kr.objective_id].append((kr, values[kr.pk]))
    return values, by_objective


def score_objective(objective: Objective, krs: list[tuple], children: list[Objective], values: dict) -> Rollup:
    """`krs`: (key result, its achievement) pairs (from `achievements`); `values`: fresh (score, progress)
    by objective id, other children count with their cached scores. What an objective's card computes
    (engine.objective_rollup: achievements, then objective_score), each achievement computed once."""
    return objective_score(
        [key_result_part(kr, value) for kr, value in krs],
        [child_part(c, *values.get(c.pk, (c.score, c.progress))) for c in children],
        objective.children_weight,
    )


def score_owners(objectives: Iterable[Objective], values: dict) -> dict[Key, Rollup]:
    """Person, unit and theme scores from these objectives (all that feed each subject must be given)."""
    people: dict[tuple, list[Part]] = defaultdict(list)
    units: dict[tuple, list[Part]] = defaultdict(list)
    themes: dict[int, list[Part]] = defaultdict(list)
    for o in objectives:
        score, prog = values.get(o.pk, (o.score, o.progress))
        if o.level == Objective.Level.PERSON and o.owner_employee_id:
            people[(o.owner_employee_id, o.period_id)].append(owner_part(o, score, prog))
        elif o.level in OWNER_LEVELS and o.owner_unit_id:
            units[(o.owner_unit_id, o.period_id)].append(owner_part(o, score, prog))
        if o.theme_id:
            themes[o.theme_id].append(theme_part(o, score, prog))
    result: dict[tuple, Rollup] = {}
    for (employee_id, period_id), parts in people.items():
        if has_counted(parts):
            result[(ScoreKind.PERSON, employee_id, period_id)] = person_score(parts)
    for (unit_id, period_id), parts in units.items():
        if has_counted(parts):
            result[(ScoreKind.UNIT, unit_id, period_id)] = unit_score(parts)
    for theme_id, parts in themes.items():
        if has_counted(parts):
            result[(ScoreKind.THEME, theme_id, None)] = theme_score(parts)  # period filled in by the caller
    return result


def compute_all(objectives: list[Objective], kr_rows: Iterable[KeyResult]) -> Results:
    """Every score of these objectives (a closed set: every child of each one is among them)."""
    kr_values, krs_by_objective = achievements(kr_rows)
    by_id = {o.pk: o for o in objectives}
    children: dict[int, list[Objective]] = defaultdict(list)
    for o in objectives:
        if o.parent_id in by_id:
            children[o.parent_id].append(o)
    done: dict[int, Rollup] = {}

    def visit(root: Objective) -> None:
        # Depth first, children before parents, without recursion; a loop in bad data is cut.
        stack, on_stack = [(root, False)], {root.pk}
        while stack:
            node, expanded = stack.pop()
            if node.pk in done:
                continue
            if not expanded:
                stack.append((node, True))
                for child in children[node.pk]:
                    if child.pk not in done and child.pk not in on_stack:
                        on_stack.add(child.pk)
                        stack.append((child, False))
                continue
            values = {c.pk: (done[c.pk].score, done[c.pk].progress) for c in children[node.pk] if c.pk in done}
            done[node.pk] = score_objective(node, krs_by_objective.get(node.pk, []), children[node.pk], values)

    for o in objectives:
        visit(o)
    values = {pk: (r.score, r.progress) for pk, r in done.items()}
    subjects = score_owners(objectives, values)
    for o in objectives:
        if counts_for_alignment(status=o.status):
            subjects[(ScoreKind.OBJECTIVE, o.pk, o.period_id)] = done[o.pk]
    return Results(kr_values, done, subjects)


def fill_theme_periods(subjects: dict, theme_periods: dict[int, int]) -> dict[Key, Rollup]:
    result = {}
    for (kind, subject_id, period_id), rollup in subjects.items():
        if kind == ScoreKind.THEME:
            period_id = theme_periods.get(subject_id)
            if period_id is None:
                continue
        result[(kind, subject_id, period_id)] = rollup
    return result


def keys_of(objectives: Iterable[Objective], theme_periods: dict[int, int]) -> set[Key]:
    """The records these objectives are or feed: themselves, their owners in their periods, their themes."""
    keys: set[Key] = set()
    for o in objectives:
        keys.add((ScoreKind.OBJECTIVE, o.pk, o.period_id))
        if o.level == Objective.Level.PERSON and o.owner_employee_id:
            keys.add((ScoreKind.PERSON, o.owner_employee_id, o.period_id))
        elif o.owner_unit_id:
            keys.add((ScoreKind.UNIT, o.owner_unit_id, o.period_id))
        if o.theme_id in theme_periods:
            keys.add((ScoreKind.THEME, o.theme_id, theme_periods[o.theme_id]))
    return keys
