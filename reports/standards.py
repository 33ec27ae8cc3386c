"""Arithmetic of the work standards (docs/procedure.md: Work standards), free of ORM code."""

import statistics
from dataclasses import dataclass
from datetime import timedelta
from fractions import Fraction

HOUR = timedelta(hours=1)


@dataclass(frozen=True)
class Ratio:
    """A work standard as measured: how many met it (`met`) out of how many it applies to
    (`of`). Both are kept so a report can show the share and list the complaints behind it."""

    met: int
    of: int

    @property
    def share(self) -> float | None:
        return share(self.met, self.of)


def share(numerator: int, denominator: int) -> float | None:
    """The share met, 0..1; None when nothing was measured (0/0 is no score, not 0% or 100%)."""
    if denominator == 0:
        return None
    return float(Fraction(numerator, denominator))


def hours(duration: timedelta | None) -> float | None:
    """A duration in hours, None stays None (no complaint closed)."""
    return None if duration is None else duration / HOUR


def percentile(values: list[float], fraction: float) -> float | None:
    """The continuous percentile of `values`, interpolated linearly between the closest ranks:
    the same number PostgreSQL's PERCENTILE_CONT gives. `fraction` is a whole percent (0.5, 0.9).
    """
    if not values:
        return None
    if len(values) == 1:  # statistics.quantiles needs two points
        return float(values[0])
    if fraction in (0, 1):
        return float(min(values) if fraction == 0 else max(values))
    cut = round(fraction * 100)
    if abs(cut - fraction * 100) > 1e-9:
        raise ValueError(f"fraction {fraction} is not a whole percent")
    # "inclusive" treats the data as the whole population: min and max are the 0th and 100th
    # percentiles, which is PERCENTILE_CONT's definition.
    return statistics.quantiles(values, n=100, method="inclusive")[cut - 1]
