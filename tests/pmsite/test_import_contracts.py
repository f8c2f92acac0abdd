"""Import contracts: the apps depend one way (README, Architecture; DESIGN.md, Apps).

Each first-party package's modules are parsed with ``ast`` (nothing is imported), every
``import x`` / ``from x import y`` naming another first-party package is collected — also the
ones inside functions, ``ready()`` and ``if TYPE_CHECKING`` — and checked against LAYERS.
Migrations are included: their imports are code that runs, and their ``dependencies`` on
another app's migrations tie the two apps' tables together, so those are checked the same way.
Templates too: a ``{% load %}`` in ``templates/<app>/`` (or ``<app>/templates/``) of another
app's template-tag library counts as importing it; the project's own templates (base, home,
includes, registration, error pages) may load any.

A package that is not in LAYERS fails too, so a new app declares where it sits.
"""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
NOT_APPS = {"tests", "bench", "docs", "static", "templates", "locale", "var", "node_modules", "docker"}

# What each app may import besides itself. Dependencies point one way:
# core ← org ← goals ← feedback ← appraisals ← incentives ← appeals ← dashboard,
# and every app may use notifications, which knows only org and core.
_CYCLE = ["goals", "feedback", "appraisals", "incentives", "appeals"]
LAYERS: dict[str, set[str]] = {
    "core": set(),
    "org": {"core"},
    "notifications": {"core", "org"},
    **{app: {"core", "org", "notifications", *_CYCLE[:i]} for i, app in enumerate(_CYCLE)},
    "dashboard": {"core", "org", "notifications", *_CYCLE},
    # The project: settings, root URLs and the Celery app sit on top of every app.
    "pmsite": {"core", "org", "notifications", *_CYCLE, "dashboard"},
}

# Imports that break LAYERS on purpose, each with its reason. Key: (importing app, imported
# module prefix). Anything else that breaks LAYERS fails; an entry nothing uses any more fails
# too, so the list only shrinks.
EXCEPTIONS = {
    ("org", "notifications.services"): (
        "org notifies through the notifications service (org chart import finished), as DESIGN.md says; "
        "notifications itself knows org, so this is the one edge back, kept to the service"
    ),
    ("org", "notifications.types"): (
        "org registers its own notification kind (import finished) in OrgConfig.ready(), "
        "as every app registers the kinds it owns"
    ),
}


@dataclass(frozen=True)
class Edge:
    app: str
    module: str  # the first-party module imported, e.g. "org.selectors"
    where: str  # path:line

    @property
    def target(self) -> str:
        return self.module.split(".")[0]

    def __str__(self) -> str:
        return f"{self.where}: {self.app} imports {self.module}"


def first_party_packages() -> list[str]:
    return sorted(
        path.name
        for path in ROOT.iterdir()
        if path.is_dir() and (path / "__init__.py").exists() and path.name not in NOT_APPS
    )


def _resolve_relative(path: Path, level: int, module: str | None) -> str:
    package = list(path.relative_to(ROOT).with_suffix("").parts)[:-1]  # a/b/c.py and a/b/__init__.py: a.b
    parts = package[: len(package) - (level - 1)]
    return ".".join([*parts, *([module] if module else [])])


def _migration_dependencies(tree: ast.Module) -> list[tuple[str, int]]:
    """("app", "0001_x") tuples in a migration's ``dependencies``: the app label and the line."""
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Assign) and any(
            isinstance(t, ast.Name) and t.id == "dependencies" for t in node.targets
        ):
            found.extend(
                (element.elts[0].value, element.lineno)
                for element in getattr(node.value, "elts", [])
                if isinstance(element, ast.Tuple)
                and len(element.elts) == 2
                and all(isinstance(e, ast.Constant) and isinstance(e.value, str) for e in element.elts)
            )
    return found


def cross_app_edges(packages: list[str]) -> list[Edge]:
    edges = []
    for app in packages:
        for path in sorted((ROOT / app).rglob("*.py")):
            tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
            where = path.relative_to(ROOT)
            for node in ast.walk(tree):
                if isinstance(node, ast.Import):
                    modules = [alias.name for alias in node.names]
                elif isinstance(node, ast.ImportFrom):
                    base = node.module if node.level == 0 else _resolve_relative(path, node.level, node.module)
                    # "from notifications import types" imports notifications.types
                    modules = [f"{base}.{alias.name}" for alias in node.names] if base else []
                else:
                    continue
                edges.extend(
                    Edge(app, module, f"{where}:{node.lineno}")
                    for module in modules
                    if module.split(".")[0] in packages and module.split(".")[0] != app
                )
            if "migrations" in where.parts:
                edges.extend(
                    Edge(app, f"{label}.migrations", f"{where}:{line}")
                    for label, line in _migration_dependencies(tree)
                    if label in packages and label != app
                )
    return edges


