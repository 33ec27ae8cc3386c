"""The roles' permissions on the follow-up records (read-only: the workflow writes them) and
the office manager's closure approval queue in the admin (R-CLO-3)."""

from django.db import migrations

from accounts.rolegroups import grant_role_permissions

VIEW_ALL = [
    "followups.view_contact",
    "followups.view_dispatch",
    "followups.view_correctiveaction",
    "followups.view_revisit",
    "followups.view_escalation",
    "followups.view_shiftreview",
    "followups.view_shiftreviewitem",
    "followups.view_notification",
]
PERMISSIONS = {
    "customer_supervisor": VIEW_ALL,
    # "change" lets the manager run the approve / reject actions; every field stays read-only.
    "office_manager": [
        *VIEW_ALL,
        "followups.view_closurerequest",
        "followups.change_closurerequest",
    ],
    "branch_gm": VIEW_ALL,
    "quality_department": VIEW_ALL,
}


def grant(apps, schema_editor):
    grant_role_permissions(apps, PERMISSIONS)


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0002_role_groups"),
        ("followups", "0002_closurerequest"),
    ]

    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
