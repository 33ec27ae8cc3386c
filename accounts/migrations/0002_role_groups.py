"""Create one auth group per role and give it the permissions of this app's models.

Later apps grant their own models' permissions in their own data migrations.
"""

from django.db import migrations

from accounts.rolegroups import grant_role_permissions

PERMISSIONS = {
    "client_assistant": [],
    "customer_supervisor": ["accounts.view_office", "accounts.view_shift"],
    "office_manager": [
        "accounts.view_office",
        "accounts.view_shift",
        "accounts.change_shift",
        "accounts.add_shift",
        "accounts.view_membership",
        "accounts.view_user",
    ],
    "branch_gm": ["accounts.view_branch", "accounts.view_office", "accounts.view_membership"],
    "quality_department": [
        "accounts.view_branch",
        "accounts.view_office",
        "accounts.view_shift",
        "accounts.view_membership",
        "accounts.view_user",
    ],
}


def create_role_groups(apps, schema_editor):
    grant_role_permissions(apps, PERMISSIONS)


def remove_role_groups(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=PERMISSIONS).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_role_groups, remove_role_groups)]
