"""API infrastructure: pagination and the one exception handler (one JSON error shape).

Every error answers::

    {"type": "validation_error", "title": "...", "detail": "...", "errors": {"field": ["..."]}}
"""

from __future__ import annotations

from django import forms
from django.core.exceptions import FieldDoesNotExist
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import Http404
from django.utils.translation import gettext as _
from django_filters import BooleanFilter, NumberFilter
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import extend_schema_field
from rest_framework import exceptions, filters, relations, serializers, status
from rest_framework.fields import SkipField
from rest_framework.pagination import PageNumberPagination
from rest_framework.permissions import AllowAny
from rest_framework.relations import PKOnlyObject
from rest_framework.response import Response
from rest_framework.views import APIView
from rest_framework.views import exception_handler as drf_exception_handler

from core.errors import ApplicationError, http_status_for


class IdsFirstPaginator(Paginator):
    """A page of a query set read in two steps: the page's ids (sorted and cut with only the
    joins the ordering needs), then those rows with everything the serializer reads. Sorting
    tens of thousands of rows through every `select_related` join before the LIMIT costs many
    times a page; sorting their ids does not. Same rows, same order as one query would give."""

    def page(self, number):
        rows = self.object_list
        if not isinstance(rows, QuerySet) or rows.query.distinct or rows.query.group_by is not None:
            return super().page(number)
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        top = bottom + self.per_page
        if top + self.orphans >= self.count:
            top = self.count
        ids = list(rows.values_list("pk", flat=True)[bottom:top])
        by_id = {row.pk: row for row in rows.filter(pk__in=ids).order_by()} if ids else {}  # in `ids`' order
        return self._get_page([by_id[pk] for pk in ids if pk in by_id], number, self)


class ColumnsFirstSerializer(serializers.ModelSerializer):
    """A model serializer that reads its model's own columns straight off each row: a plain
    field's value, a primary-key relation's id column. Other fields (nested serializers, methods,
    properties, other sources) go DRF's general way. Same output; DRF's general way costs a few
    microseconds per field and row (attribute paths, callables, the time zone looked up per
    value), most of a 50-objective page's serializing."""

    def to_representation(self, instance):
        plan = self.__dict__.get("_columns_plan")
        if plan is None:
            plan = self.__dict__["_columns_plan"] = self._columns_plan()
        ret = {}
        for name, field, column, is_id in plan:
            if column is not None:
                value = getattr(instance, column)
                ret[name] = value if value is None or is_id else field.to_representation(value)
                continue
            try:
                attribute = field.get_attribute(instance)
            except SkipField:
                continue
            check_for_none = attribute.pk if isinstance(attribute, PKOnlyObject) else attribute
            ret[name] = None if check_for_none is None else field.to_representation(attribute)
        return ret

    def _columns_plan(self) -> list[tuple]:
        """(name, field, column to read or None, is the column a related row's id) per field."""
        opts = self.Meta.model._meta
        plan = []
        for field in self._readable_fields:
            model_field = None
            if len(field.source_attrs) == 1 and not isinstance(field, serializers.BaseSerializer):
                try:
                    model_field = opts.get_field(field.source_attrs[0])
                except FieldDoesNotExist:
                    model_field = None
            column, is_id = None, False
            if model_field is None or not model_field.concrete or model_field.many_to_many:
                pass
            elif not model_field.is_relation:
                if not isinstance(field, relations.RelatedField | serializers.SerializerMethodField):
                    column = model_field.attname
            elif isinstance(field, relations.PrimaryKeyRelatedField) and field.pk_field is None:
                column, is_id = model_field.attname, True
            if isinstance(field, serializers.DateTimeField) and not hasattr(field, "timezone"):
                field.timezone = field.default_timezone()  # this request's, looked up once
            plan.append((field.field_name, field, column, is_id))
        return plan


class Pagination(PageNumberPagination):
    """Page numbers, strict: ``?page=abc`` or ``?page_size=abc`` answers 400 (DRF would answer 404
    for the page and silently use the default size). A page number past the last page stays 404.
    Pages are read ids first (`IdsFirstPaginator`)."""

    django_paginator_class = IdsFirstPaginator
    page_size_query_param = "page_size"
    max_page_size = 200

    def paginate_queryset(self, queryset, request, view=None):
        problems = {}
        page = request.query_params.get(self.page_query_param, "")
        if page and page not in self.last_page_strings and not _positive_int(page):
            problems[self.page_query_param] = [
                _("“%(value)s” is not a page number: use a whole number from 1.") % {"value": page}
            ]
        size = request.query_params.get(self.page_size_query_param, "")
        if size and not _positive_int(size):
            problems[self.page_size_query_param] = [
                _("“%(value)s” is not a page size: use a whole number from 1 to %(max)s.")
                % {"value": size, "max": self.max_page_size}
            ]
        if problems:
            raise exceptions.ValidationError(problems)
        return super().paginate_queryset(queryset, request, view)


