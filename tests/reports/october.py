"""A hand-built October of one office, where every KPI is known (docs/procedure.md: Work standards).

October 2026, office time Asia/Shanghai (UTC+8). Complaints received in the month:

| complaint        | received (local) | what happens                                           |
| ---------------- | ---------------- | ------------------------------------------------------ |
| first_morning    | 1 Oct 00:30      | nothing yet (30 Sep in UTC, still October locally)     |
| closed_fast      | 5 Oct 09:00      | replied, handled, satisfied & courteous, closed +27 h  |
| urgent_late      | 8 Oct 10:00      | urgent, entered late, dispatched late twice, D10 + D15 |
| superseded       | 12 Oct 09:00     | handled, revisit unsatisfied → superseded              |
| successor        | 13 Oct 11:00     | the new complaint linked to `superseded` (R-REV-2)     |
| reclassified     | 20 Oct 09:00     | to-improve, understands, closed +27 h, then made valid |
| next_month_close | 30 Oct 10:00     | to-improve, revisited late, closed 3 Nov (+96 h)       |
| last_minute      | 31 Oct 23:59     | urgent, incomplete record, dispatched 1 Nov on time    |
"""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from accounts.roles import Role
from complaints.models import Complaint
from followups.models import Escalation
from followups.workflow import (
    approve_closure,
    dispatch,
    record_contact,
    record_revisit,
)
from tests.factories import (
    BuildingFactory,
    CategoryFactory,
    ComplaintFactory,
    DutyLogEntryFactory,
    OfficeFactory,
    staff,
)
from tests.followups.states import handled

SHANGHAI = ZoneInfo("Asia/Shanghai")
OCTOBER = datetime(2026, 10, 1).date()


def at(month, day, hour, minute=0):
    return datetime(2026, month, day, hour, minute, tzinfo=SHANGHAI)


class Desk:
    """One office's people and the steps they take, each through followups.workflow."""

    def __init__(self, office):
        self.office = office
        self.assistant = staff(Role.CLIENT_ASSISTANT, office=office)
        self.manager = staff(Role.OFFICE_MANAGER, office=office)
        self.noise = CategoryFactory(name="噪音")
        self.block_1 = BuildingFactory(office=office, name="1栋")

    def receive(self, received_at, logged=True, **fields):
        """A complaint as intake records it, with its duty-log line unless `logged` is False."""
        fields = {"category": self.noise, "building": self.block_1, **fields}
        complaint = ComplaintFactory(
            office=self.office, received_by=self.assistant, received_at=received_at, **fields
        )
        if logged:
            DutyLogEntryFactory(
                office=self.office, kind="complaint", complaint=complaint, occurred_at=received_at
            )
        return complaint

    def revisit(self, complaint, handled_at, revisited_at, outcome, courteous=None):
        handled(complaint, self.assistant, handled_at)
        record_revisit(
            complaint,
            by=self.assistant,
            method="phone",
            outcome=outcome,
            courteous=courteous,
            remarks="仍然有噪音" if outcome == "unsatisfied" else "",
            now=revisited_at,
        )
        complaint.refresh_from_db()
        return complaint

    def close(self, complaint, closed_at):
        return approve_closure(complaint, by=self.manager, now=closed_at)

    def send(self, complaint, department, sent_at):
        dispatch(
            complaint,
            by=self.assistant,
            department=department,
            instructions="立即派人处理",
            due_at=sent_at + timedelta(hours=4),
            now=sent_at,
        )


@pytest.fixture
def desk():
    return Desk(OfficeFactory(code="HY", time_zone="Asia/Shanghai"))


@pytest.fixture
def october(desk):
    """The October of the module docstring, plus what must stay out of it."""
    d = desk
    c = {}
    # Typed in later without its duty-log line (work standard 2).
    c["first_morning"] = d.receive(at(10, 1, 0, 30), logged=False)

    c["closed_fast"] = d.receive(at(10, 5, 9))
    record_contact(
        c["closed_fast"], by=d.assistant, kind="reply", method="phone", summary="答复",
        now=at(10, 5, 12),
    )  # fmt: skip
    d.revisit(c["closed_fast"], at(10, 6, 9), at(10, 6, 11), "satisfied", courteous=True)
    d.close(c["closed_fast"], at(10, 6, 12))

    c["urgent_late"] = d.receive(
        at(10, 8, 10), urgent_kind="safety", entered_at=at(10, 8, 13)
    )  # due 10:30
    d.send(c["urgent_late"], "engineering", at(10, 8, 11))
    d.send(c["urgent_late"], "engineering", at(10, 9, 11))
    # What the escalation scan writes on day 10 and day 15 (R-FUP-2/3).
    Escalation.objects.create(complaint=c["urgent_late"], level=10, at=at(10, 18, 10))
    Escalation.objects.create(complaint=c["urgent_late"], level=15, at=at(10, 23, 10))

    c["superseded"] = d.receive(at(10, 12, 9))
    d.revisit(c["superseded"], at(10, 13, 9), at(10, 13, 11), "unsatisfied")
    c["successor"] = Complaint.objects.get(linked_to=c["superseded"])

    c["reclassified"] = d.receive(
        at(10, 20, 9), classification="to_improve", responsible_party="开发商"
    )
    d.revisit(c["reclassified"], at(10, 21, 9), at(10, 21, 11), "understands", courteous=True)
    d.close(c["reclassified"], at(10, 21, 12))
    # Corrected to "valid" after closure: the closure now breaks R-CLO-1.
    Complaint.objects.filter(pk=c["reclassified"].pk).update(classification="valid")

    c["next_month_close"] = d.receive(
        at(10, 30, 10), classification="to_improve", responsible_party="开发商"
    )
    d.send(c["next_month_close"], "cleaning", at(10, 30, 11))
    # Resolved 31 Oct 10:01, revisit due 1 Nov 10:01, revisited 2 Nov: late (R-REV-1).
    d.revisit(c["next_month_close"], at(10, 31, 10), at(11, 2, 10), "understands", courteous=False)
    d.close(c["next_month_close"], at(11, 3, 10))

    c["last_minute"] = d.receive(
        at(10, 31, 23, 59),
        urgent_kind="facility",
        facility_kind="lift",
        customer_request="",  # R-REC-3: incomplete
        channel="visit",
        severity="serious",
        category=CategoryFactory(name="设施"),
        building=BuildingFactory(office=d.office, name="2栋"),
    )
    d.send(c["last_minute"], "engineering", at(11, 1, 0, 10))

    # Outside October: 1 Nov 00:30 local is still 31 Oct in UTC.
    d.receive(at(11, 1, 0, 30))
    return c


@pytest.fixture
def september(desk):
    """Complaints received before October; three are still open when October ends."""
    d = desk
    open_sep = d.receive(at(9, 20, 10))  # carried over
    Escalation.objects.create(complaint=open_sep, level=10, at=at(9, 30, 10))  # not October's
    closed_sep = d.receive(at(9, 10, 10))
    d.revisit(closed_sep, at(9, 11, 9), at(9, 11, 11), "satisfied", courteous=True)
    d.close(closed_sep, at(9, 12, 9))
    superseded_sep = d.receive(at(9, 15, 10))
    d.revisit(superseded_sep, at(9, 16, 9), at(9, 16, 11), "unsatisfied")  # successor carried
    closed_nov = d.receive(at(9, 25, 10))  # carried: still open on 31 Oct
    d.revisit(closed_nov, at(10, 30, 9), at(10, 30, 11), "satisfied")
    d.close(closed_nov, at(11, 2, 9))


GENERATED = at(11, 1, 0, 30)  # the report job's run on the 1st
