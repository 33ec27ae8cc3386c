"""Load a large, realistic complaint history into PostgreSQL for `make bench` (issue: Scale).

    python -m bench.generate [--complaints 1000000 | --per-month 28000] [--offices 200]
                             [--branches 10] [--years 3] [--seed 2026]

Branches, offices, staff, shifts and buildings are written through the ORM (a few thousand
rows); complaints and their contacts, dispatches, revisits, escalations, timeline events and
duty-log lines go in with COPY, a month at a time, with a progress bar. The same seed gives
the same data. The target database must be empty of complaints (a fresh `migrate`).

`--per-month` gives every month the same volume instead of spreading `--complaints` over the
years with growth; each month draws from its own seed, so the last year of a 1-year and of a
5-year history hold the same complaints (`bench.run --compare` measures the two side by side).
"""

from __future__ import annotations

import argparse
import os
import random
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

SHANGHAI = ZoneInfo("Asia/Shanghai")


def setup_django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    os.environ.setdefault("DEBUG", "true")
    import django

    django.setup()


@dataclass
class Org:
    offices: list  # Office
    weights: list[float]
    staff: dict[int, dict[str, list[int]]]  # office id → role → user ids
    buildings: dict[int, list[tuple[int, str]]]  # office id → (pk, name)
    categories: list[tuple[int, str]]
    residents: dict[int, list[tuple[str, str]]] = field(default_factory=dict)


CHANNELS = [
    ("phone", 50),
    ("visit", 20),
    ("website", 9),
    ("relayed", 8),
    ("email", 5),
    ("letter", 4),
    ("media", 1),
    ("branch", 3),
]
CLASSES = [("valid", 70), ("to_improve", 20), ("invalid", 10)]
SEVERITIES = [("general", 70), ("minor", 20), ("serious", 10)]
URGENT = [("", 92), ("safety", 3), ("facility", 4), ("breach", 1)]
FACILITIES = ["lift", "water", "power", "gas", "access"]
DEPARTMENTS = ["engineering", "cleaning", "security", "landscaping", "customer_service"]
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘"
MATTERS = [
    "楼上装修噪音，晚上十点后仍在施工",
    "电梯经常停运，老人上下楼不便",
    "地下车库照明不足",
    "物业费账单与实际面积不符",
    "楼道垃圾未及时清理",
    "小区绿化带杂草丛生",
    "门禁卡失灵，访客无法进入",
    "快递被放在门口丢失",
    "保安态度生硬",
    "水管漏水渗到楼下",
    "宠物粪便无人清理",
    "外墙瓷砖脱落存在安全隐患",
    "停车位被长期占用",
    "消防通道堆放杂物",
]


def pick(rng: random.Random, table: list[tuple[str, int]]) -> str:
    return rng.choices([value for value, _w in table], [w for _v, w in table])[0]


