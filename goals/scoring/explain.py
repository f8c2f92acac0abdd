"""Explanations of scores: for a key result, an objective, a person, a unit or a theme, the
contributing items with their weights, values and shares, and the formula in words.

They read the database through goals.selectors and compute with the same rules as the roll-up
(goals.scoring.rollup's part builders and goals.scoring.engine), so an explanation always adds up by itself:
a key result's and an objective's own key results are computed from their progress updates
now; everything below them (aligned objectives, a person's objectives) counts with the scores
the roll-up cached. Visibility is the caller's job (goals.access, org.access). A fixed number of
queries, whatever the number of items.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date
from decimal import Decimal

from django.urls import reverse
from django.utils.translation import gettext as _

from goals.models import Direction, Milestone, Objective, Period, ScoreKind, StrategicTheme
from goals.scoring import rollup
from goals.scoring.engine import (
    ZERO,
    Explanation,
    ExplanationItem,
    Part,
    key_result_detail,
    key_result_formula,
    number,
    objective_formula,
    objective_score,
    objective_share_of_children,
    owner_formula,
    person_score,
    progress_of,
    round_score,
    theme_formula,
    theme_score,
    unit_score,
)
from goals.scoring.selectors import (
    key_results_for_scoring,
    objective_children_for_scoring,
    objectives_feeding_person,
    objectives_feeding_theme,
    objectives_feeding_unit,
    score_snapshot_list,
)
from org.models import Employee, OrgUnit


def explanation_url(kind: str, subject_id: int, period_id: int | None = None) -> str:
    """The explanation page of a score: an objective's and a theme's have one period; a person's and a
    unit's name theirs (?period=)."""
    if kind == ScoreKind.OBJECTIVE:
        return reverse("goals:score-objective", args=[subject_id])
    if kind == ScoreKind.THEME:
        return reverse("goals:score-theme", args=[subject_id])
    url = reverse("goals:score-person" if kind == ScoreKind.PERSON else "goals:score-unit", args=[subject_id])
    return f"{url}?period={period_id}" if period_id is not None else url


def _objective_url(pk: int) -> str:
    return reverse("goals:objective-detail", args=[pk])


def _key_result_url(pk: int) -> str:
    return reverse("goals:key-result-history", args=[pk])


def _status_note(objective: Objective) -> str | None:
    if objective.status == Objective.Status.CANCELLED:
        return _("This objective is cancelled: its score no longer counts anywhere.")
    if not objective.is_live:
        return _("This objective is not approved yet: its score does not count anywhere yet.")
    return None


def _milestone_detail(milestone: Milestone) -> str:
    if milestone.done_on:
        return _("done on %(day)s") % {"day": milestone.done_on.isoformat()}
    if milestone.due_date:
        return _("not done yet, due %(day)s") % {"day": milestone.due_date.isoformat()}
    return _("not done yet")


# --- key result -------------------------------------------------------------------------


def explain_key_result(key_result) -> Explanation:
    """A key result's achievement: its latest progress update (or milestones) against baseline and target."""
    kr = key_results_for_scoring(key_result_id=key_result.pk).get()
    figures = rollup.key_result_figures(kr)
    cap = kr.objective.period.achievement_cap
    value = rollup.key_result_achievement(kr)
    items: list[ExplanationItem] = []
    notes: list[str] = []
    if kr.direction == Direction.MILESTONES:
        items = [
            ExplanationItem(
                label=m.title,
                url=_key_result_url(kr.pk),
                value=Decimal(100) if m.done_on else Decimal(0),
                detail=_milestone_detail(m),
                kind="milestone",
                subject_id=m.pk,
            )
            for m in Milestone.objects.filter(key_result_id=kr.pk).order_by("due_date", "pk")
        ]
    elif kr.latest_value is not None:
        items.append(
            ExplanationItem(
                label=_("Latest progress update, as of %(day)s") % {"day": kr.latest_as_of.isoformat()},
                url=_key_result_url(kr.pk),
                value=kr.latest_value,
                contribution=value,
                detail=key_result_detail(figures, kr.latest_value, value),
                kind="progress_update",
                subject_id=kr.latest_id,
            )
        )
    if value is None:
        notes.append(_("No progress update yet: the key result has no score."))
    elif value >= cap and cap > 100:
        notes.append(_("Achievement stops at the period's cap of %(cap)s %%.") % {"cap": number(cap)})
    return Explanation(
        subject=kr.title,
        score=value,
        progress=progress_of(value),
        formula=key_result_formula(figures, cap=cap),
        items=items,
        notes=notes,
    )


# --- objective --------------------------------------------------------------------------


