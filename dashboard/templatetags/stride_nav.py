"""Which navigation section and page the current page belongs to."""

from django import template

from dashboard.context_processors import active_page

register = template.Library()


@register.simple_tag
def nav_current(sections, path, requested=None):
    """{'section': section or None, 'url': the active page's URL or None}."""
    section, url = active_page(sections or [], path, requested or None)
    return {"section": section, "url": url}