def build_org(rng: random.Random, *, n_offices: int, n_branches: int) -> Org:
    from django.contrib.auth.hashers import make_password
    from django.db import transaction

    from accounts.models import Branch, Membership, Office, Shift, User
    from accounts.roles import Role
    from complaints.models import Building, Category

    if Office.objects.exists():
        raise SystemExit("The database already has offices: generate into a fresh database.")
    password = make_password("desk-bench-2026")
    with transaction.atomic():
        branches = Branch.objects.bulk_create(
            Branch(code=f"B{b:02d}", name=f"第{b + 1}分公司") for b in range(n_branches)
        )
        offices = Office.objects.bulk_create(
            Office(branch=branches[o % n_branches], code=f"O{o:03d}", name=f"第{o + 1}管理处")
            for o in range(n_offices)
        )
        users, roles = [], []
        for office in offices:
            for role, count in (
                (Role.CLIENT_ASSISTANT, 4),
                (Role.CUSTOMER_SUPERVISOR, 1),
                (Role.OFFICE_MANAGER, 1),
            ):
                for i in range(count):
                    users.append(
                        User(
                            username=f"{office.code.lower()}-{role}-{i}",
                            full_name=f"{rng.choice(SURNAMES)}员工",
                            password=password,
                            email=f"{office.code.lower()}-{role}-{i}@bench.invalid",
                        )
                    )
                    roles.append((role, office, None))
        for branch in branches:
            for role in (Role.BRANCH_GM, Role.QUALITY_DEPARTMENT):
                users.append(
                    User(
                        username=f"{branch.code.lower()}-{role}",
                        password=password,
                        full_name="分公司",
                        email=f"{branch.code.lower()}-{role}@bench.invalid",
                    )
                )
                roles.append((role, None, branch))
        users = User.objects.bulk_create(users, batch_size=2000)
        Membership.objects.bulk_create(
            Membership(user=user, role=role, office=office, branch=branch)
            for user, (role, office, branch) in zip(users, roles, strict=True)
        )
        Shift.objects.bulk_create(
            Shift(office=office, name=name, starts_at=start)
            for office in offices
            for name, start in (("早班", "08:00"), ("晚班", "20:00"))
        )
        Building.objects.bulk_create(
            Building(office=office, name=f"{b + 1}栋") for office in offices for b in range(8)
        )
    # bulk_create sends no signals: set each user's role groups and staff flag as they would.
    from accounts.signals import sync_role_groups

    for user in users:
        sync_role_groups(user)
    staff: dict[int, dict[str, list[int]]] = {}
    for user, (role, office, _branch) in zip(users, roles, strict=True):
        if office is not None:
            staff.setdefault(office.pk, {}).setdefault(role, []).append(user.pk)
    buildings: dict[int, list[tuple[int, str]]] = {}
    for office_id, pk, name in Building.objects.values_list("office_id", "pk", "name").order_by(
        "pk"
    ):
        buildings.setdefault(office_id, []).append((pk, name))
    # A few big offices, many small ones (Zipf-like), as in a real portfolio.
    weights = [1 / (rank + 1) ** 0.6 for rank in range(n_offices)]
    rng.shuffle(weights)
    return Org(
        offices=offices,
        weights=weights,
        staff=staff,
        buildings=buildings,
        categories=list(Category.objects.values_list("pk", "name").order_by("pk")),
    )


class Ids:
    """Explicit primary keys for COPY, so child rows can point at their complaint."""

    def __init__(self, table: str):
        from django.db import connection

        self.table = table
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT COALESCE(MAX(id), 0) FROM {table}")  # noqa: S608
            self.next = cursor.fetchone()[0] + 1

    def take(self) -> int:
        self.next += 1
        return self.next - 1

    def reset_sequence(self, cursor) -> None:
        cursor.execute(
            f"SELECT setval(pg_get_serial_sequence('{self.table}', 'id'), %s)",  # noqa: S608
            [max(self.next - 1, 1)],
        )


class Tables:
    """One COPY buffer per table; rows are tuples in the column order of the model."""

    def __init__(self, models):
        self.columns = {}
        self.rows = {}
        self.ids = {}
        for model in models:
            table = model._meta.db_table
            self.columns[table] = [f.column for f in model._meta.concrete_fields]
            self.rows[table] = []
            self.ids[table] = Ids(table)

    def add(self, model, **values) -> int:
        table = model._meta.db_table
        values.setdefault("id", self.ids[table].take())
        self.rows[table].append(tuple(values.get(c) for c in self.columns[table]))
        return values["id"]

    def flush(self, cursor) -> int:
        written = 0
        for table, rows in self.rows.items():
            if not rows:
                continue
            columns = ", ".join(self.columns[table])
            with cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:  # noqa: S608
                for row in rows:
                    copy.write_row(row)
            written += len(rows)
            rows.clear()
        return written


def _json(value) -> str:
    import json

    return json.dumps(value, ensure_ascii=False)


