"""Small pieces the goals API views share: exact numbers without trailing zeros, people references."""

from __future__ import annotations

from decimal import Decimal

from django.db import models
from django.urls import reverse
from rest_framework import serializers
from rest_framework.response import Response

WEIGHT = {"max_digits": 5, "decimal_places": 2, "min_value": 0, "max_value": 100}
VALUE = {"max_digits": 18, "decimal_places": 4, "required": False, "allow_null": True}


class Number(serializers.DecimalField):
    """An exact decimal sent as a string without trailing zeros: "60", "0.95"."""

    def to_representation(self, value):
        if value is None:
            return None
        return format(Decimal(value).normalize(), "f")


class GoalsModelSerializer(serializers.ModelSerializer):
    serializer_field_mapping = {**serializers.ModelSerializer.serializer_field_mapping, models.DecimalField: Number}


class PersonRefSerializer(serializers.Serializer):
    """An employee, briefly."""

    id = serializers.IntegerField()
    name = serializers.CharField()


class UserRefSerializer(serializers.Serializer):
    """A user account, briefly."""

    id = serializers.IntegerField()
    name = serializers.CharField(source="display_name")


class UnitRefSerializer(serializers.Serializer):
    """A unit, briefly."""

    id = serializers.IntegerField()
    name = serializers.CharField(source="display_name")


def created(request, data, *, url_name: str, pk: int) -> Response:
    """201 with a Location header pointing at the new resource."""
    location = request.build_absolute_uri(reverse(url_name, args=[pk]))
    return Response(data, status=201, headers={"Location": location})


def truthy(value: str | None) -> bool:
    return (value or "").strip().lower() in {"1", "true", "yes", "on"}
