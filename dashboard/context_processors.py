"""Template context every page needs: the navigation for the viewer's roles."""

from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _

from org.models import Role

# Sections (My work, My team, HR, Strategy) and their pages, by role. A page appears once its
# URL exists; tests/pmsite/test_navigation.py checks every one of them resolves.
NAVIGATION = [
    (
        "my-work",
        _("My work"),
        None,
        [
            ("home", _("To do")),
            ("goals:my-objectives", _("My objectives")),
            ("goals:cascade", _("Cascade")),
            ("notifications:inbox", _("Inbox")),
            ("notifications:preferences", _("Notification settings")),
            ("org:api-tokens", _("API tokens")),
        ],
    ),
    (
        "my-team",
        _("My team"),
        {Role.MANAGER},
        [
            ("org:my-team", _("Team members")),
            ("goals:team-objectives", _("Team objectives")),
            ("goals:approvals", _("Approvals")),
        ],
    ),
    (
        "hr",
        _("HR"),
        {Role.HR, Role.ADMIN},
        [
            ("org:people", _("People")),
            ("org_io:import", _("Import org chart")),
            ("org:grade-levels", _("Grade levels")),
            ("goals:kpis", _("KPI library")),
            ("goals:smart-settings", _("SMART settings")),
            ("goals:integrations", _("Connected systems")),
            ("notifications:webhooks", _("Team chat bots")),
            ("notifications:reminder-rules", _("Reminders")),
            ("org:calendar", _("Working-day calendar")),
            ("org:signin-lockouts", _("Sign-in lock-outs")),
        ],
    ),
    (
        "strategy",
        _("Strategy"),
        {Role.EXECUTIVE, Role.ADMIN},
        [
            ("goals:themes", _("Strategic themes")),
            ("goals:cascade", _("Cascade")),
            ("org:units", _("Units")),
        ],
    ),
]


def _url(name: str) -> str | None:
    try:
        return reverse(name)
    except NoReverseMatch:
        return None


def navigation_for(roles: frozenset[str]) -> list[dict]:
    sections = []
    for key, label, needs, pages in NAVIGATION:
        if needs is not None and not (roles & needs):
            continue
        items = [{"name": name, "label": text, "url": url} for name, text in pages if (url := _url(name))]
        if items:
            sections.append({"key": key, "label": label, "url": items[0]["url"], "items": items})
    return sections


def active_page(sections: list[dict], path: str, requested: str | None) -> tuple[dict | None, str | None]:
    """The section and page the current path belongs to (longest matching page URL)."""
    best, best_len, best_url = None, -1, None
    for section in sections:
        for item in section["items"]:
            url = item["url"]
            matches = path == url or (url != "/" and path.startswith(url))
            if matches and len(url) > best_len:
                best, best_len, best_url = section, len(url), url
    if requested:
        chosen = next((s for s in sections if s["key"] == requested), None)
        if chosen is not None and chosen is not best:
            return chosen, None
    return best, best_url


def navigation(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    from notifications.selectors import notification_unread_count_for_page
    from org.selectors import user_roles

    roles = user_roles(user)
    sections = navigation_for(roles)
    return {
        "nav_sections": sections,
        "nav_roles": roles,
        "unread_notifications": notification_unread_count_for_page(recipient=user),
    }
