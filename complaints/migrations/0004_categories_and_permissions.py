"""The typical categories of R-CAT-1 (editable afterwards) and the roles' permissions."""

from django.db import migrations

from accounts.rolegroups import grant_role_permissions

CATEGORIES = [
    "装修噪音",
    "公共设施故障",
    "户内维修",
    "邮件包裹",
    "清洁绿化",
    "虫鼠害",
    "员工态度",
    "收费问题",
    "安全停车",
    "其他",
]

VIEW_ALL = [
    "complaints.view_complaint",
    "complaints.view_complaintevent",
    "complaints.view_dutylogentry",
    "complaints.view_shifthandover",
    "complaints.view_websitescan",
    "complaints.view_category",
    "complaints.view_calendaroverride",
]
PERMISSIONS = {
    "client_assistant": [],
    "customer_supervisor": VIEW_ALL,
    "office_manager": VIEW_ALL,
    "branch_gm": VIEW_ALL,
    "quality_department": [
        *VIEW_ALL,
        "complaints.add_category",
        "complaints.change_category",
        "complaints.add_calendaroverride",
        "complaints.change_calendaroverride",
        "complaints.delete_calendaroverride",
    ],
}


def seed(apps, schema_editor):
    Category = apps.get_model("complaints", "Category")
    for position, name in enumerate(CATEGORIES, start=1):
        Category.objects.get_or_create(name=name, defaults={"position": position * 10})
    grant_role_permissions(apps, PERMISSIONS)


class Migration(migrations.Migration):
    dependencies = [("complaints", "0003_complaint_record_and_duty_log")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
