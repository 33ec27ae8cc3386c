"""Grant model permissions to the role groups; called from data migrations of each app."""


def grant_role_permissions(apps, perms_by_role: dict[str, list[str]]) -> None:
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
