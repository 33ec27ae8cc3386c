from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from accounts.demo import DEMO_PASSWORD, seed_organisation
from accounts.models import User
from complaints.demo import seed_complaints
from complaints.models import Complaint
from followups.demo import demo_complaint_ids, seed_followups
from followups.models import Notification
from followups.notify import without_sending_at_once
from reports.demo import seed_reports
from reports.models import MonthlyReport

COUNTED = {
    "staff": User,
    "complaints": Complaint,
    "notices": Notification,
    "reports": MonthlyReport,
}


def _counts() -> dict[str, int]:
    return {name: model.objects.count() for name, model in COUNTED.items()}


class Command(BaseCommand):
    help = "Load the demo branch, offices, staff and complaints (safe to run again)."

    def handle(self, *args, **options):
        before = _counts()
        # The demo's notices go to users without an e-mail address: queueing a send for each
        # (about 180) would only fill the worker's log at the first `make run`.
        with without_sending_at_once():
            logins = seed_organisation()
            recorded = seed_complaints()
            if recorded:  # only a fresh demo is walked through the procedure
                seed_followups(demo_complaint_ids())
            seed_reports()
        new = {name: after - before[name] for name, after in _counts().items()}
        self.stdout.write(
            self.style.SUCCESS(
                _(
                    "Demo data is ready: %(complaints)d new complaints (%(recorded)d taken at "
                    "the desk, %(successors)d recorded after an unsatisfied revisit), "
                    "%(staff)d new staff, %(notices)d notices, %(reports)d monthly reports."
                )
                % {**new, "recorded": recorded, "successors": new["complaints"] - recorded}
            )
        )
        self.stdout.write(
            _("Demo logins (password for all: %(password)s)") % {"password": DEMO_PASSWORD}
        )
        width = max(len(username) for username, _name, _role in logins)
        for username, full_name, role in logins:
            self.stdout.write(f"  {username:<{width}}  {full_name}  {role}")
