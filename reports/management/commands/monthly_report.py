from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from accounts.models import Branch, Office
from reports.exports import report_xlsx
from reports.months import parse_month
from reports.workflow import generate_report


class Command(BaseCommand):
    help = (
        "Generate (or reuse) the monthly complaint report of one office or one branch and "
        "write it as xlsx, e.g. --month 2026-10 --office HY --xlsx hy-2026-10.xlsx"
    )

    def add_arguments(self, parser):
        parser.add_argument("--month", required=True, help="YYYY-MM")
        scope = parser.add_mutually_exclusive_group(required=True)
        scope.add_argument("--office", help="office code")
        scope.add_argument("--branch", help="branch code")
        parser.add_argument("--xlsx", required=True, help="file to write")
        parser.add_argument(
            "--regenerate", action="store_true", help="write a new version instead of reusing"
        )

    def handle(self, *args, month, office, branch, xlsx, regenerate, **options):
        try:
            month = parse_month(month)
        except ValueError as error:
            raise CommandError(f"--month: expected YYYY-MM, got {month!r}") from error
        subject = {}
        if office:
            subject["office"] = Office.objects.filter(code=office).first()
        else:
            subject["branch"] = Branch.objects.filter(code=branch).first()
        if None in subject.values():
            raise CommandError(f"no such {'office' if office else 'branch'}: {office or branch}")
        report, created = generate_report(
            month=month, now=timezone.now(), regenerate=regenerate, **subject
        )
        with open(xlsx, "wb") as file:
            file.write(report_xlsx(report))
        state = "generated" if created else "existing"
        self.stdout.write(f"{report}: {state} version {report.version} written to {xlsx}")
