"""An objective's page: its key results, aligned objectives, action plans, history and score."""

from __future__ import annotations

import itertools
from decimal import Decimal

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.utils import timezone

from goals.access import (
    can_approve_objective,
    can_cancel_objective,
    can_close_objective,
    can_edit_objective,
    can_record_progress,
    objective_access_for_view,
)
from goals.models import Direction, KeyResult, Measurement, Objective
from goals.objectives.forms import (
    SmartSummary,
)
from goals.objectives.selectors import (
    action_plan_list,
    alignment_targets,
    key_result_history,
    objective_ancestors,
    objective_children_visible_to,
    objective_history,
)
from goals.objectives.smart import objective_smart_check, objective_weight_check
from goals.objectives.views.links import EDITABLE, Status
from goals.scoring.engine import progress
from goals.scoring.figures import figures_of
from goals.strategy.selectors import kpi_list
from goals.templatetags.goals_charts import plain_number

# --- detail --------------------------------------------------------------------------


def key_result_rows(objective: Objective) -> list[dict]:
    rows = []
    for kr in objective.key_results.all():
        value = kr.current_value
        rows.append({"kr": kr, "progress": progress(figures_of(kr), value), "milestones": list(kr.milestones.all())})
    return rows


OBJECTIVE_TRACKED = (
    "status", "title", "description", "parent", "theme", "weight", "contribution_weight", "due_date", "track",
    "difficulty", "review_comment",
)  # fmt: skip
KEY_RESULT_TRACKED = (
    "title", "direction", "baseline", "target", "stretch", "range_low", "range_high", "unit", "weight", "kpi",
    "data_source",
)  # fmt: skip
CHOICES = {
    "status": Objective.Status,
    "track": Objective.Track,
    "difficulty": Objective.Difficulty,
    "direction": Direction,
    "data_source": KeyResult.Source,
}


def _shown(model, name: str, value, targets: tuple[dict, dict, dict]) -> str:
    if value is None or value == "":
        return "—"
    if name in CHOICES:
        try:
            return str(CHOICES[name](value).label)
        except ValueError:
            return str(value)
    if name == "parent":
        found = targets[0].get(value)
        return found.title if found else f"#{value}"
    if name == "theme":
        found = targets[1].get(value)
        return found.display_title if found else f"#{value}"
    if name == "kpi":
        found = targets[2].get(value)
        return f"{found.code} · {found.display_name} (v{found.version})" if found else f"#{value}"
    if isinstance(value, Decimal):
        return plain_number(value)
    return str(value)


def _attname(model, name: str) -> str:
    return model._meta.get_field(name).attname


def _diff(model, old, new, names, targets) -> list[dict]:
    changes = []
    for name in names:
        attname = _attname(model, name)
        before, after = getattr(old, attname), getattr(new, attname)
        if before != after:
            changes.append(
                {
                    "field": str(model._meta.get_field(name).verbose_name),
                    "name": name,
                    "old": _shown(model, name, before, targets),
                    "new": _shown(model, name, after, targets),
                }
            )
    return changes


def _changed_ids(pairs: list[tuple], attname: str) -> set[int]:
    """The ids a foreign key held on either side of a change between consecutive versions."""
    return {value for old, new in pairs if getattr(old, attname) != getattr(new, attname) for value in
            (getattr(old, attname), getattr(new, attname)) if value}  # fmt: skip


def history_entries(objective: Objective) -> list[dict]:
    """Who changed what when, newest first: the objective's recorded versions and its key results',
    each compared with the version before it (five queries at most, whatever the length)."""
    rows = list(objective_history(objective=objective))
    kr_rows = list(key_result_history(objective=objective))
    # only the alignments and KPIs a shown change names are looked up (none when none changed)
    objective_pairs = [(a, b) for a, b in itertools.pairwise(rows) if b.history_type != "+"]
    kr_pairs = [(a, b) for a, b in itertools.pairwise(kr_rows) if a.id == b.id and b.history_type == "~"]
    parent_ids = _changed_ids(objective_pairs, "parent_id")
    theme_ids = _changed_ids(objective_pairs, "theme_id")
    objectives, themes = alignment_targets(objective_ids=parent_ids, theme_ids=theme_ids)
    kpi_ids = _changed_ids(kr_pairs, "kpi_id")
    kpis = kpi_list(current_only=False).in_bulk(kpi_ids) if kpi_ids else {}
    targets = (objectives, themes, kpis)
    entries = []
    previous = None
    for row in rows:
        if previous is None or row.history_type == "+":
            entries.append({"row": row, "kind": "created", "subject": row.title, "changes": []})
        else:
            changes = _diff(Objective, previous, row, OBJECTIVE_TRACKED, targets)
            if changes:
                kind = "status" if any(c["name"] == "status" for c in changes) else "changed"
                entries.append({"row": row, "kind": kind, "subject": "", "changes": changes})
        previous = row
    previous = None
    for row in kr_rows:
        if row.history_type == "+" or previous is None or previous.id != row.id:
            entries.append({"row": row, "kind": "kr_added", "subject": row.title, "changes": []})
        elif row.history_type == "-":
            entries.append({"row": row, "kind": "kr_removed", "subject": row.title, "changes": []})
        else:
            changes = _diff(KeyResult, previous, row, KEY_RESULT_TRACKED, targets)
            if changes:
                entries.append({"row": row, "kind": "kr_changed", "subject": row.title, "changes": changes})
        previous = row
    entries.sort(key=lambda e: (e["row"].history_date, e["row"].history_id), reverse=True)
    for entry in entries:
        entry["when"] = entry["row"].history_date
        entry["who"] = entry["row"].history_user
    return entries


@login_required
def objective_detail(request, pk: int):
    objective = objective_access_for_view(actor=request.user, objective_id=pk)
    actor = request.user
    ancestors = objective_ancestors(objective=objective)
    top = ancestors[0] if ancestors else objective
    editable = objective.status in EDITABLE
    may_edit = can_edit_objective(actor=actor, objective=objective)
    may_approve = objective.status == Status.SUBMITTED and can_approve_objective(actor=actor, objective=objective)
    context = {
        "objective": objective,
        "ancestors": ancestors,
        "theme": top.theme,
        "key_results": key_result_rows(objective),
        "children": list(objective_children_visible_to(actor=actor, objective=objective)),
        "action_plans": list(action_plan_list(objective=objective)),
        "history": history_entries(objective),
        "smart": SmartSummary(
            objective_smart_check(objective=objective), weights=objective_weight_check(objective=objective)
        )
        if editable
        else None,
        "can": {
            "edit": editable and may_edit,
            "submit": editable and may_edit,
            "approve": may_approve,
            "return": may_approve,
            "close": objective.status == Status.APPROVED and can_close_objective(actor=actor, objective=objective),
            "cancel": objective.status not in (Status.CLOSED, Status.CANCELLED)
            and can_cancel_objective(actor=actor, objective=objective),
            "record_progress": objective.status == Status.APPROVED
            and can_record_progress(actor=actor, objective=objective),
            "plan": may_edit and objective.status not in (Status.CLOSED, Status.CANCELLED),
        },
        "today": timezone.localdate(),
        "confidence_choices": Measurement.Confidence.choices,
        "nav_active": "my-work",
    }
    return render(request, "goals/objective_detail.html", context)
