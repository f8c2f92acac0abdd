"""Where higher apps add to org's pages without org importing them (DESIGN.md: org ← goals ← …).

An app registers, in its AppConfig.ready, a function that returns extra facts for an
employee record the actor is looking at; org's view renders whatever comes back.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.utils.safestring import SafeString


@dataclass(frozen=True)
class EmployeeFact:
    label: str
    html: SafeString  # rendered by the registering app's own template


EmployeeFacts = Callable[..., list[EmployeeFact]]
_employee_facts: list[EmployeeFacts] = []


def register_employee_facts(provider: EmployeeFacts) -> None:
    """`provider(*, request, employee) -> list[EmployeeFact]`; it applies its own access rules."""
    if provider not in _employee_facts:
        _employee_facts.append(provider)


def employee_facts(*, request, employee) -> list[EmployeeFact]:
    return [fact for provider in _employee_facts for fact in provider(request=request, employee=employee)]


@dataclass(frozen=True)
class TeamColumn:
    """An extra column of a team list: a heading and, per employee id, a rendered cell."""

    label: str
    cells: dict[int, SafeString]
    css_class: str = ""
    stylesheet: str = ""  # a static path the cells need, e.g. "css/goals.css"


TeamColumns = Callable[..., list[TeamColumn]]
_team_columns: list[TeamColumns] = []


def register_team_columns(provider: TeamColumns) -> None:
    """`provider(*, request, people) -> list[TeamColumn]` for a page of a manager's team; it
    applies its own access rules and must read a fixed number of queries whatever the page size."""
    if provider not in _team_columns:
        _team_columns.append(provider)


def team_columns(*, request, people: list) -> list[TeamColumn]:
    return [column for provider in _team_columns for column in provider(request=request, people=people)]
