"""The monthly work-standard KPIs (docs/procedure.md: Work standards, R-RPT-1) over the hand-built
October of `tests/reports/october.py` (its docstring has the table of complaints)."""

from datetime import timedelta

import pytest

from accounts.roles import Role
from complaints.models import Complaint
from followups.models import ShiftReview, ShiftReviewItem
from followups.workflow import record_contact
from reports.kpis import monthly_kpis, monthly_trend
from tests.factories import OfficeFactory, ShiftFactory, staff
from tests.followups.states import handled
from tests.reports.october import GENERATED, OCTOBER, SHANGHAI, Desk, at

pytestmark = pytest.mark.django_db


@pytest.fixture
def kpis(desk, october, september):
    return monthly_kpis(Complaint.objects.all(), month=OCTOBER, zone=SHANGHAI, now=GENERATED)


def test_the_month_counts_complaints_received_in_local_time(kpis, october):
    # R-RPT-1: the month of receipt in office time — 1 Oct 00:30 (30 Sep UTC) and 31 Oct 23:59
    # count; 1 Nov 00:30 (31 Oct UTC) does not; closing in November keeps it in October.
    assert kpis.received == 8
    assert kpis.month == OCTOBER


def test_acceptance_counts_complaints_with_their_duty_log_line(kpis):
    # WS2, R-REC-1: first_morning was recorded without its line; the successor got one from
    # the revisit workflow.
    assert (kpis.accepted.met, kpis.accepted.of) == (7, 8)


def test_contact_every_3_days_up_to_resolution_or_the_reports_generation(kpis):
    # WS5, R-URG-2: first_morning, urgent_late and successor were never contacted and are still
    # handled on 1 Nov; the others were resolved within 3 days of receipt or last contact, and
    # last_minute's 3 days have not run out when the report is generated.
    assert (kpis.contacted_every_3_days.met, kpis.contacted_every_3_days.of) == (5, 8)


def test_entry_within_two_hours(kpis):
    assert (kpis.entered_on_time.met, kpis.entered_on_time.of) == (7, 8)  # WS3, R-REC-2


def test_complete_records(kpis):
    assert (kpis.complete_records.met, kpis.complete_records.of) == (7, 8)  # WS8, R-REC-3


def test_revisit_within_24_hours_counts_the_unsatisfied_revisit_of_a_superseded_one(kpis):
    # WS6, R-REV-1: four resolved; next_month_close was revisited after its 24 h.
    assert (kpis.revisited_on_time.met, kpis.revisited_on_time.of) == (3, 4)


def test_reply_by_the_agreed_time(kpis):
    # WS4, R-REPLY-3: every complaint has an agreed reply time; only closed_fast replied.
    assert (kpis.replied_on_time.met, kpis.replied_on_time.of) == (1, 8)


def test_urgent_dispatched_on_time(kpis):
    # WS4, R-URG-1: urgent_late 30 min late; last_minute dispatched 11 min after, next month.
    assert (kpis.urgent_dispatched_on_time.met, kpis.urgent_dispatched_on_time.of) == (1, 2)


def test_courtesy_counts_revisits_where_it_was_asked(kpis):
    # WS1: courteous on closed_fast and reclassified, not on next_month_close; not asked once.
    assert (kpis.courteous.met, kpis.courteous.of) == (2, 3)


def test_satisfaction_reads_the_last_revisit(kpis):
    # R-REV-2 / R-CLO-1..2: satisfied or understands, among the customers reached.
    assert (kpis.satisfied.met, kpis.satisfied.of) == (3, 4)


def test_violating_closures_are_counted(kpis):
    # WS7, R-CLO-1: reclassified is valid and closed on "understands".
    assert kpis.violating_closures == 1


def test_a_superseded_complaint_makes_one_re_complaint(kpis):
    assert kpis.re_complaints == 1  # R-REV-2: only the successor is linked


def test_escalations_of_the_months_complaints(kpis):
    # WS5, R-FUP-2/3: September's own day-10 alert stays out.
    assert (kpis.escalated_day_10, kpis.escalated_day_15) == (1, 1)


def test_time_to_close_includes_a_closure_in_the_next_month(kpis):
    # R-CLO-3: closed after 27 h, 27 h and 96 h (next_month_close, closed 3 Nov).
    assert kpis.hours_to_close_median == pytest.approx(27)
    assert kpis.hours_to_close_p90 == pytest.approx(82.2)


