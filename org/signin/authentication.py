"""`Authorization: Token <token>` with a person's own API token (profile → API tokens)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework.authentication import BaseAuthentication, get_authorization_header
from rest_framework.exceptions import AuthenticationFailed

from org.signin.tokens import api_token_authenticate

KEYWORD = b"token"
INVALID = _("This token is not valid: it expired, was revoked or never existed. Create a new one on your profile page.")


class PersonalTokenAuthentication(BaseAuthentication):
    def authenticate(self, request):
        parts = get_authorization_header(request).split()
        if not parts or parts[0].lower() != KEYWORD:
            return None
        if len(parts) != 2:
            raise AuthenticationFailed(_("Send the token as “Authorization: Token <token>”, with nothing else."))
        try:
            raw = parts[1].decode()
        except UnicodeDecodeError:
            raise AuthenticationFailed(INVALID) from None
        token = api_token_authenticate(raw_token=raw)
        if token is None:
            raise AuthenticationFailed(INVALID)
        return token.user, token

    def authenticate_header(self, request) -> str:
        return 'Token realm="api"'


class PersonalTokenScheme(OpenApiAuthenticationExtension):
    target_class = PersonalTokenAuthentication
    name = "tokenAuth"

    def get_security_definition(self, auto_schema):
        return {
            "type": "apiKey",
            "in": "header",
            "name": "Authorization",
            "description": _("A personal API token, sent as “Token <token>”."),
        }
