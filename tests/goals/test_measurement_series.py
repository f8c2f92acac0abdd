"""measurement_effective_list: the updates that count, and with `latest` only each key result's last few."""

from datetime import date, timedelta
from decimal import Decimal

import pytest

from goals.progress.rows import SPARKLINE_POINTS, _series_for
from goals.progress.selectors import measurement_effective_list
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

    rows = list(measurement_effective_list(key_result_ids=[long_kr.pk, short_kr.pk], latest=5))

    by_kr = {kr.pk: [m.value for m in rows if m.key_result_id == kr.pk] for kr in (long_kr, short_kr)}
    assert by_kr[long_kr.pk] == [Decimal(v) for v in range(25, 30)]
    assert by_kr[short_kr.pk] == [Decimal(v) for v in range(3)]


def test_a_corrected_update_gives_way_to_its_correction_in_the_latest_too():
    kr = KeyResultFactory()
    old = _history(kr, 4)
    fixed = MeasurementFactory(key_result=kr, value=Decimal(99), as_of=old[-1].as_of, corrects=old[-1])

    rows = list(measurement_effective_list(key_result_ids=[kr.pk], latest=2))

    assert [m.pk for m in rows] == [old[2].pk, fixed.pk]


def test_a_card_reads_at_most_the_sparklines_points_per_key_result(django_assert_num_queries):
    objective = ObjectiveFactory()
    kr = KeyResultFactory(objective=objective)
    _history(kr, SPARKLINE_POINTS + 10)

    with django_assert_num_queries(2):  # the key results (prefetch) and the series
        series = _series_for([objective])

    assert len(series[kr.pk]) == SPARKLINE_POINTS
    assert series[kr.pk][-1].value == Decimal(SPARKLINE_POINTS + 9)
