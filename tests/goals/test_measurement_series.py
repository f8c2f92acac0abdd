"""sparkline_points: the updates that count, only each key result's last few, as plain points."""

from datetime import date, timedelta
from decimal import Decimal

import pytest

from goals.progress.rows import SPARKLINE_POINTS, _points_for
from goals.progress.selectors import sparkline_points
from tests.goals.factories import KeyResultFactory, MeasurementFactory, ObjectiveFactory

pytestmark = pytest.mark.django_db

START = date(2024, 1, 1)


def _history(kr, count: int) -> list:
    weeks = range(count)
    return [MeasurementFactory(key_result=kr, value=Decimal(i), as_of=START + timedelta(days=7 * i)) for i in weeks]


def test_latest_keeps_each_key_results_newest_updates_oldest_first():
    long_kr, short_kr = KeyResultFactory(), KeyResultFactory()
    _history(long_kr, 30)
    _history(short_kr, 3)

    points = sparkline_points(key_result_ids=[long_kr.pk, short_kr.pk], latest=5)

    assert points[long_kr.pk] == [(START + timedelta(days=7 * v), Decimal(v)) for v in range(25, 30)]
    assert points[short_kr.pk] == [(START + timedelta(days=7 * v), Decimal(v)) for v in range(3)]


def test_a_corrected_update_gives_way_to_its_correction_in_the_latest_too():
    kr = KeyResultFactory()
    old = _history(kr, 4)
    fixed = MeasurementFactory(key_result=kr, value=Decimal(99), as_of=old[-1].as_of, corrects=old[-1])

    points = sparkline_points(key_result_ids=[kr.pk], latest=2)

    assert points[kr.pk] == [(old[2].as_of, old[2].value), (fixed.as_of, Decimal(99))]


def test_a_card_reads_at_most_the_sparklines_points_per_key_result(django_assert_num_queries):
    objective = ObjectiveFactory()
    kr = KeyResultFactory(objective=objective)
    _history(kr, SPARKLINE_POINTS + 10)

    with django_assert_num_queries(2):  # the key results (prefetch) and the series
        points = _points_for([objective])

    assert len(points[kr.pk]) == SPARKLINE_POINTS
    assert points[kr.pk][-1][1] == Decimal(SPARKLINE_POINTS + 9)
