"""The scoring interface (goals.scoring): what the rest of the project calls for scores, and the
one rule nothing bypasses it — no module outside goals/scoring (the admin, the models and the
migrations aside) reads the score tables or the scoring internals. Plus: which objectives count
is one definition (Objective.objects.live() / is_live), many people's scores are one query, and
an objective's card shows the progress the roll-up caches.

The contract is checked like tests/pmsite/test_import_contracts.py: every first-party module is
parsed with ``ast`` (nothing imported), also imports inside functions and ``TYPE_CHECKING``.
"""

from __future__ import annotations

import ast
from datetime import timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from django.utils import timezone

import goals.scoring
from goals import scoring
from goals.models import KeyResult, Milestone, Objective, ScoreKind
from goals.objectives.selectors import objective_list_for_owner
from goals.progress.rows import objective_cards
from tests.goals.factories import KeyResultFactory
from tests.goals.score_fixtures import approved, record, this_year

ROOT = Path(__file__).resolve().parents[2]
NOT_CODE = {"tests", "bench", "docs", "static", "templates", "locale", "var", "node_modules", "docker"}
D = Decimal

TABLES = {"ScoreRecord", "ScoreSnapshot"}
INTERNALS = {"selectors", "rollup", "explain", "views", "apis"}  # goals.scoring.<these>: inside goals/scoring only
# The URL configurations route to the score pages and endpoints.
WIRING = {("goals/urls.py", "goals.scoring.views"), ("goals/apis_urls.py", "goals.scoring.apis")}


def _exempt(where: str) -> bool:
    return where.startswith(("goals/scoring/", "goals/models/")) or where == "goals/admin.py" or "/migrations/" in where


def _module_of(path: str, node: ast.ImportFrom) -> str:
    if node.level == 0:
        return node.module or ""
    package = path.removesuffix(".py").split("/")[:-1]
    parts = package[: len(package) - (node.level - 1)]
    return ".".join([*parts, *([node.module] if node.module else [])])


def _internal(where: str, module: str) -> bool:
    """Is `module` (a full dotted name) a scoring internal or a score table's module, for code at `where`?"""
    parts = module.split(".")
    if parts[:3] == ["goals", "models", "scoring"]:
        return True
    if parts[:2] != ["goals", "scoring"] or len(parts) < 3 or parts[2] not in INTERNALS:
        return False
    return (where, ".".join(parts[:3])) not in WIRING


def bypasses(where: str, source: str) -> list[str]:
    """What the code at `where` (a path from the project root) reads around goals.scoring."""
    found = []
    for node in ast.walk(ast.parse(source)):
        line = getattr(node, "lineno", 0)
        if isinstance(node, ast.Import):
            found += [f"{where}:{line} imports {a.name}" for a in node.names if _internal(where, a.name)]
        elif isinstance(node, ast.ImportFrom):
            base = _module_of(where, node)
            for alias in node.names:
                if alias.name in TABLES or _internal(where, base) or _internal(where, f"{base}.{alias.name}"):
                    found.append(f"{where}:{line} imports {alias.name} from {base}")
        elif isinstance(node, ast.Attribute) and node.attr in TABLES:
            found.append(f"{where}:{line} uses .{node.attr}")
        elif isinstance(node, ast.Constant) and node.value in TABLES:
            found.append(f"{where}:{line} names the model {node.value!r}")  # apps.get_model("goals", …)
    return found


def project_modules():
    for package in sorted(ROOT.iterdir()):
        if package.is_dir() and (package / "__init__.py").exists() and package.name not in NOT_CODE:
            for path in sorted(package.rglob("*.py")):
                where = path.relative_to(ROOT).as_posix()
                if not _exempt(where):
                    yield where, path.read_text(encoding="utf-8")


# --- the contract ----------------------------------------------------------------------------


def test_nothing_outside_goals_scoring_reads_the_score_tables_or_the_scoring_internals():
    found = [problem for where, source in project_modules() for problem in bypasses(where, source)]

    assert not found, "use the public interface goals.scoring (its docstring lists it):\n" + "\n".join(found)


@pytest.mark.parametrize(
    ("where", "source", "bypassing"),
    [
        ("dashboard/home.py", "from goals.models import ScoreRecord", True),
        ("appraisals/services.py", "from goals.models.scoring import ScoreSnapshot", True),
        ("goals/progress/team.py", "from goals.scoring.selectors import score_record_map", True),
        ("goals/tasks.py", "from goals.scoring import rollup", True),
        ("goals/progress/rows.py", "from ..scoring.rollup import owner_part", True),
        ("goals/org_facts.py", "def f():\n    from goals.scoring.explain import explain_person", True),
        ("incentives/selectors.py", "import goals.scoring.selectors", True),
        ("goals/templatetags/goals_scores.py", "from goals import models\nmodels.ScoreRecord.objects.all()", True),
        ("goals/views.py", "apps.get_model('goals', 'ScoreRecord')", True),
        ("goals/progress/views/updates.py", "from goals.scoring.views import explanation_totals", True),
        ("goals/urls.py", "from goals.scoring import views as scores", False),
        ("goals/apis_urls.py", "from goals.scoring import apis as scores", False),
        ("dashboard/home.py", "from goals.scoring import person_scores, Score", False),
        ("dashboard/home.py", "from goals import scoring", False),
        ("goals/progress/exporting.py", "from goals.scoring.engine import KeyResultFigures, progress", False),
        ("goals/progress/team.py", "from goals.models import ScoreKind", False),
    ],
)
def test_the_contract_tells_a_bypass_from_the_interface(where, source, bypassing):
    assert bool(bypasses(where, source)) is bypassing


