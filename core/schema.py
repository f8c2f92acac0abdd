"""The OpenAPI schema and its Swagger page.

Every operation lists the error answers it really gives, each with the one error shape of
``core.api.exception_handler`` (the ``Error`` component):

- 400 on writes and on operations that take query parameters (filters refuse bad values);
- 401 wherever a sign-in is needed;
- 403 on writes (a role or object rule, or a missing CSRF token, can refuse them) and
  wherever a permission beyond "signed in" applies;
- 404 on routes with an id in the path (a hidden object answers 404 too), on paged lists
  (a page past the end) and on writes whose body names an object by id
  (``not_found_methods = {"POST"}`` on the view);
- 409 where the view says its service can refuse because of the record's state
  (``conflict_methods = {"POST", ...}`` on the view).

The schema and the docs page (core/apidocs.py) need a sign-in unless ``STRIDE_API_DOCS_PUBLIC``.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from drf_spectacular.openapi import AutoSchema as SpectacularAutoSchema
from rest_framework import permissions, serializers

WRITES = {"POST", "PUT", "PATCH", "DELETE"}
PAGINATION = {"page", "page_size"}
DEFAULT_PERMISSIONS = (permissions.IsAuthenticated, permissions.AllowAny)
ERROR_DESCRIPTIONS = {
    400: _("The request is not valid: `errors` names each problem by field (or query parameter)."),
    401: _("Not signed in: send a token (`Authorization: Token …`) or a session cookie."),
    403: _("Signed in, but not allowed to do this (role, object rule or CSRF token)."),
    404: _("No such object, or one you may not see."),
    409: _("The record's state does not allow this now (for example, the objective is not a draft)."),
}


class ErrorSerializer(serializers.Serializer):
    """The one error shape every endpoint answers with."""

    type = serializers.CharField(help_text="A stable code, e.g. validation_error, not_found, goals.not_editable.")
    title = serializers.CharField(help_text="A sentence for people, in the caller's language.")
    detail = serializers.CharField(allow_blank=True)
    errors = serializers.DictField(
        child=serializers.ListField(child=serializers.CharField()),
        help_text="Problems per field: {field: [message, ...]}; nested fields as a.0.b.",
    )

    class Meta:
        ref_name = "Error"


class AutoSchema(SpectacularAutoSchema):
    def error_statuses(self) -> list[int]:
        view_permissions = self.view.get_permissions()
        signed_in = any(not isinstance(p, permissions.AllowAny) for p in view_permissions)
        stricter = any(not isinstance(p, DEFAULT_PERMISSIONS) for p in view_permissions)
        write = self.method in WRITES
        has_query = any(p.get("in") == "query" and p["name"] not in PAGINATION for p in self._get_parameters())
        paginated = bool(self._get_pagination_parameters())
        conflicts = {m.upper() for m in getattr(self.view, "conflict_methods", ())}
        names_an_object = self.method in {m.upper() for m in getattr(self.view, "not_found_methods", ())}
        statuses = []
        if write or has_query:
            statuses.append(400)
        if signed_in:
            statuses.append(401)
        if signed_in and (write or stricter):
            statuses.append(403)
        if "{" in self.path or paginated or names_an_object:  # a page past the end answers 404 too
            statuses.append(404)
        if self.method in conflicts:
            statuses.append(409)
        return statuses

    def _get_response_bodies(self, direction="response"):
        responses = super()._get_response_bodies(direction)
        if direction != "response":
            return responses
        for status in self.error_statuses():
            code = str(status)
            if code not in responses:
                responses[code] = self._get_response_for_code(ErrorSerializer, code, direction=direction)
                responses[code]["description"] = str(ERROR_DESCRIPTIONS[status])
        for code, response in responses.items():
            # every 4xx answer comes from the one exception handler: the Error shape
            if code.startswith("4") and "content" not in response:
                error = self._get_response_for_code(ErrorSerializer, code, direction=direction)
                response["content"] = error["content"]
        return responses