def test_carried_over_are_earlier_complaints_open_at_the_months_end(kpis):
    # R-FUP-1: open_sep, superseded_sep's successor, closed_nov (closed after 31 Oct).
    assert kpis.carried_over == 3


def test_breakdowns(kpis):
    # R-RPT-2: what the complaints were about and who handled them.
    assert kpis.by_classification == {"valid": 7, "to_improve": 1}
    assert kpis.by_channel == {"phone": 7, "visit": 1}
    assert kpis.by_category == {"噪音": 7, "设施": 1}
    assert kpis.by_severity == {"general": 7, "serious": 1}
    estate = Complaint.objects.first().office.name
    assert kpis.by_building == {f"{estate} · 1栋": 7, f"{estate} · 2栋": 1}
    # A complaint dispatched twice to one department counts once.
    assert kpis.by_department == {"engineering": 2, "cleaning": 1}


def test_an_empty_month_has_no_scores():
    kpis = monthly_kpis(Complaint.objects.all(), month=OCTOBER, zone=SHANGHAI)
    assert kpis.received == 0
    assert kpis.entered_on_time.share is None  # 0/0 is no score, not 0 %
    assert kpis.hours_to_close_median is None


def test_an_offices_queryset_leaves_out_another_offices_complaints(desk, october):
    other = Desk(OfficeFactory(code="XY", time_zone="Asia/Shanghai"))
    taken = other.receive(at(10, 10, 9), urgent_kind="safety")
    other.send(taken, "security", at(10, 10, 9, 10))
    supervisor = staff(Role.CUSTOMER_SUPERVISOR, office=desk.office)

    # The caller's scope is kept, whether an office's complaints or a user's view.
    for complaints in (
        Complaint.objects.filter(office=desk.office),
        Complaint.objects.visible_to(supervisor),
    ):
        kpis = monthly_kpis(complaints, month=OCTOBER, zone=SHANGHAI)
        assert kpis.received == 8
        assert kpis.urgent_dispatched_on_time.of == 2
        assert "security" not in kpis.by_department
    everything = monthly_kpis(Complaint.objects.all(), month=OCTOBER, zone=SHANGHAI)
    assert everything.received == 9


def test_buildings_of_two_estates_with_one_name_stay_apart(desk, october):
    # R-RPT-1: the branch's report says which estate's "1栋" the complaints came from
    other = Desk(OfficeFactory(code="XY", name="翠湖山庄", branch=desk.office.branch))
    other.receive(at(10, 10, 9))  # its own "1栋"

    kpis = monthly_kpis(Complaint.objects.all(), month=OCTOBER, zone=SHANGHAI)

    assert kpis.by_building["翠湖山庄 · 1栋"] == 1
    assert kpis.by_building[f"{desk.office.name} · 1栋"] == 7


def test_the_kpis_take_a_fixed_number_of_queries(desk, october, september,
                                                 django_assert_max_num_queries):  # fmt: skip
    # Aggregates in SQL; the count does not grow with the complaints.
    for day in range(2, 12):
        desk.receive(at(10, day, 15))
    with django_assert_max_num_queries(14):  # 2 for R-CHAN-2: offices, scans by day
        monthly_kpis(Complaint.objects.all(), month=OCTOBER, zone=SHANGHAI)


def test_a_gap_of_more_than_3_days_between_contacts_is_missed(desk):
    # WS5, R-URG-2: contacts on 2, 6 (a gap of 4 days) and 8 Oct, resolved on 9 Oct: missed,
    # although the last contact came in time; every 2 days up to the resolution: met.
    def contacted(received, days, resolved):
        complaint = desk.receive(received)
        for day in days:
            record_contact(
                complaint, by=desk.assistant, kind="progress", method="phone", summary="进展",
                now=at(10, day, 10),
            )  # fmt: skip
        handled(complaint, desk.assistant, resolved)
        return complaint

    contacted(at(10, 1, 9), [2, 6, 8], at(10, 9, 9))
    contacted(at(10, 1, 9), [3, 5, 7], at(10, 9, 9))
    kpis = monthly_kpis(Complaint.objects.all(), month=OCTOBER, zone=SHANGHAI, now=GENERATED)
    assert (kpis.contacted_every_3_days.met, kpis.contacted_every_3_days.of) == (1, 2)


