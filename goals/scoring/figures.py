"""A key result's figures as the scoring arithmetic takes them, read from a key result with its
milestones (prefetched, or given) — the one place that maps a KeyResult onto KeyResultFigures for
pages and exports; the roll-up's plain rows carry their milestone counts (rollup.parts.key_result_figures,
through figures_counted)."""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal

from goals.scoring.engine import KeyResultFigures, progress


def figures_counted(kr, *, milestones_total: int, milestones_done: int) -> KeyResultFigures:
    """The key result's (or a row's) direction, baseline, target, stretch and range, with these milestone counts."""
    return KeyResultFigures(
        direction=kr.direction,
        baseline=kr.baseline,
        target=kr.target,
        stretch=kr.stretch,
        range_low=kr.range_low,
        range_high=kr.range_high,
        milestones_total=milestones_total,
        milestones_done=milestones_done,
    )


def figures_of(kr, milestones: Iterable | None = None) -> KeyResultFigures:
    """The key result's direction, baseline, target, stretch, range and milestone counts."""
    milestones = list(kr.milestones.all()) if milestones is None else list(milestones)
    done = sum(1 for milestone in milestones if milestone.done_on)
    return figures_counted(kr, milestones_total=len(milestones), milestones_done=done)


def current_progress(kr, milestones: Iterable | None = None) -> Decimal | None:
    """Progress (0–100) of the key result from its cached current value (None before any data)."""
    return progress(figures_of(kr, milestones), kr.current_value)
