"""Who configures the categories of a branch: its quality department adds and edits the
branch's own categories (already granted) and hides every-branch ones for its offices."""

from django.db import migrations

from accounts.rolegroups import grant_role_permissions

VIEW = ["complaints.view_hiddencategory"]
PERMISSIONS = {
    "customer_supervisor": VIEW,
    "office_manager": VIEW,
    "branch_gm": VIEW,
    "quality_department": [
        *VIEW,
        "complaints.add_hiddencategory",
        "complaints.change_hiddencategory",
        "complaints.delete_hiddencategory",
    ],
}


def grant(apps, schema_editor):
    grant_role_permissions(apps, PERMISSIONS)


class Migration(migrations.Migration):
    dependencies = [("complaints", "0014_categories_by_branch")]

    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
