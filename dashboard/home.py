"""What a person has to do: the items on their home page, from real data only.

The apps add their own items through the registry in core.home (each registers its sections in
its AppConfig.ready: notifications/home.py, goals/home.py, org/home.py …); this module reads the
user's roles and employee record once and runs the sections in order. Nothing here is about
any one app.

A section that raises: with DEBUG on, the error shows (a developer sees it at once); in
production it is logged with its traceback and the page shows without that section, so one
broken feature does not take everyone's home page down.
"""

from __future__ import annotations

import logging

from django.conf import settings

from core.home import HomeContext, HomePage, home_sections
from org.models import User
from org.selectors import employee_of, user_roles

logger = logging.getLogger(__name__)


def home_page_for(*, user: User) -> HomePage:
    context = HomeContext(user=user, roles=user_roles(user), employee=employee_of(user))
    page = HomePage()
    for section in home_sections():
        todos, panels = len(page.todos), len(page.panels)
        try:
            section.builder(page, context)
        except Exception:
            if settings.DEBUG:
                raise
            logger.exception("Home page section %r failed; the page shows without it.", section.key)
            del page.todos[todos:], page.panels[panels:]  # nothing half-built from it either
    return page
