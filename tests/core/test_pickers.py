"""?period=<id> and the like: a value that names no option gives the caller's default — never a
server error, whatever is typed in the address bar."""

from dataclasses import dataclass

import pytest

from core.pickers import MAX_ID, parse_id, pick


@dataclass(frozen=True)
class Option:
    pk: int
    name: str


OPTIONS = [Option(3, "2025"), Option(7, "2026")]
DEFAULT = Option(0, "default")


@pytest.mark.parametrize(
    ("value", "expected"),
    [("7", 7), ("007", 7), (7, 7), (str(MAX_ID), MAX_ID)],
)
def test_parse_id_reads_a_positive_integer(value, expected):
    assert parse_id(value) == expected


@pytest.mark.parametrize(
    "value",
    [None, "", " 7", "7 ", "-7", "0", 0, -3, "1.5", "1e3", "abc", "٣", str(MAX_ID + 1), "9" * 40, True, 7.0, ["7"]],
)
def test_parse_id_refuses_anything_else(value):
    assert parse_id(value) is None


def test_pick_finds_the_option_by_id_among_loaded_options_and_in_a_mapping():
    assert pick("7", OPTIONS, DEFAULT) == Option(7, "2026")
    assert pick(3, {o.pk: o for o in OPTIONS}, DEFAULT) == Option(3, "2025")


@pytest.mark.parametrize("value", ["", None, "8", "-3", "x", "9" * 40])
def test_pick_gives_the_default_for_a_bad_or_unknown_id(value):
    assert pick(value, OPTIONS, DEFAULT) is DEFAULT
    assert pick(value, {o.pk: o for o in OPTIONS}) is None


@pytest.mark.django_db
@pytest.mark.parametrize("value", ["abc", "-1", "0", str(MAX_ID), str(MAX_ID + 1), "9" * 40])
def test_pick_in_a_queryset_never_errors_and_falls_back(value, django_assert_max_num_queries):
    from org.models import OrgUnit

    OrgUnit.objects.create(name="Head office")
    with django_assert_max_num_queries(1):
        assert pick(value, OrgUnit.objects.all(), "default") == "default"


@pytest.mark.django_db
def test_pick_in_a_queryset_reads_one_row():
    from org.models import OrgUnit

    unit = OrgUnit.objects.create(name="Head office")
    assert pick(str(unit.pk), OrgUnit.objects.all()) == unit
