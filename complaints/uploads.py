"""Files over the size limit are cut off while they arrive: nothing past the limit is kept in
memory or written to the temporary directory, and the form still gets the file's name and size
to say which file was too large (docs/security.md, Attachments)."""

from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.files.uploadhandler import FileUploadHandler


class BoundedUploadHandler(FileUploadHandler):
    """First in `FILE_UPLOAD_HANDLERS`: passes each chunk on to Django's memory and temporary
    file handlers until the file passes `ATTACHMENT_MAX_FILE_BYTES`, then swallows the rest."""

    def new_file(self, *args, **kwargs):
        super().new_file(*args, **kwargs)
        self.received = 0

    def receive_data_chunk(self, raw_data, start):
        self.received += len(raw_data)
        if self.received > settings.ATTACHMENT_MAX_FILE_BYTES:
            return None  # the later handlers never see it
        return raw_data

    def file_complete(self, file_size):
        if self.received <= settings.ATTACHMENT_MAX_FILE_BYTES:
            return None  # the next handler completes the file as usual
        oversized = SimpleUploadedFile(self.file_name, b"", self.content_type)
        oversized.size = self.received
        oversized.over_limit = True
        return oversized
