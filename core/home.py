"""The home page's shapes and the registry through which each app adds its part ("My work").

The home page lives in `dashboard`, on top of every app; the items on it come from the apps
below, which may not import dashboard. So each app registers a *section* here, in its
AppConfig.ready (as `org.extensions` does for org's pages):

    register_home_section("goals-mine", add_my_goal_items, order=200)

A section is `builder(page, context)`: it reads what applies to `context.user` and appends
`TodoItem`s to `page.todos` and `Panel`s to `page.panels` — nothing that is not really
there — and applies its own access rules. The context is computed once per page, so builders
don't each read the user's roles or employee record again. A builder must read a fixed number
of queries whatever the data (the home page has a query-count test).

Sections run by `order`, lowest first; the page shows items in the order they are appended.
Today: notifications 100; goals 200 (my objectives), 300 (approvals); org 400 (my team),
500 (HR: people data), 600 (executives: organisation). A later app picks a number in between.

This module imports no app (core's rule): the context carries plain values.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

# How many people, objectives or notifications an item lists before it says "and N more".
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


@dataclass(frozen=True)
class HomeContext:
    """What every section needs, read once per page."""

    user: Any  # the signed-in user
    roles: frozenset[str]  # org's Role values the user holds ("employee", "manager", "hr", …)
    employee: Any | None  # the user's employee record; None for an account without one (an admin)


HomeBuilder = Callable[[HomePage, HomeContext], None]


@dataclass(frozen=True)
class HomeSection:
    key: str
    builder: HomeBuilder
    order: int


_sections: dict[str, HomeSection] = {}


def register_home_section(key: str, builder: HomeBuilder, *, order: int) -> None:
    """Add (or, under the same key, replace) a section of the home page."""
    _sections[key] = HomeSection(key=key, builder=builder, order=order)


def unregister_home_section(key: str) -> None:
    _sections.pop(key, None)


def home_sections() -> list[HomeSection]:
    """The registered sections in page order (by `order`, then key)."""
    return sorted(_sections.values(), key=lambda section: (section.order, section.key))


def add_listed_todo(
    page: HomePage,
    *,
    key: str,
    items: Any,
    title: Callable[[int], str],
    link: Callable[[Any], Link],
    url: str = "",
    action: str = "",
) -> None:
    """A to-do listing the first LIST_LIMIT of `items` and how many more there are; none if empty.

    `items` is a QuerySet (or anything that slices and counts): one query reads up to
    LIST_LIMIT + 1 rows, a second counts them only when there are more. `title(count)` is the
    message with a `%(count)s` placeholder (an `ngettext` for that count); `link(item)` the
    link for one item.
    """
    shown = list(items[: LIST_LIMIT + 1])
    if not shown:
        return
    count = len(shown) if len(shown) <= LIST_LIMIT else items.count()
    page.todos.append(
        TodoItem(
            key=key,
            title=title(count) % {"count": count},
            url=url,
            action=action,
            links=tuple(link(item) for item in shown[:LIST_LIMIT]),
            more=max(count - LIST_LIMIT, 0),
        )
    )
