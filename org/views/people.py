"""Thin HTML views for people and structure; reads go through selectors and access functions."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Case, IntegerField, Q, QuerySet, Value, When
from django.shortcuts import render

from org.access import employee_access_for_view
from org.extensions import employee_facts, team_columns
from org.forms import PeopleFilterForm, TeamFilterForm
from org.models import Employee, Role
from org.selectors import (
    employee_list_visible_to,
    employee_management_chain,
    employee_of,
    employee_reports,
    tree_subtree_ids,
    unit_ancestors,
    unit_choice_tree,
    unit_list,
    unit_tree,
    user_manages_org,
    user_roles,
    user_sees_all_people,
)
from org.signin.tokens import api_token_list_of

PAGE_SIZE = 25


def _page(request, queryset: QuerySet):
    return Paginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))


def _search(queryset: QuerySet[Employee], text: str) -> QuerySet[Employee]:
    text = text.strip()
    if not text:
        return queryset
    return queryset.filter(
        Q(user__full_name__icontains=text)
        | Q(user__english_name__icontains=text)
        | Q(user__username__icontains=text)
        | Q(user__email__icontains=text)
        | Q(employee_number__icontains=text)
    )


@login_required
def people(request):
    """Everyone, for HR, executives and admins: filter by unit (with sub-units) and search."""
    if not user_sees_all_people(request.user):
        raise PermissionDenied
    tree = unit_choice_tree()  # the unit filter's choices
    form = PeopleFilterForm(request.GET or None, tree=tree)
    queryset = employee_list_visible_to(actor=request.user)
    if form.is_valid():
        data = form.cleaned_data
        queryset = _search(queryset, data["q"])
        if data["unit"]:
            queryset = queryset.filter(unit_id__in=tree_subtree_ids(tree, int(data["unit"])) or set())
        if not data["include_inactive"]:
            queryset = queryset.filter(is_active=True)
    else:
        queryset = queryset.filter(is_active=True)
    return render(
        request,
        "org/people.html",
        {
            "form": form,
            "page_obj": _page(request, queryset.order_by("employee_number")),
            "can_manage": user_manages_org(request.user),
            "nav_active": "hr",
        },
    )


@login_required
def my_team(request):
    """A manager's reports, direct and indirect, each with the person they report to."""
    me = employee_of(request.user)
    if me is None or Role.MANAGER not in user_roles(request.user):
        raise PermissionDenied
    form = TeamFilterForm(request.GET or None)
    queryset = employee_reports(manager=me).filter(is_active=True)
    if form.is_valid():
        queryset = _search(queryset, form.cleaned_data["q"])
        if form.cleaned_data["direct_only"]:
            queryset = queryset.filter(manager=me)
    queryset = queryset.annotate(
        indirect=Case(When(manager=me, then=Value(0)), default=Value(1), output_field=IntegerField())
    ).order_by("indirect", "user__full_name", "pk")
    page_obj = _page(request, queryset)
    people = list(page_obj.object_list)
    columns = team_columns(request=request, people=people)  # e.g. goals' score, pace, last update
    rows = [{"person": p, "cells": [(c, c.cells.get(p.pk, "")) for c in columns]} for p in people]
    return render(
        request,
        "org/my_team.html",
        {
            "form": form,
            "me": me,
            "page_obj": page_obj,
            "rows": rows,
            "columns": columns,
            "stylesheets": sorted({c.stylesheet for c in columns if c.stylesheet}),
            "direct_count": employee_reports(manager=me, direct_only=True).filter(is_active=True).count(),
            "nav_active": "my-team",
        },
    )


def _with_totals(nodes: list[dict], depth: int = 0) -> int:
    """Add each node's head count including every unit below it, and its depth; sort by shown name."""
    total = 0
    nodes.sort(key=lambda node: node["unit"].display_name)
    for node in nodes:
        node["depth"] = depth
        node["total"] = node["unit"].employee_count + _with_totals(node["children"], depth + 1)
        total += node["total"]
    return total


@login_required
def units(request):
    """The unit tree with head counts, for HR, executives and admins."""
    if not user_sees_all_people(request.user):
        raise PermissionDenied
    all_units = list(unit_list())
    tree = unit_tree(units=all_units)
    head_count = _with_totals(tree)
    return render(
        request,
        "org/units.html",
        {
            "tree": tree,
            "unit_count": len(all_units),
            "active_unit_count": sum(1 for unit in all_units if unit.is_active),
            "head_count": head_count,
            "nav_active": "strategy",
        },
    )


@login_required
def employee_detail(request, pk: int):
    """One person's record: unit path, manager, chain and direct reports. 404 when not visible."""
    employee = employee_access_for_view(actor=request.user, employee_id=pk)
    chain = employee_management_chain(employee=employee)
    reports_page = _page(
        request, employee_reports(manager=employee, direct_only=True).filter(is_active=True).order_by("user__full_name")
    )
    people_shown = [*chain, *reports_page]
    if user_sees_all_people(request.user):
        visible_ids = {person.pk for person in people_shown}
    else:
        visible_ids = set(
            employee_list_visible_to(actor=request.user)
            .filter(pk__in=[person.pk for person in people_shown])
            .values_list("pk", flat=True)
        )
    return render(
        request,
        "org/employee_detail.html",
        {
            "employee": employee,
            "unit_path": [*reversed(unit_ancestors(unit=employee.unit)), employee.unit],
            "chain": chain,
            "page_obj": reports_page,
            "visible_ids": visible_ids,
            "is_me": employee.user_id == request.user.pk,
            "api_tokens": api_token_list_of(user=request.user) if employee.user_id == request.user.pk else None,
            "can_manage": user_manages_org(request.user),
            "extra_facts": employee_facts(request=request, employee=employee),
        },
    )
