from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from reports.schedule import run_all


class Command(BaseCommand):
    help = (
        "Run every scheduled job of the desk once (scans, reviews, digest, weekly summary, "
        "monthly reports and their missing-report alert, retention, mail), as of now or of "
        "--at (catching up after an outage). Safe to repeat: a second run with the same "
        "instant creates nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("--at", help="ISO-8601 instant, e.g. 2026-11-23T08:05:00+08:00")

    def handle(self, *args, at=None, **options):
        now = timezone.now()
        if at:
            now = parse_datetime(at)
            if now is None:
                raise CommandError(f"--at: not an ISO-8601 instant: {at!r}")
            if timezone.is_naive(now):
                now = timezone.make_aware(now)
        for name, created in run_all(now=now).items():
            self.stdout.write(f"{name}: {created} created")