def complaint_rows(rng, org, tables, *, received_at, office, number, now, calendar) -> None:
    """One complaint with what its life so far left behind."""
    from complaints.deadlines import intake_deadlines
    from complaints.models import Complaint, ComplaintEvent, DutyLogEntry
    from complaints.searchtext import search_grams, search_text, segments
    from followups.models import Contact, Dispatch, Escalation, Revisit

    pk = tables.ids[Complaint._meta.db_table].take()
    staff = org.staff[office.pk]
    assistant = rng.choice(staff["client_assistant"])
    manager = staff["office_manager"][0]
    urgent = pick(rng, URGENT)
    classification = pick(rng, CLASSES)
    deadlines = intake_deadlines(
        received_at,
        calendar=calendar,
        zone=SHANGHAI,
        urgent=bool(urgent),
        dispatch_within=timedelta(minutes=30),
    )
    late_entry = rng.random() < 0.06
    entered_at = min(
        received_at
        + timedelta(minutes=rng.randint(130, 400) if late_entry else rng.randint(2, 100)),
        now,
    )
    age = now - received_at
    status, resolved_at, revisited_at, closed_at = "recorded", None, None, None
    done_by = received_at + timedelta(hours=rng.uniform(2, 24 * (12 if rng.random() < 0.08 else 5)))
    if done_by < now - timedelta(hours=2):
        resolved_at = done_by
        status = "resolved"
        revisit = resolved_at + timedelta(
            hours=rng.uniform(0.5, 23.5 if rng.random() < 0.85 else 60)
        )
        if revisit < now:
            outcome = rng.choices(["satisfied", "understands", "unsatisfied"], [78, 17, 5])[0]
            if outcome == "understands" and classification == "valid":
                outcome = "satisfied"
            status = "superseded" if outcome == "unsatisfied" else "revisited"
            tables.add(
                Revisit,
                complaint_id=pk,
                method="phone",
                outcome=outcome,
                courteous=rng.random() < 0.97 if rng.random() < 0.9 else None,
                remarks="仍不满意" if outcome == "unsatisfied" else "",
                at=revisit,
                by_id=assistant,
            )
            if status == "revisited":
                revisited_at = revisit
                closing = revisit + timedelta(hours=rng.uniform(1, 72))
                if closing < now:
                    status, closed_at = "closed", closing
    elif age > timedelta(hours=6) and rng.random() < 0.8:
        status = "in_progress"
    answered_at_once = rng.random() < 0.12
    replied_at = None
    if not answered_at_once and status != "recorded":
        replied_at = received_at + (deadlines.reply_latest - received_at) * rng.uniform(0.1, 1.15)
        replied_at = min(replied_at, now)
    last_contact = received_at
    handled_until = resolved_at or now
    for _ in range(rng.choice([0, 1, 1, 2, 2, 3]) if status != "recorded" else 0):
        at = last_contact + timedelta(hours=rng.uniform(4, 80))
        if at >= handled_until:
            break
        tables.add(
            Contact,
            complaint_id=pk,
            kind="progress",
            method="phone",
            at=at,
            by_id=assistant,
            summary="告知处理进展",
            signed=True,
        )
        last_contact = at
    dispatched_at = None
    if urgent or rng.random() < 0.25:
        sent = received_at + timedelta(minutes=rng.randint(5, 50 if urgent else 600))
        if sent < now:
            dispatched_at = sent if urgent else None
            tables.add(
                Dispatch,
                complaint_id=pk,
                department=rng.choice(DEPARTMENTS),
                assignee="",
                instructions="请尽快处理",
                dispatched_at=sent,
                due_at=sent + timedelta(hours=4),
                done_at=resolved_at,
                by_id=assistant,
            )
    open_until = closed_at or now
    for level in (10, 15):
        if status not in ("superseded",) and open_until - received_at > timedelta(days=level):
            tables.add(
                Escalation,
                complaint_id=pk,
                level=level,
                at=received_at + timedelta(days=level, minutes=5),
                report="",
                reported_at=None,
                reported_by_id=None,
            )
    resident_name, phone = rng.choice(org.residents[office.pk])
    matter = rng.choice(MATTERS)
    building, building_name = rng.choice(org.buildings[office.pk])
    room = f"{rng.randint(1, 32)}{rng.randint(1, 4):02d}"
    category, category_name = rng.choice(org.categories)
    request = "尽快处理并回复"
    text = search_text(
        segments(
            number=number,
            phone=phone,
            complainant=resident_name,
            building=building_name,
            unit="",
            room=room,
            address_note="",
            category=category_name,
            description=matter,
            request=request,
        )  # fmt: skip
    )
    tables.add(
        Complaint,
        id=pk,
        office_id=office.pk,
        number=number,
        status=status,
        complainant_name=resident_name,
        phone=phone,
        email="",
        building_id=building,
        unit_id=None,
        room=room,
        address_note="",
        received_at=received_at,
        entered_at=entered_at,
        received_by_id=assistant,
        entered_by_id=assistant,
        channel=(channel := pick(rng, CHANNELS)),
        awaiting_check=False,
        category_id=category,
        classification=classification,
        responsible_party="开发商" if classification == "to_improve" else "",
        severity=pick(rng, SEVERITIES),
        is_major=rng.random() < 0.01,
        urgent_kind=urgent,
        facility_kind=rng.choice(FACILITIES) if urgent == "facility" else "",
        temperament="",
        description=matter,
        customer_request=request,
        is_complete=rng.random() < 0.95,
        entry_due=deadlines.entry_due,
        entered_late=entered_at > deadlines.entry_due,
        dispatch_due=deadlines.dispatch_due,
        dispatched_at=dispatched_at,
        answered_at_once=answered_at_once,
        reply_due=None if answered_at_once else deadlines.reply_latest,
        reply_latest=deadlines.reply_latest,
        replied_at=replied_at,
        next_contact_due=last_contact + timedelta(days=3),
        alert_due=deadlines.alert_due,
        report_due=deadlines.report_due,
        resolved_at=resolved_at,
        revisit_due=resolved_at + timedelta(hours=24) if resolved_at else None,
        revisited_at=revisited_at,
        revisit_attempts=0,
        closed_at=closed_at,
        closed_by_id=manager if closed_at else None,
        handler_id=manager if channel == "branch" else None,  # R-QD-1
        linked_to_id=None,
        website_scan_id=None,
        search_text=text,
        search_grams=search_grams(text),
    )
    tables.add(
        ComplaintEvent,
        complaint_id=pk,
        kind="recorded",
        at=entered_at,
        actor_id=assistant,
        note="",
        data=_json({}),
    )
    if closed_at:
        tables.add(
            ComplaintEvent,
            complaint_id=pk,
            kind="closed",
            at=closed_at,
            actor_id=manager,
            note="",
            data=_json({}),
        )
    tables.add(
        DutyLogEntry,
        office_id=office.pk,
        occurred_at=received_at,
        kind="complaint",
        customer_name=resident_name,
        address="",
        contact=phone,
        matter=matter,
        recorder_id=assistant,
        handler="",
        handling_status="",
        done=status == "closed",
        handover_note="",
        complaint_id=pk,
    )


