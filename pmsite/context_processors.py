"""Template context every page needs: the navigation for the viewer's roles."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from org.models import Role


def navigation(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    from notifications.selectors import notification_unread_count
    from org.selectors import user_roles

    roles = user_roles(user)
    sections = [{"key": "my-work", "label": _("My work"), "url": reverse("home")}]
    if Role.MANAGER in roles:
        sections.append({"key": "my-team", "label": _("My team"), "url": reverse("org:my-team")})
    if Role.HR in roles or Role.ADMIN in roles:
        sections.append({"key": "hr", "label": _("HR"), "url": reverse("org:people")})
    if Role.EXECUTIVE in roles or Role.ADMIN in roles:
        sections.append({"key": "strategy", "label": _("Strategy"), "url": reverse("org:units")})
    return {
        "nav_sections": sections,
        "nav_roles": roles,
        "unread_notifications": notification_unread_count(recipient=user),
    }