def explain_objective(objective: Objective, *, as_read: bool = False) -> Explanation:
    """An objective's score: its key results by weight, plus its aligned objectives where a share is set.

    The objective is read again (with its period) unless `as_read` says the caller has just read
    it with its period, as the objective's page has."""
    if not as_read or not Objective.period.is_cached(objective):
        objective = Objective.objects.select_related("period").get(pk=objective.pk)
    krs = list(key_results_for_scoring(objective_ids=[objective.pk]))
    values = [rollup.key_result_achievement(kr) for kr in krs]
    kr_parts = [rollup.key_result_part(kr, v) for kr, v in zip(krs, values, strict=True)]
    children = list(objective_children_for_scoring(objective_ids=[objective.pk]).order_by("-contribution_weight", "pk"))
    live_children = [c for c in children if c.is_live]
    shown_children = live_children if objective.children_weight > 0 else []
    child_parts = [rollup.child_part(c, c.score, c.progress) for c in shown_children]
    result = objective_score(kr_parts, child_parts, objective.children_weight)
    kr_share, child_share = _shares(kr_parts, child_parts, objective.children_weight)

    items: list[ExplanationItem] = []
    notes: list[str] = []
    contributions = list(result.contributions)
    for kr, value in zip(krs, values, strict=True):
        items.append(
            ExplanationItem(
                label=kr.title,
                url=_key_result_url(kr.pk),
                weight=kr.weight,
                value=value,
                contribution=contributions.pop(0),
                detail=key_result_detail(rollup.key_result_figures(kr), kr.latest_value, value),
                kind="key_result",
                subject_id=kr.pk,
            )
        )
        if value is None:
            notes.append(_("“%(title)s” has no progress update yet and is left out.") % {"title": kr.title})
    for child in shown_children:
        items.append(
            ExplanationItem(
                label=child.title,
                url=_objective_url(child.pk),
                weight=child.contribution_weight,
                value=child.score,
                contribution=contributions.pop(0),
                detail=_("aligned objective of %(owner)s, contribution weight %(weight)s")
                % {"owner": child.owner_name, "weight": number(child.contribution_weight)},
                kind="objective",
                subject_id=child.pk,
            )
        )
        if child.score is None:
            notes.append(_("“%(title)s” has no score yet and is left out.") % {"title": child.title})
    if not krs:
        notes.append(_("This objective has no key results."))
    if objective.children_weight > 0:
        notes.append(
            _("%(share)s %% of this score comes from the objectives aligned to it, %(rest)s %% from its key results.")
            % {"share": number(objective.children_weight), "rest": number(100 - objective.children_weight)}
        )
        if not live_children:
            notes.append(_("No approved objective is aligned to it yet, so its key results count in full."))
    elif live_children:
        notes.append(
            _("%(count)s aligned objectives do not count here: its share from aligned objectives is 0 %%.")
            % {"count": len(live_children)}
        )
    status_note = _status_note(objective)
    if status_note:
        notes.append(status_note)
    return Explanation(
        subject=objective.title,
        score=result.score,
        progress=result.progress,
        formula=objective_formula(
            children_weight=objective.children_weight, kr_share=kr_share, child_share=child_share
        ),
        items=items,
        notes=notes,
    )


def _shares(kr_parts: list[Part], child_parts: list[Part], children_weight: Decimal) -> tuple[Decimal, Decimal]:
    return objective_share_of_children(kr_items=kr_parts, child_items=child_parts, children_weight=children_weight)


# --- person, unit, theme -----------------------------------------------------------------


def _owner_items(objectives: list[Objective], parts: list[Part], contributions, notes: list[str]) -> list:
    items = []
    for o, part, contribution in zip(objectives, parts, contributions, strict=True):
        if not part.counted:
            detail = _("stretch (OKR): shown, not counted")
        else:
            detail = _("counted (KPI), weight %(weight)s, progress %(progress)s %%") % {
                "weight": number(o.weight),
                "progress": number(o.progress),
            }
            if o.score is None:
                notes.append(_("“%(title)s” has no score yet and is left out.") % {"title": o.title})
        items.append(
            ExplanationItem(
                label=o.title,
                url=_objective_url(o.pk),
                weight=o.weight,
                value=o.score,
                contribution=contribution,
                detail=detail,
                kind="objective",
                subject_id=o.pk,
            )
        )
    return items


def explain_person(employee: Employee, period: Period) -> Explanation:
    """A person's results score in a period: their counted objectives, approved or closed, by weight."""
    objectives = list(objectives_feeding_person(employee_id=employee.pk, period_id=period.pk).live())
    parts = [rollup.owner_part(o, o.score, o.progress) for o in objectives]
    result = person_score(parts)
    notes: list[str] = []
    items = _owner_items(objectives, parts, result.contributions, notes)
    if not any(p.counted for p in parts):
        notes.append(_("No counted objective is approved for this period yet."))
    if any(not p.counted for p in parts):
        notes.append(_("Stretch (OKR) objectives are shown but do not count in the score."))
    return Explanation(
        subject=_("%(name)s, %(period)s") % {"name": employee.name, "period": period.name},
        score=result.score,
        progress=result.progress,
        formula=owner_formula(),
        items=items,
        notes=notes,
    )


