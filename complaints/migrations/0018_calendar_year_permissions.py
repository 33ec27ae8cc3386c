"""Who confirms a year's working calendar: the branch's quality department, for its own branch
(a year for every branch is a superuser's, complaints.admin_config); the offices' supervisors and
managers and the branch GM read which years are confirmed."""

from django.db import migrations

from accounts.rolegroups import grant_role_permissions

VIEW = ["complaints.view_calendaryear"]
PERMISSIONS = {
    "customer_supervisor": VIEW,
    "office_manager": VIEW,
    "branch_gm": VIEW,
    "quality_department": [
        *VIEW,
        "complaints.add_calendaryear",
        "complaints.change_calendaryear",
        "complaints.delete_calendaryear",
    ],
}


def grant(apps, schema_editor):
    grant_role_permissions(apps, PERMISSIONS)


class Migration(migrations.Migration):
    dependencies = [("complaints", "0017_calendar_year_confirmation")]

    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
