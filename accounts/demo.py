"""Demo offices, estates and staff for `manage.py seed_demo`; idempotent (keyed by codes)."""

from datetime import time

from django.db import transaction

from complaints.models import Building, Unit

from .models import Branch, Membership, Office, Shift, User
from .roles import Role

DEMO_PASSWORD = "desk-demo-2026"

BRANCH = ("SZ", "深圳分公司")
OFFICES = [
    # code, name, buildings (楼栋), units (单元) per building
    ("HY", "华苑管理处", ["1栋", "2栋", "3栋", "5栋", "6栋"], ["1单元", "2单元"]),
    ("CH", "翠湖山庄管理处", ["A座", "B座", "C座"], ["1单元", "2单元", "3单元"]),
    ("BH", "碧海花园管理处", ["1栋", "2栋", "3栋", "4栋"], ["1单元"]),
]
SHIFTS = [("早班", time(8, 0)), ("晚班", time(20, 0))]
OFFICE_STAFF = [
    # username suffix, full name per office, role
    ("assistant", ["李娜", "陈静", "黄丽"], Role.CLIENT_ASSISTANT),
    ("assistant2", ["王芳", "赵敏", "周婷"], Role.CLIENT_ASSISTANT),
    ("supervisor", ["张伟", "刘洋", "吴强"], Role.CUSTOMER_SUPERVISOR),
    ("manager", ["杨建国", "孙志刚", "郑海涛"], Role.OFFICE_MANAGER),
]
BRANCH_STAFF = [
    ("gm", "马文华", Role.BRANCH_GM),
    ("quality", "林晓燕", Role.QUALITY_DEPARTMENT),
]


def _user(username: str, full_name: str) -> User:
    user, created = User.objects.get_or_create(username=username, defaults={"full_name": full_name})
    if created:
        user.set_password(DEMO_PASSWORD)
        user.save(update_fields=["password"])
    return user


@transaction.atomic
def seed_organisation() -> list[tuple[str, str, str]]:
    """Create the branch, offices, estates and staff; return (username, name, role) rows."""
    branch, _ = Branch.objects.get_or_create(code=BRANCH[0], defaults={"name": BRANCH[1]})
    logins = []
    for index, (code, name, buildings, units) in enumerate(OFFICES):
        office, _ = Office.objects.get_or_create(
            code=code, defaults={"name": name, "branch": branch}
        )
        for shift_name, starts_at in SHIFTS:
            Shift.objects.get_or_create(
                office=office, starts_at=starts_at, defaults={"name": shift_name}
            )
        for building_name in buildings:
            building, _ = Building.objects.get_or_create(office=office, name=building_name)
            for unit_name in units:
                Unit.objects.get_or_create(building=building, name=unit_name)
        for suffix, names, role in OFFICE_STAFF:
            username = f"{code.lower()}-{suffix}"
            user = _user(username, names[index])
            Membership.objects.get_or_create(user=user, role=role, office=office)
            logins.append((username, user.full_name, f"{Role(role).label} · {office.name}"))
    for username, full_name, role in BRANCH_STAFF:
        user = _user(username, full_name)
        Membership.objects.get_or_create(user=user, role=role, branch=branch)
        logins.append((username, full_name, f"{Role(role).label} · {branch.name}"))
    return logins
