"""The arithmetic of the work standards (docs/procedure.md: Work standards), no database."""

from datetime import timedelta

import pytest

from reports.standards import Ratio, hours, percentile, share


def test_a_share_is_met_over_measured():
    assert share(7, 8) == 0.875  # work standard 3: entered within 2 h


def test_nothing_measured_is_no_score_rather_than_zero():
    assert share(0, 0) is None  # a month without urgent complaints has no WS4 score
    assert Ratio(0, 0).share is None


def test_a_ratio_keeps_numerator_and_denominator():
    ratio = Ratio(met=1, of=2)
    assert (ratio.met, ratio.of, ratio.share) == (1, 2, 0.5)


def test_durations_read_in_hours():
    assert hours(timedelta(days=1, hours=3)) == 27
    assert hours(None) is None


def test_percentile_interpolates_between_ranks_like_percentile_cont():
    assert percentile([27, 27, 96], 0.5) == 27
    assert percentile([27, 27, 96], 0.9) == pytest.approx(82.2)
    assert percentile([10, 20], 0.5) == 15


def test_percentile_of_one_or_no_value():
    assert percentile([5.0], 0.9) == 5.0
    assert percentile([], 0.5) is None


def test_percentile_refuses_a_fraction_that_is_not_a_whole_percent():
    with pytest.raises(ValueError):
        percentile([1, 2, 3], 0.905)
