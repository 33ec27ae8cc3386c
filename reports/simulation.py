"""A working month, simulated end to end: one office through 30 days with the clock moved.

About five complaints a day of every class, channel and category — late entries, urgent ones,
major ones, unsatisfied revisits, rejected closures, slow ones that climb the day-10/15 ladder —
two shifts a day with their reviews and handovers, two website scans a day (one on some days),
and every beat job at its own instant, called through the same Celery task functions beat
calls (run in-process). The polled jobs (every 1–15 minutes in production) run every half hour
here: they are idempotent and read the database, so the interval only bounds their latency.
The e-mail sender is left out (it would mail the simulated staff).

The simulation keeps its own ledger of what it did, counted independently of the report, so a
test (`tests/reports/test_simulated_month.py`) and `manage.py simulate_month` can compare the
month's report with it. Time is moved with `time_machine` (a development dependency)."""

from __future__ import annotations

import heapq
import itertools
import random
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from accounts.models import Branch, Membership, Office, Shift, User
from accounts.roles import Role
from complaints import tasks as complaint_tasks
from complaints.models import Building, Category, Complaint, ShiftHandover, WebsiteScan
from complaints.workflow import record_complaint
from followups import tasks as followup_tasks
from followups import workflow
from followups.models import Escalation, ShiftReviewItem

from . import tasks as report_tasks

SHANGHAI = ZoneInfo("Asia/Shanghai")
TICK = timedelta(minutes=30)  # the polled beat jobs' interval here
CHANNELS = ["phone", "visit", "letter", "email", "media", "website", "relayed"]
CATEGORIES = [
    "装修噪音", "公共设施故障", "室内维修", "邮件包裹", "清洁绿化",
    "虫害", "服务态度", "收费", "安全停车", "其他",
]  # fmt: skip
URGENT = ["safety", "facility", "breach"]


