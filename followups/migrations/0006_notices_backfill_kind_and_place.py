"""Notices written before the catalogue: the kind each really is, and the place whose role made
the recipient an addressee (so the mail sender can check them again)."""

from django.db import migrations
from django.db.models import OuterRef, Subquery

# A deadline notice's key starts with the deadline it chases; the GM's report kept the day-15 kind.
DEADLINE_KINDS = {
    "dispatch:": "dispatch_overdue",
    "reply:": "reply_overdue",
    "contact:": "contact_overdue",
    "revisit:": "revisit_overdue",
    "report_missing:": "report_missing",
}


def _id(key: str, position: int, prefix: str = "") -> int | None:
    """The number at `position` of a key such as "digest:12:2026-11-20" ("office12" with prefix)."""
    parts = key.split(":")
    value = parts[position] if len(parts) > position else ""
    value = value.removeprefix(prefix)
    return int(value) if value.isascii() and value.isdigit() else None


def forwards(apps, schema_editor):
    Notification = apps.get_model("followups", "Notification")
    Complaint = apps.get_model("complaints", "Complaint")
    Office = apps.get_model("accounts", "Office")
    ShiftReview = apps.get_model("followups", "ShiftReview")
    MonthlyReport = apps.get_model("reports", "MonthlyReport")
    for prefix, kind in DEADLINE_KINDS.items():
        Notification.objects.filter(kind="deadline", key__startswith=prefix).update(kind=kind)
    Notification.objects.filter(kind="escalation_15", key__startswith="gm_report:").update(
        kind="gm_report"
    )
    Notification.objects.filter(complaint__isnull=False, office__isnull=True).update(
        office=Subquery(Complaint.objects.filter(pk=OuterRef("complaint")).values("office")[:1])
    )
    Branch = apps.get_model("accounts", "Branch")
    branch_of = dict(Office.objects.values_list("pk", "branch_id"))
    branches = set(Branch.objects.values_list("pk", flat=True))
    unplaced = Notification.objects.filter(office__isnull=True, branch__isnull=True)
    for notice in unplaced.only("pk", "kind", "key").iterator():
        office = branch = None
        if notice.kind in ("digest", "weekly"):
            office = _id(notice.key, 1)
        elif notice.kind == "review_late":
            review = ShiftReview.objects.filter(pk=_id(notice.key, 1)).first()
            office = review.office_id if review else None
        elif notice.kind == "report":
            report = MonthlyReport.objects.filter(pk=_id(notice.key, 1)).first()
            if report:
                branch = report.branch_id or branch_of.get(report.office_id)
        elif notice.kind == "report_missing":
            subject = notice.key.split(":")[1] if ":" in notice.key else ""
            if subject.startswith("office"):
                branch = branch_of.get(_id(notice.key, 1, "office"))
            else:
                branch = _id(notice.key, 1, "branch")
        if office in branch_of:
            Notification.objects.filter(pk=notice.pk).update(office_id=office)
        elif branch in branches:
            Notification.objects.filter(pk=notice.pk).update(branch_id=branch)


class Migration(migrations.Migration):
    dependencies = [
        ("followups", "0005_notices_name_their_place"),
        ("reports", "0001_monthly_report"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
