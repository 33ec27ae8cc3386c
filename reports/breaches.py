"""Breaches of the work standards, graded serious, general or minor (the grading rules are in
docs/architecture.md, "Rules the desk adds to the procedure"). A breach is one complaint that
a standard applies to and that missed it; a violating closure (standard 7) is always serious.

Counted with the same `Measure`s as the figures (`reports.measures`), so the list and the
figures never disagree; one query per graded standard."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

from django.db.models import QuerySet

from .kpis import received_in
from .measures import annotated, measures, violating_closure

SERIOUS, GENERAL, MINOR = "serious", "general", "minor"
GRADES = {
    # serious: the customer's safety or the closure's honesty is at stake
    "violating_closure": SERIOUS,  # standard 7, R-CLO-1/2
    "urgent_dispatched_on_time": SERIOUS,  # standard 4, R-URG-1
    # general: the customer waited longer than the procedure allows
    "replied_on_time": GENERAL,  # standard 4, R-REPLY-3
    "contacted_every_3_days": GENERAL,  # standard 5, R-URG-2
    "revisited_on_time": GENERAL,  # standard 6, R-REV-1
    "accepted": GENERAL,  # standard 2, R-REC-1
    # minor: the record, not the customer, suffered
    "entered_on_time": MINOR,  # standard 3, R-REC-2
    "complete_records": MINOR,  # standard 8, R-REC-3
}
LIST_LIMIT = 200  # the report lists at most this many breaches (the counts are exact)


def month_breaches(
    complaints: QuerySet, *, month: date, zone: ZoneInfo, now: datetime, duty_log_kept: bool
) -> dict:
    """{"by_grade": {grade: n}, "list": [{"number", "standard", "grade"}, …]} of the month's
    complaints. Without the duty log (`duty_log_kept` False: purged after a year, R-LOG-3)
    standard 2 cannot be recounted and is left out rather than counted as breached."""
    rows = annotated(received_in(complaints, month=month, zone=zone).order_by(), now=now)
    found = []
    for measure in measures():
        if measure.name not in GRADES or (measure.name == "accepted" and not duty_log_kept):
            continue
        for number in (
            rows.filter(measure.applies).exclude(measure.met).values_list("number", flat=True)
        ):
            found.append(
                {"number": number, "standard": measure.name, "grade": GRADES[measure.name]}
            )
    for number in rows.filter(violating_closure()).values_list("number", flat=True):
        found.append({"number": number, "standard": "violating_closure", "grade": SERIOUS})
    by_grade = {grade: 0 for grade in (SERIOUS, GENERAL, MINOR)}
    for breach in found:
        by_grade[breach["grade"]] += 1
    order = {SERIOUS: 0, GENERAL: 1, MINOR: 2}
    found.sort(key=lambda b: (order[b["grade"]], b["number"], b["standard"]))
    return {"by_grade": by_grade, "list": found[:LIST_LIMIT]}
