"""A cascade row as its template shows it: progress, score, pace, words and links worked out once
(per page, or per row), and the rows in page order for one flat loop (tree_rows)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from decimal import Decimal
from typing import NamedTuple

from django.template.defaultfilters import floatformat
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext, ngettext

from goals.models import KeyResult, Objective
from goals.progress.pace import Pace
from goals.progress.rows import objective_pace
from goals.scoring.engine import weighted_mean
from goals.scoring.figures import current_progress
from goals.strategy.forms import plain_number

STATUS_BADGES = {
    Objective.Status.DRAFT: "badge-muted",
    Objective.Status.SUBMITTED: "badge-primary",
    Objective.Status.RETURNED: "badge-warning",
    Objective.Status.APPROVED: "badge-success",
    Objective.Status.CLOSED: "",
    Objective.Status.CANCELLED: "badge-muted",
}


def key_result_progress(key_result: KeyResult) -> Decimal | None:
    """Progress of one key result (0–100), from its cached current value and prefetched milestones
    (as a list on the cascade's rows, see with_more)."""
    return current_progress(key_result, getattr(key_result, "tree_milestones", None))


def objective_progress(objective: Objective) -> Decimal | None:
    """The weighted mean of the objective's key results' progress (None before any data)."""
    return weighted_mean([(kr.weight, key_result_progress(kr)) for kr in objective.key_results.all()])


def percent_text(value: Decimal | None) -> str:
    return "" if value is None else str(value.quantize(Decimal("1")))


class RowContext(NamedTuple):
    """What every row needs, worked out once per page: its links (reversed once and filled in per
    objective — `reverse` per row and link was a tenth of the page's time), today (for the pace) and
    the level, status and track words in the reader's language."""

    detail: Callable[[int], str]
    score: Callable[[int], str]
    aligned: Callable[[int], str]
    today: date
    levels: dict[str, str]
    statuses: dict[str, str]
    okr: str


def _link(name: str) -> Callable[[int], str]:
    marker = "987654321"
    head, tail = reverse(name, args=[int(marker)]).split(marker, 1)
    return lambda pk: f"{head}{pk}{tail}"


def row_context() -> RowContext:
    return RowContext(
        detail=_link("goals:objective-detail"),
        score=_link("goals:score-objective"),
        aligned=_link("goals:cascade-children"),
        today=timezone.localdate(),
        levels={key: str(label) for key, label in Objective.Level.choices},
        statuses={key: str(label) for key, label in Objective.Status.choices},
        okr=str(Objective.Track.OKR.label),
    )


def pace_text(pace: Pace | None) -> str:
    """A pace's figures in words, as goals/_pace.html says them."""
    if pace is None:
        return ""
    return gettext("Expected %(expected)s %% by %(day)s, actual %(actual)s %%") % {
        "expected": floatformat(pace.expected, "0"),
        "day": date_format(pace.day, "SHORT_DATE_FORMAT"),
        "actual": floatformat(pace.actual, "0"),
    }


def objective_node(objective: Objective, row: RowContext) -> dict:
    """One objective's row, with what its template shows worked out once (the words, the score, the
    pace: the row template writes them out instead of including the score chip and pace partials)."""
    value = objective_progress(objective)
    pk = objective.pk
    score = objective.score
    pace = None if value is None else objective_pace(objective, progress=value, today=row.today)
    return {
        "kind": "objective",
        "item": objective,
        "pk": str(pk),
        "children": [],
        "progress": value,
        "percent": percent_text(value),
        "weight_text": gettext("Weight %(weight)s%%") % {"weight": plain_number(objective.weight)},
        "owner": objective.owner_name,
        "level_label": row.levels.get(objective.level, objective.level),
        "status_label": row.statuses.get(objective.status, objective.status),
        "status_badge": STATUS_BADGES.get(objective.status, ""),
        "okr_label": row.okr if objective.track == Objective.Track.OKR else "",
        "unaligned": not objective.is_aligned,
        "match": True,
        "detail_url": row.detail(pk),
        "score_url": row.score(pk),
        "aligned_url": row.aligned(pk),
        "score_text": "" if score is None else plain_number(score),
        "over": score is not None and score > 100,
        "pace": pace,
        "pace_why": pace_text(pace),
    }


def tree_rows(nodes: list[dict], *, show_parent: bool = False) -> list[dict]:
    """The nodes in page order, for one flat loop in the template instead of an include per node
    (the include's context grew with the depth, and every lookup walked it), with the words of their
    toggles and of the link that stands in for what was not sent: a node with children
    opens its list, and the last row below it carries it in `closing` — innermost first — to end the
    list there (after the row that loads its personal objectives, `rest`). `show_parent` on the top
    rows says what they are aligned to (the objectives aligned to another period)."""
    rows: list[dict] = []

    def walk(node: dict, top: bool) -> None:
        node["show_parent"] = show_parent and top
        node["closing"] = []
        count = node["toggle_count"] = len(node["children"]) or node.get("more", 0)
        if count:
            node["toggle_text"] = ngettext(
                "%(counter)s item aligned to “%(title)s”", "%(counter)s items aligned to “%(title)s”", count
            ) % {"counter": count, "title": node["item"]}
        if node.get("more"):
            node["more_text"] = ngettext(
                "Open the objective to see the %(counter)s objective aligned to it",
                "Open the objective to see the %(counter)s objectives aligned to it",
                node["more"],
            ) % {"counter": node["more"]}
        rows.append(node)
        for child in node["children"]:
            walk(child, False)
        if node["children"]:
            rows[-1]["closing"].append(node)

    for node in nodes:
        walk(node, True)
    return rows
