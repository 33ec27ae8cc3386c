from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from accounts.demo import DEMO_PASSWORD, seed_organisation
from complaints.demo import seed_complaints
from followups.demo import demo_complaint_ids, seed_followups
from reports.demo import seed_reports


class Command(BaseCommand):
    help = "Load the demo branch, offices, staff and complaints (safe to run again)."

    def handle(self, *args, **options):
        logins = seed_organisation()
        created = seed_complaints()
        if created:  # only a fresh demo is walked through the procedure
            seed_followups(demo_complaint_ids())
        seed_reports()
        self.stdout.write(
            self.style.SUCCESS(_("Demo data is ready (%(n)d new complaints).") % {"n": created})
        )
        self.stdout.write(
            _("Demo logins (password for all: %(password)s)") % {"password": DEMO_PASSWORD}
        )
        width = max(len(username) for username, _name, _role in logins)
        for username, full_name, role in logins:
            self.stdout.write(f"  {username:<{width}}  {full_name}  {role}")
