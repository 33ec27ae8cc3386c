"""Role groups and their model permissions.

Each app grants its roles' permissions in a data migration (`PERMISSIONS` there); the same
tables are applied again after every migrate and every flush (`post_migrate`), so the groups
are whole even after a test runner empties the database between transactional tests."""

import importlib

from django.db.models.signals import post_migrate


def grant_role_permissions(apps, perms_by_role: dict[str, list[str]], *, create=True) -> None:
    if create:
        from django.contrib.auth.management import create_permissions

        # Permissions are normally created after migrate; data migrations need them now.
        for app_config in apps.get_app_configs():
            app_config.models_module = True
            create_permissions(app_config, apps=apps, verbosity=0)
            app_config.models_module = None

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for role, perms in perms_by_role.items():
        group, _created = Group.objects.get_or_create(name=role)
        for perm in perms:
            app_label, codename = perm.split(".")
            group.permissions.add(
                Permission.objects.get(content_type__app_label=app_label, codename=codename)
            )


def keep_role_permissions(app_config, *migrations: str) -> None:
    """Re-apply the `PERMISSIONS` of the app's named data migrations after each migrate/flush.

    Called from the app's ready(); auth's own post_migrate handler (connected earlier) has
    created the app's permissions by the time this runs for the same app."""

    def regrant(sender, using="default", **kwargs):
        from django.apps import apps

        for name in migrations:
            table = importlib.import_module(f"{app_config.name}.migrations.{name}").PERMISSIONS
            grant_role_permissions(apps, table, create=False)

    post_migrate.connect(
        regrant, sender=app_config, weak=False, dispatch_uid=f"role-permissions-{app_config.label}"
    )
