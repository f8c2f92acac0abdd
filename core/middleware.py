"""Security headers on every response: Content-Security-Policy, Permissions-Policy, and
``Cache-Control: private, no-store`` on what belongs to one signed-in person (pages, exports)
and on every API answer, so no shared cache or back button shows it to someone else.

The policy comes from settings (``STRIDE_CONTENT_SECURITY_POLICY``, ``STRIDE_PERMISSIONS_POLICY``):
scripts only from our own origin (no inline scripts, no eval); inline ``style=""`` attributes
are allowed for styles only (progress bars set their width that way).
"""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse

NO_STORE = "private, no-store"


def _policy(directives: dict[str, list[str]]) -> str:
    return "; ".join(f"{name} {' '.join(sources)}".strip() for name, sources in directives.items())


class SecurityHeadersMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response
        self.csp = _policy(settings.STRIDE_CONTENT_SECURITY_POLICY)
        self.permissions = ", ".join(f"{name}={value}" for name, value in settings.STRIDE_PERMISSIONS_POLICY.items())

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        response.headers.setdefault("Content-Security-Policy", self.csp)
        response.headers.setdefault("Permissions-Policy", self.permissions)
        if self._personal(request):
            response.headers["Cache-Control"] = NO_STORE
            response.headers.pop("Expires", None)
        return response

    @staticmethod
    def _personal(request: HttpRequest) -> bool:
        if request.path.startswith("/api/"):
            return True
        user = getattr(request, "user", None)  # absent on static files answered before auth
        return bool(user is not None and user.is_authenticated)