def explain_unit(unit: OrgUnit, period: Period) -> Explanation:
    """A unit's score in a period: its own counted objectives, approved or closed, by weight."""
    objectives = list(objectives_feeding_unit(unit_id=unit.pk, period_id=period.pk).live())
    parts = [rollup.owner_part(o, o.score, o.progress) for o in objectives]
    result = unit_score(parts)
    notes: list[str] = []
    items = _owner_items(objectives, parts, result.contributions, notes)
    if not any(p.counted for p in parts):
        notes.append(_("No counted objective of this unit is approved for this period yet."))
    if any(not p.counted for p in parts):
        notes.append(_("Stretch (OKR) objectives are shown but do not count in the score."))
    notes.append(
        _(
            "People's personal objectives count here only through alignment: where an objective of the unit "
            "takes a share from the objectives aligned to it."
        )
    )
    return Explanation(
        subject=_("%(unit)s, %(period)s") % {"unit": unit.display_name, "period": period.name},
        score=result.score,
        progress=result.progress,
        formula=owner_formula(),
        items=items,
        notes=notes,
    )


def explain_theme(theme: StrategicTheme) -> Explanation:
    """A strategic theme's score: the objectives aligned to it, approved or closed, by weight."""
    objectives = [o for o in objectives_feeding_theme(theme_id=theme.pk) if o.is_live]
    parts = [rollup.theme_part(o, o.score, o.progress) for o in objectives]
    result = theme_score(parts)
    equal = bool(objectives) and all(p.weight == 0 for p in parts)
    notes: list[str] = []
    items = []
    for o, contribution in zip(objectives, result.contributions, strict=True):
        items.append(
            ExplanationItem(
                label=o.title,
                url=_objective_url(o.pk),
                weight=o.weight,
                value=o.score,
                contribution=contribution,
                detail=_("%(level)s objective of %(owner)s, progress %(progress)s %%")
                % {"level": o.get_level_display(), "owner": o.owner_name, "progress": number(o.progress)},
                kind="objective",
                subject_id=o.pk,
            )
        )
        if o.score is None:
            notes.append(_("“%(title)s” has no score yet and is left out.") % {"title": o.title})
    if not objectives:
        notes.append(_("No approved objective is aligned to this theme yet."))
    return Explanation(
        subject=theme.display_title,
        score=result.score,
        progress=result.progress,
        formula=theme_formula(equal_weights=equal),
        items=items,
        notes=notes,
    )


# --- visibility -------------------------------------------------------------------------


def hide_unseen(explanation: Explanation, *, actor) -> Explanation:
    """The explanation as this reader may see it: an aligned objective they may not open (a personal
    one, say, under a unit objective) keeps its numbers, so the total still adds up, but not its
    title, link or details."""
    from goals.objectives.selectors import objective_list_visible_to

    ids = {item.subject_id for item in explanation.items if item.kind == "objective" and item.subject_id}
    if not ids:
        return explanation
    visible = set(objective_list_visible_to(actor=actor).filter(pk__in=ids).values_list("pk", flat=True))
    masked = _("An objective you may not open")
    items, notes = [], list(explanation.notes)
    for item in explanation.items:
        if item.kind == "objective" and item.subject_id not in visible:
            notes = [note.replace(f"“{item.label}”", masked) for note in notes]
            item = replace(item, label=masked, url="", detail="", subject_id=None)
        items.append(item)
    return replace(explanation, items=items, notes=notes)


# --- the total row -----------------------------------------------------------------------


@dataclass(frozen=True)
class Totals:
    """The total row: Σ weight of the items that count, Σ contribution, and whether that is the score."""

    weight: Decimal
    contribution: Decimal
    adds_up: bool
    counted: int
    left_out: int


def explanation_totals(explanation: Explanation) -> Totals:
    counted = [item for item in explanation.items if item.contribution is not None]
    contribution = round_score(sum((item.contribution for item in counted), ZERO))
    weight = sum((item.weight for item in counted if item.weight is not None), ZERO)
    adds_up = explanation.score is not None and contribution == round_score(explanation.score)
    return Totals(
        weight=weight,
        contribution=contribution,
        adds_up=adds_up,
        counted=len(counted),
        left_out=len(explanation.items) - len(counted),
    )


# --- history ----------------------------------------------------------------------------


def score_history(kind: str, subject_id: int, period: Period) -> list[tuple[date, Decimal]]:
    """A subject's score day by day in a period (days without a score left out), oldest first."""
    if kind not in ScoreKind.values:
        raise ValueError(f"unknown score kind: {kind}")
    rows = score_snapshot_list(kind=kind, subject_id=subject_id, period_id=period.pk).exclude(score__isnull=True)
    return [(day, score) for day, score in rows.values_list("day", "score")]
