"""Where each clock of a complaint stands, and how the desk says it (no database)."""

from datetime import datetime, timedelta
from types import SimpleNamespace
from zoneinfo import ZoneInfo

import pytest

from complaints.timeleft import (
    State,
    complaint_deadlines,
    format_duration,
    next_deadline,
    time_left,
)

pytestmark = pytest.mark.usefixtures("english")
SHANGHAI = ZoneInfo("Asia/Shanghai")
NOW = datetime(2026, 11, 20, 10, 0, tzinfo=SHANGHAI)


def complaint(**fields):
    """A stand-in with the stored clocks of a complaint received an hour ago, open."""
    received_at = NOW - timedelta(hours=1)
    values = {
        "is_open": True,
        "entry_due": received_at + timedelta(hours=2),
        "entered_at": received_at + timedelta(minutes=10),
        "dispatch_due": None,
        "dispatched_at": None,
        "reply_due": received_at + timedelta(days=3),
        "replied_at": None,
        "next_contact_due": received_at + timedelta(days=3),
        "revisit_due": None,
        "revisited_at": None,
        "alert_due": received_at + timedelta(days=10),
        "report_due": received_at + timedelta(days=15),
    }
    values.update(fields)
    return SimpleNamespace(**values)


def test_a_deadline_later_today_says_the_time_left():
    left = time_left(NOW + timedelta(hours=5, minutes=30), now=NOW)
    assert left.state is State.RUNNING
    assert left.text == "5 h 30 min left"


def test_a_deadline_within_two_hours_is_due_soon():
    assert time_left(NOW + timedelta(minutes=90), now=NOW).state is State.SOON


def test_a_passed_deadline_says_how_long_it_is_overdue():
    left = time_left(NOW - timedelta(hours=3), now=NOW)
    assert left.is_overdue
    assert left.text == "overdue by 3 h"
    assert left.tone == "danger"


def test_a_deadline_is_not_overdue_at_the_exact_due_time():
    # Same boundary as ComplaintQuerySet.overdue: due < now.
    assert not time_left(NOW, now=NOW).is_overdue


def test_a_deadline_met_in_time_is_met_whatever_now_is():
    due = NOW - timedelta(days=2)
    left = time_left(due, now=NOW, met_at=due - timedelta(minutes=5))
    assert left.state is State.MET
    assert not left.is_pending


def test_a_deadline_met_after_the_due_time_says_how_late():
    due = NOW - timedelta(hours=4)
    left = time_left(due, now=NOW, met_at=due + timedelta(minutes=40))
    assert left.state is State.MET_LATE
    assert left.text == "met 40 min late"


def test_an_unmet_deadline_of_a_complaint_no_longer_open_is_stopped_not_overdue():
    left = time_left(NOW - timedelta(days=1), now=NOW, running=False)
    assert left.state is State.STOPPED
    assert not left.is_pending


@pytest.mark.parametrize(
    "delta, text",
    [
        (timedelta(days=2, hours=4, minutes=10), "2 d 4 h"),
        (timedelta(days=10), "10 d"),
        (timedelta(hours=3, minutes=20, seconds=59), "3 h 20 min"),
        (timedelta(minutes=45), "45 min"),
        (timedelta(seconds=20), "less than a minute"),
    ],
)
def test_durations_read_in_their_two_largest_units(delta, text):
    assert format_duration(delta) == text


def test_an_entry_after_two_hours_is_a_late_entry():  # R-REC-2
    late = complaint(entered_at=NOW, entry_due=NOW - timedelta(minutes=30))
    entry = complaint_deadlines(late, now=NOW)[0]
    assert entry.key == "entry"
    assert entry.left.state is State.MET_LATE
    assert entry.left.text == "met 30 min late"


def test_only_urgent_matters_have_a_dispatch_clock():  # R-URG-1
    plain = [d.key for d in complaint_deadlines(complaint(), now=NOW)]
    urgent = [
        d.key
        for d in complaint_deadlines(complaint(dispatch_due=NOW + timedelta(minutes=20)), now=NOW)
    ]
    assert "dispatch" not in plain
    assert "dispatch" in urgent


def test_an_answer_given_at_once_has_no_agreed_reply_clock():  # R-REPLY-1
    keys = [d.key for d in complaint_deadlines(complaint(reply_due=None), now=NOW)]
    assert "reply" not in keys


def test_an_open_complaint_shows_every_clock_of_the_procedure_in_order():
    keys = [
        d.key
        for d in complaint_deadlines(
            complaint(
                dispatch_due=NOW + timedelta(minutes=20), revisit_due=NOW + timedelta(hours=20)
            ),
            now=NOW,
        )
    ]
    assert keys == ["entry", "dispatch", "reply", "contact", "revisit", "alert", "report"]


def test_the_clocks_of_a_closed_complaint_stop():
    closed = complaint(is_open=False, next_contact_due=NOW - timedelta(days=1))
    contact = next(d for d in complaint_deadlines(closed, now=NOW) if d.key == "contact")
    assert contact.left.state is State.STOPPED


def test_the_next_deadline_is_the_earliest_one_not_met():
    deadlines = complaint_deadlines(
        complaint(
            reply_due=NOW - timedelta(hours=3),
            next_contact_due=NOW + timedelta(hours=1),
        ),
        now=NOW,
    )
    upcoming = next_deadline(deadlines)
    assert upcoming.key == "reply"
    assert upcoming.left.is_overdue


def test_a_met_deadline_is_never_the_next_one():
    deadlines = complaint_deadlines(
        complaint(reply_due=NOW - timedelta(hours=3), replied_at=NOW - timedelta(hours=4)),
        now=NOW,
    )
    assert next_deadline(deadlines).key == "contact"


def test_a_complaint_no_longer_open_has_no_next_deadline():
    assert next_deadline(complaint_deadlines(complaint(is_open=False), now=NOW)) is None
