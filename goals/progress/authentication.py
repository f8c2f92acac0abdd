"""Authentication for other systems (CRM, ERP, attendance) that push progress updates.

Only the push endpoint lists `IntegrationTokenAuthentication`; every other endpoint keeps the
global session and user-token authentication, so an integration token opens nothing else.
"""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser
from django.utils.translation import gettext_lazy as _
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.plumbing import build_bearer_security_scheme_object
from rest_framework.authentication import BaseAuthentication, get_authorization_header
from rest_framework.exceptions import AuthenticationFailed
from rest_framework.permissions import BasePermission

from goals.models import IntegrationClient
from goals.progress.services.integrations import integration_client_authenticate

KEYWORD = b"bearer"


class IntegrationPrincipal(AnonymousUser):
    """The system behind an integration token, as `request.user`: anonymous as far as people go.

    It is not a person: no id, no roles, no permissions, no employee record, and
    `is_authenticated` stays False, so nothing that serves people (IsAuthenticated, history's
    "changed by", role checks) mistakes it for one. The push endpoint recognises it by type
    (`IsIntegrationClient`) and takes the system from `request.auth`.
    """

    _stride_roles = frozenset()
    is_hr = False
    is_executive = False

    def __init__(self, client: IntegrationClient):
        self.client = client

    def __str__(self) -> str:
        return f"system: {self.client.name}"

    @property
    def display_name(self) -> str:
        return self.client.name


class IntegrationTokenAuthentication(BaseAuthentication):
    """`Authorization: Bearer <token>`, a token HR issued to a system and has not revoked."""

    def authenticate(self, request):
        parts = get_authorization_header(request).split()
        if not parts or parts[0].lower() != KEYWORD:
            return None
        if len(parts) != 2:
            raise AuthenticationFailed(_("Send the token as “Authorization: Bearer <token>”, with nothing else."))
        try:
            raw = parts[1].decode()
        except UnicodeDecodeError:
            raise AuthenticationFailed(_("This token is not valid or was revoked. Ask HR for a new one.")) from None
        client = integration_client_authenticate(raw_token=raw)
        if client is None:
            raise AuthenticationFailed(_("This token is not valid or was revoked. Ask HR for a new one."))
        return IntegrationPrincipal(client), client

    def authenticate_header(self, request) -> str:
        return 'Bearer realm="stride"'


class IsIntegrationClient(BasePermission):
    """Only a system signed in with its integration token (not a person's session or token)."""

    def has_permission(self, request, view) -> bool:
        return isinstance(request.user, IntegrationPrincipal)


class IntegrationTokenScheme(OpenApiAuthenticationExtension):
    target_class = IntegrationTokenAuthentication
    name = "integrationToken"

    def get_security_definition(self, auto_schema):
        return build_bearer_security_scheme_object(header_name="Authorization", token_prefix="Bearer")  # noqa: S106 (a scheme name)
