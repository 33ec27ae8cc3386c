from datetime import date, timedelta

from django.core.management.base import BaseCommand, CommandError

from reports.models import MonthlyReport


class Command(BaseCommand):
    help = (
        "Simulate one office through a working month with the clock moved (reports.simulation) "
        "and compare its monthly report with the simulation's own counts. It writes a new "
        "branch and office into the database: run it on a scratch database. Needs the "
        "development extra (time-machine)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--month", default="2026-11", help="YYYY-MM (default 2026-11)")
        parser.add_argument("--per-day", type=int, default=5)

    def handle(self, *args, month, per_day, **options):
        try:
            import time_machine  # noqa: F401
        except ImportError as missing:
            raise CommandError("simulate_month needs time-machine (pip install -e .[dev])") from (
                missing
            )
        from reports.simulation import Simulation

        try:
            first = date.fromisoformat(f"{month}-01")
        except ValueError as bad:
            raise CommandError(f"--month: not YYYY-MM: {month!r}") from bad
        following = (first.replace(day=28) + timedelta(days=4)).replace(day=1)
        simulation = Simulation(start=first, days=(following - first).days, per_day=per_day)
        ledger = simulation.run(progress=lambda tick: self.stdout.write(f"{tick:%Y-%m-%d} …"))
        report = MonthlyReport.objects.get(office=simulation.office, month=first)
        counts = ledger.counts(first, as_of=report.generated_at)
        day_10, day_15 = ledger.escalations(first, until=report.generated_at)
        rows = [
            ("received", report.data["received"], counts["received"]),
            ("re-complaints", report.data["re_complaints"], counts["re_complaints"]),
            ("day-10 alerts", report.data["escalated_day_10"], day_10),
            ("day-15 reports", report.data["escalated_day_15"], day_15),
            ("days short of scans", report.data["days_short_of_scans"], counts["short_scan_days"]),
        ]
        for name, in_report, counted in rows:
            mark = "ok" if in_report == counted else "DIFFERS"
            self.stdout.write(f"{name}: report {in_report}, simulation {counted} — {mark}")
