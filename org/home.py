"""Org's part of the home page (core.home): a manager's team, HR's people data, the executives' overview."""

from __future__ import annotations

from collections.abc import Callable

from django.db.models import Count, Q, QuerySet
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from core.home import HomeContext, HomePage, Link, Panel, Stat, TodoItem, add_listed_todo, register_home_section
from org.models import Employee, OrgUnit, Role
from org.selectors import employee_reports, user_manages_org


def _person_link(person: Employee) -> Link:
    return Link(
        label=person.user.display_name,
        url=reverse("org:employee", args=[person.pk]),
        detail=person.unit.display_name,
    )


def _add_people_item(page: HomePage, *, key: str, people: QuerySet[Employee], title: Callable[[int], str]) -> None:
    """A to-do that lists a few people (with links to them) and how many more there are."""
    add_listed_todo(page, key=key, items=people.select_related("user", "unit"), title=title, link=_person_link)


def add_my_team(page: HomePage, context: HomeContext) -> None:
    """For a manager: the size of their team, and direct reports whose profile lacks a title or grade."""
    manager = context.employee
    if Role.MANAGER not in context.roles or manager is None:
        return
    direct = employee_reports(manager=manager, direct_only=True).filter(is_active=True)
    sizes = (  # one query: everyone below them, and of those the direct reports
        employee_reports(manager=manager)
        .filter(is_active=True)
        .aggregate(team=Count("id"), direct=Count("id", filter=Q(manager_id=manager.pk)))
    )
    team_size, direct_count = sizes["team"], sizes["direct"]
    page.panels.append(
        Panel(
            key="my-team",
            title=_("My team"),
            stats=(Stat(_("Direct reports"), direct_count), Stat(_("People in my team"), team_size)),
            url=reverse("org:my-team"),
            action=_("Open My team"),
        )
    )
    _add_people_item(
        page,
        key="reports-incomplete",
        people=direct.filter(Q(job_title="") | Q(grade_level="")).order_by("user__full_name"),
        title=lambda count: ngettext(
            "%(count)s of your direct reports has no job title or grade level. Ask HR to complete the profile.",
            "%(count)s of your direct reports have no job title or grade level. Ask HR to complete their profiles.",
            count,
        ),
    )


def add_people_data_items(page: HomePage, context: HomeContext) -> None:
    """For HR and admins: an empty org chart to import, people without a manager or in a closed unit."""
    if not user_manages_org(context.user):
        return
    if not Employee.objects.exists():
        page.todos.append(
            TodoItem(
                key="import-org-chart",
                title=_("There are no employees yet. Import the org chart to get started."),
                url=reverse("org_io:import"),
                action=_("Import the org chart"),
            )
        )
        return
    active = Employee.objects.active().select_related("user", "unit")
    _add_people_item(
        page,
        key="no-manager",
        people=active.filter(manager__isnull=True, unit__parent__isnull=False).order_by("user__full_name"),
        title=lambda count: ngettext(
            "%(count)s person has no manager but is not at the top of the organisation. Give them a manager.",
            "%(count)s people have no manager but are not at the top of the organisation. Give them a manager.",
            count,
        ),
    )
    _add_people_item(
        page,
        key="inactive-unit",
        people=active.filter(unit__is_active=False).order_by("user__full_name"),
        title=lambda count: ngettext(
            "%(count)s person is in a unit that is no longer active. Move them to an active unit.",
            "%(count)s people are in units that are no longer active. Move them to active units.",
            count,
        ),
    )


def add_org_overview(page: HomePage, context: HomeContext) -> None:
    """For executives and admins: how many active units and people the organisation has."""
    if not context.roles & {Role.EXECUTIVE, Role.ADMIN}:
        return
    page.panels.append(
        Panel(
            key="org-overview",
            title=_("Organisation"),
            stats=(
                Stat(_("Active units"), OrgUnit.objects.filter(is_active=True).count()),
                Stat(_("People"), Employee.objects.active().count()),
            ),
            url=reverse("org:units"),
            action=_("Open Strategy"),
        )
    )


def register() -> None:
    register_home_section("org-my-team", add_my_team, order=400)
    register_home_section("org-people-data", add_people_data_items, order=500)
    register_home_section("org-overview", add_org_overview, order=600)