@dataclass
class Plan:
    """What the simulation will do with one complaint (the independent ledger's row)."""

    received_at: datetime
    classification: str
    channel: str
    category: str
    urgent: str = ""
    late_entry: bool = False
    major: bool = False
    report_major: bool = True
    resolve_after: timedelta = timedelta(days=2)
    unsatisfied: bool = False
    rejected: bool = False
    complaint: Complaint | None = None
    finished: list[tuple[datetime, datetime | None]] = field(default_factory=list)
    handling: list[list] = field(default_factory=list)  # [start, end or None], by the ledger
    chain_start: datetime | None = None  # the first receipt of its R-REV-2 chain
    follows: bool = False  # recorded from an unsatisfied revisit
    done: bool = False  # every step the plan has was taken

    def escalated(self, days: int, until: datetime, tick: timedelta) -> bool:
        """Would the ladder's level `days` have been taken, by the simulation's own clock: the
        first scan at or after the level's instant while handled, or at once on a reopening."""
        level_at = (self.chain_start or self.received_at) + timedelta(days=days)
        for index, (start, end) in enumerate(self.handling):
            if index and start >= level_at:
                return True  # a rejection after the level: escalated at once
            first = max(level_at, start)
            scan = self.start_of_tick(first, tick)
            if scan <= until and (end is None or scan < end):
                return True
        return False

    @staticmethod
    def start_of_tick(instant: datetime, tick: timedelta) -> datetime:
        epoch = datetime(2000, 1, 1, tzinfo=SHANGHAI)
        steps = -((epoch - instant) // tick)  # ceiling
        return epoch + steps * tick


@dataclass
class Ledger:
    plans: list[Plan] = field(default_factory=list)
    short_scan_days: set[date] = field(default_factory=set)
    missed_handovers: list[datetime] = field(default_factory=list)

    def received(self, month: date, as_of: datetime | None = None) -> list[Plan]:
        """The plans received in `month` and entered by `as_of` (a late entry after the
        report's generation is in the next version, not this one)."""
        return [
            p
            for p in self.plans
            if p.complaint is not None
            and p.received_at.astimezone(SHANGHAI).date().replace(day=1) == month
            and (as_of is None or p.handling[0][0] <= as_of)
        ]

    def counts(self, month: date, as_of: datetime | None = None) -> dict:
        plans = self.received(month, as_of)
        return {
            "received": len(plans),
            "by_classification": Counter(p.classification for p in plans),
            "by_channel": Counter(p.channel for p in plans),
            "entered_late": sum(p.late_entry for p in plans),
            "re_complaints": sum(p.follows for p in plans),
            "short_scan_days": len([d for d in self.short_scan_days if d.replace(day=1) == month]),
        }

    def escalations(self, month: date, until: datetime) -> tuple[int, int]:
        plans = self.received(month, until)
        return (
            sum(p.escalated(10, until, TICK) for p in plans),
            sum(p.escalated(15, until, TICK) for p in plans),
        )


class Simulation:
    def __init__(self, *, start: date, days: int = 30, per_day: int = 5, seed: int = 13):
        self.start = datetime.combine(start, time(0), tzinfo=SHANGHAI)
        self.end = self.start + timedelta(days=days)
        self.per_day = per_day
        self.random = random.Random(seed)
        self.ledger = Ledger()
        self.queue: list = []
        self.sequence = itertools.count()

    # --- the office ------------------------------------------------------------------------
    def build_office(self) -> Office:
        suffix = f"{self.random.randrange(10**6):06d}"
        branch = Branch.objects.create(code=f"S{suffix}", name=f"模拟分公司{suffix}")
        office = Office.objects.create(branch=branch, code=f"M{suffix[:4]}", name="模拟管理处")
        Shift.objects.create(office=office, name="早班", starts_at=time(8, 0))
        Shift.objects.create(office=office, name="晚班", starts_at=time(20, 0))
        self.buildings = [Building.objects.create(office=office, name=f"{n}栋") for n in (1, 2, 3)]
        self.categories = [Category.objects.get_or_create(name=name)[0] for name in CATEGORIES]

        def person(role, name, place):
            user = User.objects.create_user(username=f"{name}{suffix}", full_name=name)
            Membership.objects.create(user=user, role=role, **place)
            return user

        at_office, at_branch = {"office": office}, {"branch": branch}
        self.day_assistant = person(Role.CLIENT_ASSISTANT, "李娜", at_office)
        self.night_assistant = person(Role.CLIENT_ASSISTANT, "王芳", at_office)
        self.supervisor = person(Role.CUSTOMER_SUPERVISOR, "张敏", at_office)
        self.manager = person(Role.OFFICE_MANAGER, "杨建国", at_office)
        self.gm = person(Role.BRANCH_GM, "陈总", at_branch)
        self.quality = person(Role.QUALITY_DEPARTMENT, "品质部", at_branch)
        self.office = office
        return office

    # --- the plan --------------------------------------------------------------------------
    def at(self, instant: datetime, action, *args) -> None:
        heapq.heappush(self.queue, (instant, next(self.sequence), action, args))

    def plan_month(self) -> None:
        r = self.random
        days = (self.end - self.start).days
        # Every shift change the clock sees, the one before the first day and those of the
        # morning after the last included, is handed over, except on the planned days.
        for day in range(-1, days + 1):
            midnight = self.start + timedelta(days=day)
            for shift_start in (8, 20):
                change = midnight + timedelta(hours=shift_start)
                if day % 7 == 3 and shift_start == 20:
                    self.ledger.missed_handovers.append(change)  # R-LOG-2: nobody hands over
                else:
                    self.at(change - timedelta(minutes=10), self.hand_over, change)
        for hour in (10, 16):  # the day before: the first morning's check finds it fine
            self.at(self.start - timedelta(days=1) + timedelta(hours=hour), self.scan)
        for day in range(days):
            midnight = self.start + timedelta(days=day)
            scans = [10, 16] if day % 9 != 4 else [10]
            if len(scans) < 2:
                self.ledger.short_scan_days.add(midnight.date())
            for hour in scans:
                self.at(midnight + timedelta(hours=hour), self.scan)
            for n in range(self.per_day):
                received = midnight + timedelta(hours=r.choice([9, 10, 11, 14, 15, 16, 21]))
                received += timedelta(minutes=r.randrange(60))
                index = day * self.per_day + n
                plan = Plan(
                    received_at=received,
                    classification=["valid", "valid", "to_improve", "invalid"][index % 4],
                    channel=CHANNELS[index % len(CHANNELS)],
                    category=CATEGORIES[index % len(CATEGORIES)],
                    urgent=URGENT[index % 3] if index % 6 == 0 else "",
                    late_entry=index % 11 == 5,
                    major=index % 37 == 7,
                    report_major=index % 74 != 7,
                    resolve_after=timedelta(days=r.choice([1, 2, 3]))
                    if index % 13
                    else timedelta(days=[12, 17][index % 2]),
                    unsatisfied=index % 10 == 3,
                    rejected=index % 12 == 8,
                )
                self.ledger.plans.append(plan)
                entry = plan.received_at + (
                    timedelta(hours=3) if plan.late_entry else timedelta(minutes=10)
                )
                self.at(entry, self.record, plan)

    # --- the office's actions --------------------------------------------------------------
    def record(self, now: datetime, plan: Plan, linked: Complaint | None = None) -> None:
        r = self.random
        complaint = Complaint(
            office=self.office,
            complainant_name=f"业主{len(self.ledger.plans)}",
            phone=f"+86138{r.randrange(10**8):08d}",
            building=r.choice(self.buildings),
            room=f"{r.randint(1, 30)}0{r.randint(1, 4)}",
            received_at=plan.received_at,
            received_by=self.day_assistant,
            channel=plan.channel,
            category=self.categories[CATEGORIES.index(plan.category)],
            classification=plan.classification,
            responsible_party="开发商" if plan.classification == "to_improve" else "",
            is_major=plan.major,
            urgent_kind=plan.urgent,
            facility_kind="lift" if plan.urgent == "facility" else "",
            description="模拟投诉",
            customer_request="尽快处理",
            answered_at_once=False,
        )
        from complaints.deadlines import latest_reply
        from complaints.workcalendar import WorkCalendar

        complaint.reply_due = latest_reply(
            plan.received_at, WorkCalendar.for_office(self.office), SHANGHAI
        )
        plan.complaint = record_complaint(complaint, by=self.day_assistant, now=now)
        plan.handling.append([now, None])
        self.begin_handling(now, plan)

    def begin_handling(self, now: datetime, plan: Plan) -> None:
        complaint = plan.complaint
        if plan.urgent:
            self.at(now + timedelta(minutes=10), self.dispatch, plan)
        if plan.major and plan.report_major:
            self.at(now + timedelta(minutes=40), self.report_major, plan)
        self.at(now + timedelta(hours=1), self.reply, plan)
        # Slow complaints are kept in touch every 2 days (R-URG-2) until they are resolved.
        for days in range(2, plan.resolve_after.days, 2):
            self.at(now + timedelta(days=days), self.progress, plan)
        self.at(now + plan.resolve_after, self.handle, plan)
        if plan.resolve_after >= timedelta(days=15):  # R-FUP-3: the manager's report
            self.at((plan.chain_start or plan.received_at) + timedelta(days=15, hours=2),
                    self.report_to_gm, plan)  # fmt: skip
        del complaint

    def report_to_gm(self, now, plan):
        escalation = plan.complaint.escalations.filter(level=15, reported_at__isnull=True).first()
        if escalation is not None:
            workflow.report_to_branch_gm(
                escalation, by=self.manager, report="已两次上门处理", now=now
            )

    def dispatch(self, now, plan):
        workflow.dispatch(
            plan.complaint,
            by=self.day_assistant,
            department="engineering",
            instructions="立即派员",
            due_at=now + timedelta(hours=2),
            now=now,
        )

    def report_major(self, now, plan):
        workflow.report_major(
            plan.complaint,
            by=self.manager,
            report="已电话上报分公司",
            answer_expected_at=now + timedelta(days=1),
            now=now,
        )

    def reply(self, now, plan):
        website = plan.channel == "website"
        workflow.record_contact(
            plan.complaint,
            by=self.day_assistant,
            kind="website_reply" if website else "reply",
            method="website" if website else "phone",
            summary="已答复处理方案",
            signed=not website,
            now=now,
        )

    def progress(self, now, plan):
        plan.complaint.refresh_from_db()
        if plan.complaint.status in ("recorded", "in_progress"):
            workflow.record_contact(
                plan.complaint,
                by=self.day_assistant,
                kind="progress",
                method="phone",
                summary="告知进度",
                now=now,
            )

    def handle(self, now, plan):
        complaint = plan.complaint
        if complaint.classification == "invalid":
            if not complaint.contacts.filter(kind="explanation").exists():
                workflow.record_contact(
                    complaint, by=self.supervisor, kind="explanation", method="visit",
                    summary="上门说明", now=now,
                )  # fmt: skip
        elif not complaint.corrective_actions.exists():
            workflow.record_corrective_action(
                complaint, by=self.day_assistant, cause="原因", correction="纠正",
                prevention="预防", now=now,
            )  # fmt: skip
        workflow.resolve(complaint, by=self.day_assistant, now=now)
        plan.finished.append((now, None))
        plan.handling[-1][1] = now
        self.at(now + timedelta(hours=2), self.revisit, plan)

    def revisit(self, now, plan):
        outcome = {"valid": "satisfied"}.get(plan.classification, "understands")
        if plan.unsatisfied:
            outcome = "unsatisfied"
        workflow.record_revisit(
            plan.complaint,
            by=self.day_assistant,
            method="phone",
            outcome=outcome,
            remarks="仍不满意" if plan.unsatisfied else "",
            courteous=True,
            now=now,
        )
        if plan.unsatisfied:  # R-REV-2: the new complaint is handled as a plan of its own
            plan.finished[-1] = (plan.finished[-1][0], now)
            plan.done = True
            successor = Complaint.objects.get(linked_to=plan.complaint)
            follow = Plan(
                received_at=now,
                classification=plan.classification,
                channel="phone",  # the revisit's method (R-REV-2)
                category=plan.category,
                resolve_after=timedelta(days=1),
                complaint=successor,
                chain_start=plan.chain_start or plan.received_at,
                follows=True,
            )
            follow.handling.append([now, None])
            self.ledger.plans.append(follow)
            self.begin_handling(now, follow)
            return
        self.at(now + timedelta(hours=3), self.decide, plan)

    def decide(self, now, plan):
        if plan.rejected:
            plan.rejected = False  # once
            workflow.reject_closure(plan.complaint, by=self.manager, reason="记录不全", now=now)
            plan.finished[-1] = (plan.finished[-1][0], now)
            plan.handling.append([now, None])
            self.at(now + timedelta(days=1), self.handle, plan)
            return
        workflow.approve_closure(plan.complaint, by=self.manager, now=now)
        plan.finished[-1] = (plan.finished[-1][0], now)
        plan.done = True

    def hand_over(self, now, change):
        outgoing, incoming = (
            (self.day_assistant, self.night_assistant)
            if change.astimezone(SHANGHAI).hour == 20
            else (self.night_assistant, self.day_assistant)
        )
        ShiftHandover.objects.create(
            office=self.office,
            handed_over_at=now,
            items="未完成事项已交接",
            outgoing=outgoing,
            incoming=incoming,
            incoming_signed_at=now + timedelta(minutes=15),
        )

    def scan(self, now):
        WebsiteScan.objects.create(
            office=self.office, scanned_at=now, scanned_by=self.day_assistant, site="业主论坛"
        )

    def review(self, now):
        """R-FUP-1: each item of the shift's review ticked within 30 minutes, the customer
        updated (recorded as the contact, once)."""
        items = ShiftReviewItem.objects.filter(
            review__office=self.office, reviewed_at__isnull=True
        ).select_related("complaint")
        for item in items:
            if item.complaint.status in ("recorded", "in_progress", "resolved"):
                workflow.tick_review_item(
                    item, by=self.day_assistant, note="已告知进度", customer_updated=True, now=now
                )
            else:
                workflow.tick_review_item(item, by=self.day_assistant, note="等待审批", now=now)

    # --- the clock -------------------------------------------------------------------------
    def beat(self, instant: datetime) -> list:
        """The beat jobs due at `instant` (Asia/Shanghai), as the task functions beat calls."""
        local = instant.astimezone(SHANGHAI)
        jobs = [
            followup_tasks.shift_reviews,
            followup_tasks.deadline_scan,
            followup_tasks.escalation_scan,
            followup_tasks.closure_reminders,
            followup_tasks.handover_check,
            followup_tasks.major_report_scan,
        ]
        if local.minute == 0:
            jobs += [report_tasks.weekly_summaries, followup_tasks.website_scan_check]
            if local.hour == 8:
                jobs.append(followup_tasks.supervisor_digest)
            if local.hour == 3:
                jobs.append(complaint_tasks.purge_duty_log)
            if local.day == 1 and 9 <= local.hour <= 23:
                jobs.append(report_tasks.missing_report_alert)
        if local.day == 1 and local.hour == 0 and local.minute == 30:
            jobs.append(report_tasks.monthly_reports)
        return jobs

    def run(self, *, until: datetime | None = None, progress=None) -> Ledger:
        import time_machine

        until = until or self.end + timedelta(hours=10)
        self.build_office()
        self.plan_month()
        self.until = until
        tick = self.start
        while tick <= until:
            while self.queue and self.queue[0][0] <= tick:
                instant, _n, action, args = heapq.heappop(self.queue)
                with time_machine.travel(instant, tick=False):
                    action(instant, *args)
            with time_machine.travel(tick, tick=False):
                for job in self.beat(tick):
                    job()
                local = tick.astimezone(SHANGHAI)
                if local.hour in (8, 20) and local.minute == 0:
                    self.at(tick + timedelta(minutes=10), self.review)
            if progress and tick.astimezone(SHANGHAI).hour == 0 and tick.minute == 0:
                progress(tick)
            tick += TICK
        return self.ledger


def escalated_while_finished(ledger: Ledger, notices) -> list:
    """Notices of `notices` (contact or ladder) written while their complaint's handling was
    finished, by the ledger's own record of when each handling finished and reopened."""
    finished = {p.complaint.pk: p.finished for p in ledger.plans if p.complaint is not None}
    wrong = []
    for notice in notices:
        for since, until in finished.get(notice.complaint_id, []):
            if since <= notice.created_at and (until is None or notice.created_at < until):
                wrong.append(notice)
    return wrong


def escalations_without_notice(office) -> list:
    """Escalations of the office that no notice told anyone about."""
    return [
        e
        for e in Escalation.objects.filter(complaint__office=office)
        if not e.complaint.notifications.filter(
            key=f"escalation:{e.level}:{e.complaint_id}"
        ).exists()
    ]