def month_starts(first: datetime, now: datetime):
    month = first.replace(day=1, hour=0, minute=0, second=0, microsecond=0)
    while month < now:
        following = (month + timedelta(days=32)).replace(day=1)
        yield month, min(following, now)
        month = following


def generate(
    *, complaints: int, offices: int, branches: int, years: int, seed: int, per_month: int = 0
) -> None:
    from django.db import connection, transaction
    from tqdm import tqdm

    from complaints.models import Complaint, ComplaintEvent, ComplaintSequence, DutyLogEntry
    from complaints.workcalendar import WorkCalendar
    from followups.models import Contact, Dispatch, Escalation, Revisit

    rng = random.Random(seed)
    now = datetime.now(UTC).astimezone(SHANGHAI).replace(microsecond=0)
    org = build_org(rng, n_offices=offices, n_branches=branches)
    for office in org.offices:  # the office's residents, some of whom call again and again
        org.residents[office.pk] = [
            (
                f"{rng.choice(SURNAMES)}{rng.choice('先生女士')}",
                f"+861{rng.randint(3, 9)}{rng.randint(0, 10**9 - 1):09d}",
            )
            for _ in range(400)
        ]
    calendar = WorkCalendar.default()
    start = now - timedelta(days=365 * years)
    months = list(month_starts(start.astimezone(SHANGHAI), now))
    if per_month:  # the same volume every month (a full month; the current one pro rata)
        counts = [
            round(per_month * (end - begin) / ((begin + timedelta(days=32)).replace(day=1) - begin))
            for begin, end in months
        ]
        complaints = sum(counts)
    else:  # growth over the years: later months carry more complaints
        month_weights = [1 + index / len(months) for index in range(len(months))]
        counts = [round(complaints * w / sum(month_weights)) for w in month_weights]
        counts[-1] += complaints - sum(counts)
    tables = Tables(
        [Complaint, Contact, Dispatch, Revisit, Escalation, ComplaintEvent, DutyLogEntry]
    )
    sequences: dict[tuple[int, str], int] = {}
    hours = list(range(24))
    hour_weights = [
        1,
        1,
        1,
        1,
        1,
        2,
        4,
        8,
        12,
        14,
        14,
        12,
        10,
        12,
        13,
        13,
        12,
        11,
        10,
        9,
        8,
        5,
        3,
        2,
    ]
    with tqdm(total=complaints, unit="complaint", smoothing=0.1) as progress:
        for (month_start, month_end), count in zip(months, counts, strict=True):
            if per_month:  # each month its own draw: the same last year whatever the history
                rng = random.Random(f"{seed}-{month_start:%Y%m}")
            span = (month_end - month_start).total_seconds()
            receipts = []
            for _ in range(count):
                at = month_start + timedelta(seconds=rng.uniform(0, span))
                at = at.replace(hour=rng.choices(hours, hour_weights)[0])
                at = min(max(at, month_start), month_end - timedelta(minutes=1))
                receipts.append((at, rng.choices(org.offices, org.weights)[0]))
            receipts.sort(key=lambda item: item[0])
            for received_at, office in receipts:
                period = f"{received_at.astimezone(SHANGHAI):%Y%m}"
                sequences[(office.pk, period)] = sequences.get((office.pk, period), 0) + 1
                number = f"{office.code}-{period}-{sequences[(office.pk, period)]:04d}"
                complaint_rows(
                    rng,
                    org,
                    tables,
                    received_at=received_at,
                    office=office,
                    number=number,
                    now=now,
                    calendar=calendar,
                )
            with transaction.atomic(), connection.cursor() as cursor:
                tables.flush(cursor.connection.cursor())
            progress.update(count)
    with transaction.atomic(), connection.cursor() as cursor:
        ComplaintSequence.objects.bulk_create(
            ComplaintSequence(office_id=office_id, period=period, last=last)
            for (office_id, period), last in sequences.items()
        )
        for ids in tables.ids.values():
            ids.reset_sequence(cursor)
    # As autovacuum would in time: statistics for the planner and the visibility map that lets
    # counts use index-only scans.
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--complaints", type=int, default=1_000_000)
    parser.add_argument(
        "--per-month", type=int, default=0, help="the same volume every month (overrides total)"
    )
    parser.add_argument("--offices", type=int, default=200)
    parser.add_argument("--branches", type=int, default=10)
    parser.add_argument("--years", type=int, default=3)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument(
        "--if-empty", action="store_true", help="do nothing when complaints are already there"
    )
    args = parser.parse_args(argv)
    setup_django()
    from django.db import connection

    from complaints.models import Complaint

    if connection.vendor != "postgresql":
        raise SystemExit("The benchmark runs on PostgreSQL: set DATABASE_URL.")
    if args.if_empty and Complaint.objects.exists():
        print(f"{Complaint.objects.count()} complaints already loaded; generating nothing.")
        return
    generate(
        complaints=args.complaints,
        offices=args.offices,
        branches=args.branches,
        years=args.years,
        seed=args.seed,
        per_month=args.per_month,
    )


if __name__ == "__main__":
    main()
