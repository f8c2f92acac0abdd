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
