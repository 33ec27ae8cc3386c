"""Geometry of the server-side SVG charts (no ORM): numbers in, rectangles out."""

from dataclasses import dataclass

from complaints.models.choices import Classification

BAR_WIDTH = 240  # px of a 100% bar
TREND_HEIGHT = 140  # px of the tallest month
TREND_STEP = 44  # px per month
TREND_BAR = 28
CLASS_COLOURS = {
    Classification.VALID: "#dc3545",
    Classification.TO_IMPROVE: "#fd7e14",
    Classification.INVALID: "#6c757d",
}


@dataclass(frozen=True)
class Segment:
    y: int
    height: int
    colour: str
    label: str
    count: int


@dataclass(frozen=True)
class Column:
    x: int
    label: str
    total: int
    top: int
    segments: list[Segment]


def trend_columns(trend: list[dict]) -> list[Column]:
    """One stacked column per month, valid at the bottom, heights scaled to the busiest month."""
    busiest = max((month["total"] for month in trend), default=0) or 1
    columns = []
    for index, month in enumerate(trend):
        bottom = TREND_HEIGHT
        segments = []
        for value, label in Classification.choices:
            count = month.get(value, 0)
            height = round(count / busiest * TREND_HEIGHT)
            if count:
                segments.append(
                    Segment(bottom - height, height, CLASS_COLOURS[value], label, count)
                )
            bottom -= height
        columns.append(
            Column(
                x=index * TREND_STEP,
                label=month["month"][2:].replace("-", "/"),
                total=month["total"],
                top=bottom,
                segments=segments,
            )
        )
    return columns


def class_legend() -> list[tuple[str, str]]:
    return [(label, CLASS_COLOURS[value]) for value, label in Classification.choices]


def share_width(share: float | None) -> int:
    return round((share or 0) * BAR_WIDTH)