def _positive_int(value: str) -> bool:
    return value.isascii() and value.isdigit() and int(value) > 0


MAX_ID = 2**63 - 1  # BigAutoField


@extend_schema_field({"type": "integer", "minimum": 1, "maximum": MAX_ID})
class IdFilter(NumberFilter):
    """A record's id: a whole number an id can be. ``1.5``, ``-1`` or a number past the largest id
    answer 400 instead of an empty list (a well-formed id that no record has still lists nothing)."""

    field_class = forms.IntegerField

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("min_value", 1)
        kwargs.setdefault("max_value", MAX_ID)
        super().__init__(*args, **kwargs)


class FilterBackend(DjangoFilterBackend):
    """django-filter, strict: a value a filter cannot read answers 400 instead of being ignored.

    django-filter already refuses a number that is not a number; a yes/no filter, though,
    reads anything it does not know ("maybe") as "not given" and would list everything.
    """

    def get_filterset(self, request, queryset, view):
        filterset = super().get_filterset(request, queryset, view)
        if filterset is not None:
            problems = {
                name: [_("“%(value)s” is not a yes/no value: use true or false.") % {"value": raw}]
                for name, raw in _unreadable_booleans(filterset, request.query_params)
            }
            if problems:
                raise exceptions.ValidationError(problems)
        return filterset


def _unreadable_booleans(filterset, params):
    for name, declared in filterset.filters.items():
        raw = params.get(name)
        if not isinstance(declared, BooleanFilter) or raw in (None, ""):
            continue
        if declared.field.widget.value_from_datadict({name: raw}, {}, name) is None:
            yield name, raw


class OrderingFilter(filters.OrderingFilter):
    """DRF's ordering, strict: an unknown field answers 400 instead of being dropped."""

    def remove_invalid_fields(self, queryset, fields, view, request):
        valid = super().remove_invalid_fields(queryset, fields, view, request)
        unknown = [term for term in fields if term not in valid]
        if unknown:
            allowed = ", ".join(item[0] for item in self.get_valid_fields(queryset, view, {"request": request}))
            raise exceptions.ValidationError(
                {
                    self.ordering_param: [
                        _("Cannot sort by %(fields)s. Sort by one of: %(allowed)s.")
                        % {"fields": ", ".join(unknown), "allowed": allowed}
                    ]
                }
            )
        return valid


class NotFoundApi(APIView):
    """Any other path under /api/: the API's 404 in its one error shape, not Django's HTML page."""

    authentication_classes = []
    permission_classes = [AllowAny]
    schema = None  # not an operation: left out of the schema

    def initial(self, request, *args, **kwargs):
        raise exceptions.NotFound()


def _flatten(detail) -> dict[str, list[str]]:
    """DRF error details (nested dicts/lists) to ``{"field": ["message"]}``."""
    if isinstance(detail, dict):
        out: dict[str, list[str]] = {}
        for key, value in detail.items():
            if isinstance(value, dict):
                for sub, msgs in _flatten(value).items():
                    out[f"{key}.{sub}"] = msgs
            elif isinstance(value, list) and value and isinstance(value[0], dict):
                for i, item in enumerate(value):
                    for sub, msgs in _flatten(item).items():
                        out[f"{key}.{i}.{sub}"] = msgs
            else:
                out[str(key)] = [str(v) for v in (value if isinstance(value, list) else [value])]
        return out
    if isinstance(detail, list):
        return {"non_field_errors": [str(v) for v in detail]}
    return {"non_field_errors": [str(detail)]}


def error_body(*, type_: str, title: str, detail: str = "", errors: dict | None = None) -> dict:
    return {"type": type_, "title": title, "detail": detail, "errors": errors or {}}


def exception_handler(exc, context):
    if isinstance(exc, DjangoValidationError):
        errors = (
            {k: [str(m) for m in v] for k, v in exc.message_dict.items()}
            if hasattr(exc, "error_dict")
            else {"non_field_errors": [str(m) for m in exc.messages]}
        )
        body = error_body(type_="validation_error", title=_("The data is not valid."), errors=errors)
        return Response(body, status=status.HTTP_400_BAD_REQUEST)

    if isinstance(exc, ApplicationError):
        extra = dict(exc.extra)
        errors = extra.pop("errors", {})
        body = error_body(type_=str(exc.code), title=str(exc.message), detail=str(exc.message), errors=errors)
        body.update(extra)
        return Response(body, status=http_status_for(exc.code))  # the code's enum declares it

    if isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied()

    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    if isinstance(exc, exceptions.ValidationError):
        response.data = error_body(
            type_="validation_error", title=_("The data is not valid."), errors=_flatten(exc.detail)
        )
        return response
    detail = exc.detail if isinstance(exc, exceptions.APIException) else str(exc)
    code = getattr(detail, "code", None) or getattr(exc, "default_code", "error")
    response.data = error_body(type_=str(code), title=str(detail), detail=str(detail))
    return response
