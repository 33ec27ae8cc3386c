from django.core.management.base import BaseCommand
from django.db import transaction

from followups.notices import resolve_done


class Command(BaseCommand):
    help = (
        "Mark done every notice whose matter is already done (written before notices resolved "
        "themselves, e.g. approval notices of complaints since closed). Safe to repeat."
    )

    def handle(self, *args, **options):
        with transaction.atomic():
            marked = resolve_done()
        self.stdout.write(f"{marked} notices marked done")
