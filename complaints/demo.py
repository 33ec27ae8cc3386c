"""Demo complaints for `manage.py seed_demo`: a few hundred over the last three months, in
Chinese, recorded through the intake workflow so every number and deadline is real."""

import random
from datetime import timedelta

from django.utils import timezone

from accounts.models import Office
from accounts.roles import Role
from accounts.staffing import staff

from .models import Building, Category, Complaint
from .workflow import log_repeat_call, record_complaint

SEED = 20261122
PER_OFFICE = {"HY": 110, "CH": 80, "BH": 60}
SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何林罗高郑梁谢宋唐许韩冯邓曹彭曾肖田董潘袁蔡蒋余于杜叶程"
)
MATTERS = {
    "装修噪音": [
        ("楼上邻居晚上十点后仍在装修，电钻声很大，影响休息", "要求管理处立即制止夜间施工"),
        ("隔壁单元周末早上七点开始砸墙", "要求按装修管理规定限制施工时间"),
    ],
    "公共设施故障": [
        ("单元门禁刷卡无反应，老人进出不便", "尽快修复门禁"),
        ("电梯运行时异响，门开关不灵敏", "请安排维保单位检修电梯"),
        ("地下车库照明坏了三盏，晚上很暗", "尽快更换灯具"),
        ("单元楼道感应灯不亮", "请维修楼道灯"),
    ],
    "户内维修": [
        ("厨房水管接口漏水，已影响楼下", "请派维修人员上门处理"),
        ("卫生间地漏返味严重", "上门检查疏通"),
    ],
    "邮件包裹": [
        ("快递放在前台两天没有通知，包裹丢失", "查找包裹并给出说法"),
        ("报纸经常被别人拿走", "加强信报箱管理"),
    ],
    "清洁绿化": [
        ("垃圾桶满了一天没人清理，气味很大", "增加垃圾清运次数"),
        ("小区草坪修剪后草屑堆在路边未清扫", "及时清扫"),
        ("楼道有小广告，长期没有清理", "清理小广告"),
    ],
    "虫鼠害": [
        ("地下室发现老鼠，担心咬坏电线", "尽快组织灭鼠"),
        ("小区水池蚊子很多", "喷洒药物消杀"),
    ],
    "员工态度": [
        ("保安对访客态度生硬，说话不礼貌", "对当事员工进行教育并道歉"),
        ("前台接电话时不耐烦，没有记录我的问题", "改善服务态度"),
    ],
    "收费问题": [
        ("物业费账单比上月多出一笔公摊电费，没有说明", "解释收费依据，不合理的退还"),
        ("停车费涨价没有提前公示", "公示收费标准"),
    ],
    "安全停车": [
        ("有外来车辆长期占用我的车位", "清理占位车辆"),
        ("小区门口电动车乱停，堵住消防通道", "规范停放，保持通道畅通"),
    ],
    "其他": [
        ("小区公告栏信息太旧，没有更新", "及时更新公告"),
        ("希望增加儿童游乐设施", "考虑增设设施"),
    ],
}
TO_IMPROVE_PARTIES = ["开发商", "自来水公司", "供电局", "电梯厂家", "燃气公司"]


def _phone(rng: random.Random) -> str:
    return (
        "+86"
        + rng.choice(["138", "139", "135", "186", "137", "158", "189", "177"])
        + "".join(rng.choice("0123456789") for _ in range(8))
    )


def seed_complaints() -> int:
    """Record demo complaints for every demo office that has none yet; return how many."""
    rng = random.Random(SEED)
    categories = {c.name: c for c in Category.objects.all()}
    now = timezone.now()
    created = 0
    for office in Office.objects.filter(code__in=PER_OFFICE).order_by("code"):
        if Complaint.objects.filter(office=office).exists():
            continue
        assistants = list(staff(office, Role.CLIENT_ASSISTANT).order_by("username"))
        buildings = list(Building.objects.filter(office=office).prefetch_related("units"))
        callers: list[Complaint] = []
        receipts = sorted(
            now - timedelta(minutes=rng.randint(30, 90 * 24 * 60))
            for _ in range(PER_OFFICE[office.code])
        )
        for received_at in receipts:
            complaint = _demo_complaint(rng, office, buildings, categories, received_at, callers)
            delay = timedelta(minutes=rng.choice([5, 10, 15, 30, 45, 60, 90, 150, 200]))
            entered_at = min(received_at + delay, now)
            by = rng.choice(assistants)
            complaint.received_by = by
            complaint.reply_due = None
            record_complaint(_agree_reply(rng, complaint, office), by=by, now=entered_at)
            created += 1
            callers.append(complaint)
            if rng.random() < 0.08:  # the customer calls again the next day
                log_repeat_call(
                    complaint,
                    by=rng.choice(assistants),
                    note="客户再次来电询问处理进度",
                    now=min(entered_at + timedelta(days=1), now),
                )
    return created


def _agree_reply(rng, complaint: Complaint, office: Office) -> Complaint:
    from .workflow import set_deadlines

    set_deadlines(complaint)  # gives reply_latest for this receipt
    if rng.random() < 0.2:
        complaint.answered_at_once = True  # R-REPLY-1
    else:
        earlier = timedelta(hours=rng.choice([0, 0, 4, 24]))
        complaint.reply_due = max(
            complaint.reply_latest - earlier, complaint.received_at + timedelta(hours=1)
        )
    return complaint


def _demo_complaint(rng, office, buildings, categories, received_at, callers) -> Complaint:
    category_name = rng.choice(list(MATTERS))
    description, request = rng.choice(MATTERS[category_name])
    repeat = callers and rng.random() < 0.1
    earlier = rng.choice(callers) if repeat else None
    building = earlier.building if earlier else rng.choice(buildings)
    units = list(building.units.all())
    classification = rng.choices(["valid", "to_improve", "invalid"], weights=[70, 18, 12])[0]
    urgent = rng.random() < 0.12
    return Complaint(
        office=office,
        channel=rng.choices(
            ["phone", "visit", "letter", "email", "website", "relayed", "media"],
            weights=[50, 25, 4, 5, 10, 5, 1],
        )[0],
        complainant_name=earlier.complainant_name
        if earlier
        else rng.choice(SURNAMES) + rng.choice(["先生", "女士"]),
        phone=earlier.phone if earlier else _phone(rng),
        building=building,
        unit=earlier.unit if earlier else (rng.choice(units) if units else None),
        room=earlier.room if earlier else f"{rng.randint(1, 32)}{rng.randint(1, 4):02d}",
        received_at=received_at,
        category=categories.get(category_name),
        classification=classification,
        responsible_party=rng.choice(TO_IMPROVE_PARTIES) if classification == "to_improve" else "",
        severity=rng.choices(["serious", "general", "minor"], weights=[10, 65, 25])[0],
        is_major=rng.random() < 0.03,
        urgent_kind=("facility" if urgent else ""),
        facility_kind=(rng.choice(["power", "water", "lift", "smart"]) if urgent else ""),
        temperament=rng.choice(["", "rational", "emotional", "gloomy", "explosive"]),
        description=description,
        customer_request=request if rng.random() > 0.07 else "",
        linked_to=earlier,
    )