def test_every_public_name_is_there():
    # given the names the interface promises
    names = goals.scoring.__all__

    # then each resolves (loaded on first use) and none is listed twice
    assert len(names) == len(set(names))
    assert all(getattr(scoring, name) is not None for name in names)
    assert set(names) <= set(dir(scoring))
    with pytest.raises(AttributeError):
        _ = scoring.no_such_name


# --- which objectives count ------------------------------------------------------------------


@pytest.mark.parametrize("status", Objective.Status.values)
def test_live_is_one_rule_in_queries_and_in_python(db, status):
    # given an objective in this status
    objective = approved(status=status)

    # then the query and the property agree, and only approved or closed objectives count
    assert Objective.objects.live().filter(pk=objective.pk).exists() is objective.is_live
    assert objective.is_live is (status in ("approved", "closed"))


# --- reading cached scores -------------------------------------------------------------------


def test_many_peoples_scores_are_one_query(org, django_assert_num_queries):
    # given two people with approved objectives and progress, and the roll-up run
    year = this_year()
    for person, value in ((org.rep, 45), (org.rep2, 30)):
        kr = KeyResultFactory(objective=approved(owner_employee=person, period=year), target=D(60))
        record(kr, value, actor=person.user)
    scoring.recompute_all(period=year)
    ids = [org.rep.pk, org.rep2.pk, org.lead.pk]

    # when their scores are read
    with django_assert_num_queries(1):
        scores = scoring.person_scores(employee_ids=ids, period_id=year.pk)

    # then each person with a score has it, with the link to its explanation; others have none
    assert {pk: s.score for pk, s in scores.items()} == {org.rep.pk: D(75), org.rep2.pk: D(50)}
    assert scores[org.rep.pk].url.endswith(f"/scores/person/{org.rep.pk}/?period={year.pk}")
    assert scoring.person_score(employee_id=org.rep.pk, period_id=year.pk) == scores[org.rep.pk]
    assert scoring.person_score(employee_id=org.lead.pk, period_id=year.pk) is None


# --- the card and the cache ------------------------------------------------------------------


def _objectives_with_every_kind_of_key_result(org, year):
    """Objectives of the rep: one with a higher-, a lower-is-better and a milestones key result; one
    past its target (score over 100, progress 100) taking half its score from an aligned objective."""
    yesterday = max(timezone.localdate() - timedelta(days=1), year.start)
    mixed = approved(owner_employee=org.rep, period=year, weight=D(60), title="mixed")
    record(KeyResultFactory(objective=mixed, target=D(60), weight=D(40)), 45, actor=org.rep.user, as_of=yesterday)
    lower = KeyResultFactory(objective=mixed, direction="lower", baseline=None, target=D(10), weight=D(30))
    record(lower, 14, actor=org.rep.user, as_of=yesterday)  # 20 → 10: 60 %
    steps = KeyResultFactory(objective=mixed, direction="milestones", target=None, baseline=None, weight=D(30))
    Milestone.objects.create(key_result=steps, title="设计", done_on=yesterday)
    Milestone.objects.create(key_result=steps, title="试点")
    Milestone.objects.create(key_result=steps, title="推广")

    over = approved(owner_employee=org.rep, period=year, weight=D(40), children_weight=D(50), title="over")
    record(KeyResultFactory(objective=over, target=D(60)), 72, actor=org.rep.user, as_of=yesterday)
    child = approved(owner_employee=org.rep2, period=year, parent=over, contribution_weight=D(100), title="child")
    done = KeyResultFactory(objective=child, direction="milestones", target=None, baseline=None)
    Milestone.objects.create(key_result=done, title="完成", done_on=yesterday)
    return [mixed, over, child]


def test_a_card_shows_the_progress_and_score_the_roll_up_caches(org):
    # given objectives with a lower-is-better key result, milestones, one past its target and an
    # aligned objective, and the roll-up run
    year = this_year()
    objectives = _objectives_with_every_kind_of_key_result(org, year)
    scoring.recompute_all(period=year)
    assert KeyResult.objects.filter(direction="lower").get().achievement == 60

    # when their cards are built from what the pages read
    ids = [o.pk for o in objectives]
    listed = list(objective_list_for_owner(employee=org.rep, period=year)) + [
        o for o in objective_list_for_owner(employee=org.rep2, period=year) if o.pk in ids
    ]
    cards = {card.objective.pk: card for card in objective_cards(listed, actor=org.hr.user, today=timezone.localdate())}

    # then every card shows the progress and score cached on the objective and in its score record
    cached = {o.pk: (o.progress, o.score) for o in Objective.objects.filter(pk__in=ids)}
    records = scoring.score_record_map(kind=ScoreKind.OBJECTIVE, subject_ids=ids, period_id=year.pk)
    for objective in objectives:
        card = cards[objective.pk]
        assert (card.progress, card.score) == cached[objective.pk], objective.title
        assert (card.progress, card.score) == (records[objective.pk].progress, records[objective.pk].score)
    assert cached[objectives[1].pk][1] > 100 >= cached[objectives[1].pk][0]  # score past 100, progress capped