def test_shift_reviews_done_within_30_minutes(desk):
    # WS5, R-FUP-1: a review whose items were all ticked by its due time is on time; one ticked
    # late, one never ticked and one without items but still inside its 30 minutes are not
    # (the last is not counted yet); another month's review stays out.
    shift = ShiftFactory(office=desk.office)
    old = desk.receive(at(9, 1, 9))

    def review(start, ticked_after=None):
        starts = start
        r = ShiftReview.objects.create(
            office=desk.office, shift=shift, starts_at=starts, due_at=starts + timedelta(minutes=30)
        )
        item = ShiftReviewItem.objects.create(review=r, complaint=old, reason="old_open")
        if ticked_after is not None:
            item.reviewed_at, item.reviewed_by, item.note = (
                starts + ticked_after, desk.assistant, "已联系业主",
            )  # fmt: skip
            item.save()
        return r

    review(at(10, 2, 8), timedelta(minutes=20))
    review(at(10, 3, 8), timedelta(minutes=45))
    review(at(10, 4, 8))
    review(at(9, 30, 8), timedelta(minutes=5))
    ShiftReview.objects.create(
        office=desk.office, shift=shift, starts_at=at(10, 31, 23, 50), due_at=at(11, 1, 0, 20)
    )
    kpis = monthly_kpis(Complaint.objects.all(), month=OCTOBER, zone=SHANGHAI, now=at(11, 1, 0, 10))
    assert (kpis.reviews_on_time.met, kpis.reviews_on_time.of) == (1, 3)


def test_the_quality_departments_own_complaints(desk, october):
    # R-QD-2: complaints the branch quality department recorded, and how many are closed.
    branch_one = desk.receive(at(10, 3, 9), channel="branch", handler=desk.manager)
    desk.receive(at(10, 4, 9), channel="branch", handler=desk.manager)
    desk.revisit(branch_one, at(10, 4, 9), at(10, 4, 11), "satisfied", courteous=True)
    desk.close(branch_one, at(10, 4, 12))
    kpis = monthly_kpis(Complaint.objects.all(), month=OCTOBER, zone=SHANGHAI, now=GENERATED)
    assert (kpis.quality_department_received, kpis.quality_department_closed) == (2, 1)


def test_the_trend_gives_twelve_months_by_class_in_one_query(
    desk, october, september, django_assert_num_queries
):
    # R-RPT-1: the report's 12-month trend, by local month of receipt; empty months are there.
    desk.receive(at(11, 5, 9), classification="invalid")  # after the month: left out
    with django_assert_num_queries(1):
        trend = monthly_trend(Complaint.objects.all(), month=OCTOBER, zone=SHANGHAI)
    assert [row["month"] for row in trend][:2] == ["2025-11", "2025-12"]
    assert len(trend) == 12
    by_month = {row["month"]: row for row in trend}
    assert by_month["2026-10"] == {
        "month": "2026-10", "total": 8, "valid": 7, "to_improve": 1, "invalid": 0,
    }  # fmt: skip
    assert by_month["2026-09"]["total"] == 5  # four received, one successor (R-REV-2)
    assert by_month["2026-08"]["total"] == 0


def test_a_reply_on_the_day_after_a_make_up_saturday_is_late(desk):
    # WS4, R-REPLY-2: received Thu 8 Oct, the 3rd working day is Mon 12 Oct because Sat 10 Oct
    # is a make-up working day; a reply on Tue 13 Oct misses it, one on Mon 12 Oct meets it.
    on_time, late = desk.receive(at(10, 8, 9)), desk.receive(at(10, 8, 9, 30))
    assert on_time.reply_due.astimezone(SHANGHAI).date() == at(10, 12, 0).date()
    for complaint, replied in ((on_time, at(10, 12, 17)), (late, at(10, 13, 10))):
        record_contact(
            complaint, by=desk.assistant, kind="reply", method="phone", summary="答复",
            now=replied,
        )  # fmt: skip
    kpis = monthly_kpis(Complaint.objects.all(), month=OCTOBER, zone=SHANGHAI, now=GENERATED)
    assert (kpis.replied_on_time.met, kpis.replied_on_time.of) == (1, 2)