LOAD = re.compile(r"{%\s*load\s+(.+?)\s*%}")


def template_libraries(packages: list[str]) -> dict[str, str]:
    """Template-tag library name → its module, e.g. goals_scores → goals.templatetags.goals_scores."""
    return {
        path.stem: ".".join(path.relative_to(ROOT).with_suffix("").parts)
        for app in packages
        for path in (ROOT / app).glob("templatetags/*.py")
        if path.stem != "__init__"
    }


def template_edges(packages: list[str]) -> list[Edge]:
    libraries = template_libraries(packages)
    folders = [(ROOT / "templates", None), *((ROOT / app / "templates", app) for app in packages)]
    edges = []
    for folder, owner in folders:
        for path in sorted(folder.rglob("*.html")):
            top = path.relative_to(folder).parts[0]
            app = owner or (top if top in packages else None)
            if app is None:  # the project's own templates
                continue
            for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
                for match in LOAD.finditer(line):
                    names = match.group(1).split(" from ")[-1].split()  # {% load a b %}, {% load x from lib %}
                    edges.extend(
                        Edge(app, libraries[name], f"{path.relative_to(ROOT)}:{number}")
                        for name in names
                        if name in libraries and libraries[name].split(".")[0] != app
                    )
    return edges


def _excepted(edge: Edge) -> str | None:
    for app, prefix in EXCEPTIONS:
        if edge.app == app and (edge.module == prefix or edge.module.startswith(prefix + ".")):
            return prefix
    return None


def violations(edges: list[Edge]) -> tuple[list[Edge], set[tuple[str, str]]]:
    """The edges that break the contracts, and the EXCEPTIONS entries some edge used."""
    broken, used = [], set()
    for edge in edges:
        if edge.target in LAYERS.get(edge.app, set()):
            continue
        prefix = _excepted(edge)
        if prefix:
            used.add((edge.app, prefix))
            continue
        broken.append(edge)
    return broken, used


def test_every_first_party_package_has_a_place_in_the_layers():
    missing = [name for name in first_party_packages() if name not in LAYERS]

    assert not missing, f"add {missing} to LAYERS in {Path(__file__).name}: which apps may it import?"


def test_apps_import_only_the_apps_below_them():
    packages = first_party_packages()

    broken, _used = violations(cross_app_edges(packages) + template_edges(packages))

    assert not broken, "imports against the app layers (README, Architecture):\n" + "\n".join(map(str, broken))


def test_every_written_down_exception_is_still_needed():
    packages = first_party_packages()

    _broken, used = violations(cross_app_edges(packages) + template_edges(packages))

    stale = set(EXCEPTIONS) - used
    assert not stale, f"nothing imports these any more; remove them from EXCEPTIONS: {sorted(stale)}"


def test_core_and_the_project_are_where_the_architecture_puts_them():
    packages = first_party_packages()

    # core is the floor: it exists and imports no app (LAYERS["core"] is empty, checked above);
    # pmsite is the roof: settings, root URLs and the Celery app, which no app imports.
    importers_of_pmsite = [
        edge for edge in cross_app_edges(packages) if edge.target == "pmsite" and edge.module != "pmsite.settings"
    ]

    assert "core" in packages
    assert "dashboard" in packages
    assert not importers_of_pmsite, "apps importing the project:\n" + "\n".join(map(str, importers_of_pmsite))


@pytest.mark.parametrize(
    ("app", "module", "allowed"),
    [
        ("core", "org.models", False),
        ("org", "goals.models", False),
        ("org", "notifications.selectors", False),
        ("org", "notifications.services", True),
        ("notifications", "goals.models", False),
        ("notifications", "org.selectors", True),
        ("goals", "feedback.services", False),
        ("feedback", "goals.selectors", True),
        ("appraisals", "incentives.services", False),
        ("appeals", "appraisals.selectors", True),
        ("goals", "pmsite.urls", False),
        ("goals", "core.text", True),
        ("goals", "dashboard.registry", False),
        ("pmsite", "goals.selectors", True),
        ("org", "goals.templatetags.goals_scores", False),
        ("notifications", "core.templatetags.stride_text", True),
        ("notifications", "dashboard.templatetags.stride_nav", False),
    ],
)
def test_the_contracts_say_what_the_architecture_says(app, module, allowed):
    # given one import from app's code
    edge = Edge(app, module, "x.py:1")

    # when it is checked
    broken, _used = violations([edge])

    # then it passes exactly when the architecture allows it
    assert (not broken) is allowed
