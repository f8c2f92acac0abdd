"""/api/schema/ and /api/docs/: signed-in callers only unless STRIDE_API_DOCS_PUBLIC.

(Apart from core/schema.py: these views' decorators load the schema class named in settings.)
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from drf_spectacular.utils import extend_schema
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework import permissions


def _docs_public() -> bool:
    return settings.STRIDE_API_DOCS_PUBLIC


class SchemaView(SpectacularAPIView):
    """The OpenAPI schema; signed-in callers only unless STRIDE_API_DOCS_PUBLIC."""

    def get_permissions(self):
        return [permissions.AllowAny()] if _docs_public() else [permissions.IsAuthenticated()]


class SwaggerView(SpectacularSwaggerSplitView):
    """Swagger UI with its start-up script as a file (no inline script, so the CSP holds).

    People who are not signed in are sent to the login page unless STRIDE_API_DOCS_PUBLIC.
    """

    permission_classes = [permissions.AllowAny]

    @extend_schema(exclude=True)
    def get(self, request, *args, **kwargs):
        if not _docs_public() and not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        return super().get(request, *args, **kwargs)
