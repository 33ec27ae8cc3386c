from django.db import migrations

from accounts.rolegroups import grant_role_permissions

PERMISSIONS = {
    "customer_supervisor": ["complaints.view_building", "complaints.view_unit"],
    "office_manager": [
        "complaints.view_building",
        "complaints.add_building",
        "complaints.change_building",
        "complaints.view_unit",
        "complaints.add_unit",
        "complaints.change_unit",
    ],
    "quality_department": ["complaints.view_building", "complaints.view_unit"],
}


def grant(apps, schema_editor):
    grant_role_permissions(apps, PERMISSIONS)


class Migration(migrations.Migration):
    dependencies = [("complaints", "0001_initial"), ("accounts", "0002_role_groups")]

    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
