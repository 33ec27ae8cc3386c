"""The clocks' and reports' queries can use the partial indexes on open complaints (migration
complaints 0010): their cost then follows what is open, not the years of history (R-FUP-1..3
scans; docs/performance.md). A query whose condition drifts from its index's predicate would
silently read the whole table again; this catches it."""

from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone

from complaints.models import Complaint
from tests.factories import ComplaintFactory

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="plans are PostgreSQL's"),
]


def plan(queryset) -> str:
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")  # a tiny table would be read whole
        return queryset.explain()


OPEN_INDEXES = ("complaint_office_status", "complaint_open_by_office")


def plan_of(sql: str, *, off=("seqscan",)) -> str:
    """The plan of a query the code ran (captured), with the scans of `off` disabled."""
    with connection.cursor() as cursor:
        for scan in off:
            cursor.execute(f"SET LOCAL enable_{scan} = off")
        cursor.execute(f"EXPLAIN {sql}")
        return "\n".join(row[0] for row in cursor.fetchall())


@pytest.mark.parametrize(
    ("kind", "index"),
    [
        ("dispatch", "complaint_open_dispatch_due"),
        ("reply", "complaint_open_reply_due"),
        ("contact", "complaint_handling_contact_due"),
        ("revisit", "complaint_resolved_revisit_due"),
    ],
)
def test_each_chased_deadline_reads_its_partial_index(kind, index):
    ComplaintFactory()
    assert index in plan(Complaint.objects.overdue(kind, timezone.now()))


@pytest.mark.parametrize(
    ("field", "index"),
    [("alert_due", "complaint_open_alert_due"), ("report_due", "complaint_open_report_due")],
)
def test_the_escalation_scan_reads_the_open_due_index(field, index):
    ComplaintFactory()
    due = Complaint.objects.open().filter(**{f"{field}__lte": timezone.now()})
    assert index in plan(due)


def test_the_open_complaints_of_offices_read_the_open_index():
    complaint = ComplaintFactory()
    old = timezone.now() - timedelta(days=3)
    shift_review = Complaint.objects.open().filter(
        office_id__in=[complaint.office_id], received_at__lt=old
    )
    assert "complaint_open_by_office" in plan(shift_review)


def test_the_monthly_trend_is_counted_from_the_index_alone():
    # The trend of a branch reads twelve months of its offices: without the class in the index,
    # tens of thousands of heap pages at 1M complaints (migration complaints 0020).
    from zoneinfo import ZoneInfo

    from django.test.utils import CaptureQueriesContext

    from reports.kpis import monthly_trend

    complaint = ComplaintFactory()
    zone = ZoneInfo("Asia/Shanghai")
    offices = Complaint.objects.filter(office_id__in=[complaint.office_id])
    with CaptureQueriesContext(connection) as captured:
        trend = monthly_trend(offices, month=timezone.localdate(timezone=zone), zone=zone)
    assert sum(month["total"] for month in trend) == 1
    (query,) = captured.captured_queries
    only_index = plan_of(query["sql"], off=("seqscan", "bitmapscan", "indexscan"))
    assert "Index Only Scan using complaint_office_received_class" in only_index


def test_the_managers_work_queues_are_counted_from_the_open_complaints():
    # One aggregate counts the home page's queues; each is of open complaints, so it reads the
    # office's open ones through an index, not its whole history (issue 20, item 3).
    from django.test.utils import CaptureQueriesContext

    from accounts.roles import Role
    from reports.home import office_manager
    from tests.factories import staff

    complaint = ComplaintFactory()
    manager = staff(Role.OFFICE_MANAGER, office=complaint.office)
    with CaptureQueriesContext(connection) as captured:
        queue = office_manager(manager, now=timezone.now())
    assert {tile.name: tile.count for tile in queue.tiles}["waiting_closure"] == 0
    (count,) = [q["sql"] for q in captured.captured_queries if 'AS "waiting_closure"' in q["sql"]]
    assert any(index in plan_of(count) for index in OPEN_INDEXES)


def test_the_quality_departments_office_counts_are_read_from_the_open_complaints():
    from django.test.utils import CaptureQueriesContext

    from accounts.roles import Role
    from reports.home import quality_department
    from tests.factories import staff

    complaint = ComplaintFactory()
    quality = staff(Role.QUALITY_DEPARTMENT, branch=complaint.office.branch)
    with CaptureQueriesContext(connection) as captured:
        queue = quality_department(quality, now=timezone.now())
    assert [row["open"].count for row in queue.offices] == [1]
    (count,) = [q["sql"] for q in captured.captured_queries if 'AS "overdue"' in q["sql"]]
    assert any(index in plan_of(count) for index in OPEN_INDEXES)
