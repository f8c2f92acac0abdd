"""htmx requests: a page answers an htmx request with a fragment instead of the whole page."""

from __future__ import annotations

from django.http import HttpRequest


def is_htmx(request: HttpRequest) -> bool:
    """Whether htmx sent the request: it always sends `HX-Request: true`; any other value (or
    none) is a plain browser request, which gets the whole page."""
    return request.headers.get("HX-Request") == "true"
