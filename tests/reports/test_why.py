"""Why a complaint missed a deadline standard (issue 14, reports/why.py): not done at all, or
done after its deadline, each with its rule and the times in the office's words."""

from datetime import datetime
from types import SimpleNamespace
from zoneinfo import ZoneInfo

import pytest
from django.utils import translation

from reports.why import why_missed

SHANGHAI = ZoneInfo("Asia/Shanghai")
DUE = datetime(2026, 11, 3, 17, 0, tzinfo=SHANGHAI)
LATE = datetime(2026, 11, 4, 9, 30, tzinfo=SHANGHAI)

DEADLINES = [  # measure, when it was done, when it was due, rule
    ("urgent_dispatched_on_time", "dispatched_at", "dispatch_due", "R-URG-1"),
    ("replied_on_time", "replied_at", "reply_due", "R-REPLY-3"),
    ("revisited_on_time", "revisit_done_at", "revisit_due", "R-REV-1"),
]


@pytest.mark.parametrize(("name", "done_at", "due", "rule"), DEADLINES)
def test_a_step_never_taken_names_its_deadline_and_a_late_one_both_times(name, done_at, due, rule):
    with translation.override("zh-hans"):
        never = why_missed(name, SimpleNamespace(**{done_at: None, due: DUE}))
        late = why_missed(name, SimpleNamespace(**{done_at: LATE, due: DUE}))
    assert rule in never and "11-03 17:00" in never and "11-04" not in never
    assert rule in late and "11-03 17:00" in late and "11-04 09:30" in late
    assert never != late


def test_the_reasons_are_in_the_readers_language():
    complaint = SimpleNamespace(replied_at=None, reply_due=DUE)
    with translation.override("en"):
        english = why_missed("replied_on_time", complaint)
    with translation.override("zh-hans"):
        chinese = why_missed("replied_on_time", complaint)
    assert english == "no reply; agreed for 11-03 17:00 (R-REPLY-3)"
    assert chinese == "未答复；约定 11-03 17:00 答复（R-REPLY-3）"
