"""What a person has to do: the items on their home page, from real data only.

Each role adds what applies to it. Later features (objectives to approve, check-ins due,
reviews to write…) add their own items here; nothing is listed that is not really there.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta

from django.db.models import Q, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from goals.models import Objective
from goals.objectives.selectors import objective_list_awaiting
from notifications.selectors import notification_list
from org.models import Employee, OrgUnit, Role, User
from org.selectors import employee_of, employee_reports, user_manages_org, user_roles

# How many people or notifications an item lists before it says "and N more".
LIST_LIMIT = 5


@dataclass(frozen=True)
class Link:
    label: str
    url: str
    detail: str = ""


@dataclass(frozen=True)
class TodoItem:
    """Something the person should act on."""

    key: str
    title: str
    url: str = ""
    action: str = ""
    links: tuple[Link, ...] = ()
    more: int = 0


@dataclass(frozen=True)
class Stat:
    label: str
    value: int


@dataclass(frozen=True)
class Panel:
    """Something the person should know: a short summary with a way in."""

    key: str
    title: str
    stats: tuple[Stat, ...]
    url: str
    action: str


@dataclass
class HomePage:
    todos: list[TodoItem] = field(default_factory=list)
    panels: list[Panel] = field(default_factory=list)


def home_page_for(*, user: User) -> HomePage:
    roles = user_roles(user)
    page = HomePage()
    _add_notifications(page, user=user)
    me = employee_of(user)
    if me is not None:
        _add_my_goal_items(page, me=me)
    _add_approvals(page, user=user)
    if Role.MANAGER in roles and me is not None:
        _add_manager_items(page, manager=me)
    if user_manages_org(user):
        _add_hr_items(page)
    if roles & {Role.EXECUTIVE, Role.ADMIN}:
        _add_org_overview(page)
    return page


# --- everyone ----------------------------------------------------------------------


def _add_notifications(page: HomePage, *, user: User) -> None:
    unread = notification_list(recipient=user, unread_only=True)
    latest = list(unread[: LIST_LIMIT + 1])
    if not latest:
        return
    count = len(latest) if len(latest) <= LIST_LIMIT else unread.count()
    page.todos.append(
        TodoItem(
            key="notifications",
            title=ngettext(
                "You have %(count)s unread notification.",
                "You have %(count)s unread notifications.",
                count,
            )
            % {"count": count},
            url=reverse("notifications:inbox"),
            action=_("Open the inbox"),
            links=tuple(
                Link(label=n.text, url=reverse("notifications:open", args=[n.pk])) for n in latest[:LIST_LIMIT]
            ),
            more=max(count - LIST_LIMIT, 0),
        )
    )


# --- goals -------------------------------------------------------------------------

# A key result of an active objective with no progress update for this long is a to-do.
STALE_AFTER_DAYS = 30


def _objective_links(objectives) -> tuple[Link, ...]:
    return tuple(
        Link(label=o.title, url=reverse("goals:objective-detail", args=[o.pk]), detail=o.period.name)
        for o in objectives[:LIST_LIMIT]
    )


def _add_objective_item(page: HomePage, *, key: str, objectives: QuerySet, title, url: str, action: str) -> None:
    shown = list(objectives.select_related("period")[: LIST_LIMIT + 1])
    if not shown:
        return
    count = len(shown) if len(shown) <= LIST_LIMIT else objectives.count()
    page.todos.append(
        TodoItem(
            key=key,
            title=title(count) % {"count": count},
            url=url,
            action=action,
            links=_objective_links(shown),
            more=max(count - LIST_LIMIT, 0),
        )
    )


def _add_my_goal_items(page: HomePage, *, me: Employee) -> None:
    mine = Objective.objects.filter(owner_employee=me).order_by("due_date", "pk")
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


def _add_approvals(page: HomePage, *, user: User) -> None:
    _add_objective_item(
        page,
        key="objectives-to-approve",
        objectives=objective_list_awaiting(actor=user).prefetch_related(None).order_by("submitted_at", "pk"),
        title=lambda count: ngettext(
            "%(count)s objective is waiting for your approval.",
            "%(count)s objectives are waiting for your approval.",
            count,
        ),
        url=reverse("goals:approvals"),
        action=_("Open Approvals"),
    )


# --- managers ----------------------------------------------------------------------


def _add_manager_items(page: HomePage, *, manager: Employee) -> None:
    direct = employee_reports(manager=manager, direct_only=True).filter(is_active=True)
    team_size = employee_reports(manager=manager).filter(is_active=True).count()
    direct_count = direct.count()
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


# --- HR ------------------------------------------------------------------------------


def _add_hr_items(page: HomePage) -> None:
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


def _add_people_item(page: HomePage, *, key: str, people: QuerySet[Employee], title: Callable[[int], str]) -> None:
    """A to-do that lists a few people (with links to them) and how many more there are."""
    shown = list(people.select_related("user", "unit")[: LIST_LIMIT + 1])
    if not shown:
        return
    count = len(shown) if len(shown) <= LIST_LIMIT else people.count()
    page.todos.append(
        TodoItem(
            key=key,
            title=title(count) % {"count": count},
            links=tuple(
                Link(
                    label=person.user.display_name,
                    url=reverse("org:employee", args=[person.pk]),
                    detail=person.unit.display_name,
                )
                for person in shown[:LIST_LIMIT]
            ),
            more=max(count - LIST_LIMIT, 0),
        )
    )


# --- executives ----------------------------------------------------------------------


def _add_org_overview(page: HomePage) -> None:
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
