"""Goals' part of the home page (core.home): my objectives that need me, and objectives to approve."""

from __future__ import annotations

from datetime import timedelta

from django.db.models import Q, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from core.home import HomeContext, HomePage, Link, add_listed_todo, register_home_section
from goals.models import Objective
from goals.objectives.selectors import objective_list_awaiting

# A key result of an active objective with no progress update for this long is a to-do.
STALE_AFTER_DAYS = 30


def _objective_link(objective: Objective) -> Link:
    return Link(
        label=objective.title,
        url=reverse("goals:objective-detail", args=[objective.pk]),
        detail=objective.period.name,
    )


def _add_objective_item(page: HomePage, *, key: str, objectives: QuerySet[Objective], **kwargs) -> None:
    add_listed_todo(page, key=key, items=objectives.select_related("period"), link=_objective_link, **kwargs)


def add_my_goal_items(page: HomePage, context: HomeContext) -> None:
    """Returned and draft objectives, and active ones whose progress has not been updated for a while."""
    if context.employee is None:
        return
    mine = Objective.objects.filter(owner_employee=context.employee).order_by("due_date", "pk")
    _add_objective_item(
        page,
        key="objectives-returned",
        objectives=mine.filter(status=Objective.Status.RETURNED),
        title=lambda count: ngettext(
            "%(count)s of your objectives was returned with a comment. Change it and submit it again.",
            "%(count)s of your objectives were returned with a comment. Change them and submit them again.",
            count,
        ),
        url=reverse("goals:my-objectives"),
        action=_("Open My objectives"),
    )
    _add_objective_item(
        page,
        key="objectives-draft",
        objectives=mine.filter(status=Objective.Status.DRAFT),
        title=lambda count: ngettext(
            "%(count)s of your objectives is still a draft. Check it and submit it for approval.",
            "%(count)s of your objectives are still drafts. Check them and submit them for approval.",
            count,
        ),
        url=reverse("goals:my-objectives"),
        action=_("Open My objectives"),
    )
    cutoff = timezone.localdate() - timedelta(days=STALE_AFTER_DAYS)
    stale = mine.filter(
        status=Objective.Status.APPROVED,
        key_results__direction__in=["higher", "lower", "range", "done"],
    ).filter(Q(key_results__last_measured_on__lt=cutoff) | Q(key_results__last_measured_on__isnull=True))
    _add_objective_item(
        page,
        key="progress-stale",
        objectives=Objective.objects.filter(pk__in=stale.values("pk")).order_by("due_date", "pk"),
        title=lambda count: ngettext(
            "%(count)s of your active objectives has had no progress update for 30 days. Record where it stands.",
            "%(count)s of your active objectives have had no progress update for 30 days. Record where they stand.",
            count,
        ),
        url=reverse("goals:my-objectives"),
        action=_("Record progress"),
    )


def add_approvals(page: HomePage, context: HomeContext) -> None:
    """Objectives submitted to this person for approval (objective_list_awaiting decides whose)."""
    _add_objective_item(
        page,
        key="objectives-to-approve",
        objectives=objective_list_awaiting(actor=context.user)
        .select_related(None)  # a title and a period name (added below): not the owners, parents, authors…
        .prefetch_related(None)
        .order_by("submitted_at", "pk"),
        title=lambda count: ngettext(
            "%(count)s objective is waiting for your approval.",
            "%(count)s objectives are waiting for your approval.",
            count,
        ),
        url=reverse("goals:approvals"),
        action=_("Open Approvals"),
    )


def register() -> None:
    register_home_section("goals-mine", add_my_goal_items, order=200)
    register_home_section("goals-approvals", add_approvals, order=300)
