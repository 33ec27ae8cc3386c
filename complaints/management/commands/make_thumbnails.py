"""Make the thumbnails a broker outage kept from being made (docs/operations.md)."""

from django.core.management.base import BaseCommand

from complaints.attachments import make_thumbnail
from complaints.models import Attachment


class Command(BaseCommand):
    help = "Make the missing thumbnails of attached photos."

    def handle(self, *args, **options):
        made = 0
        for attachment in Attachment.objects.filter(kind="photo", thumbnail="").iterator():
            made += make_thumbnail(attachment)
        self.stdout.write(f"{made} thumbnails made")
