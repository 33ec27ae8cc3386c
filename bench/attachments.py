"""The attachment lines of `make bench`: a camera-sized photo uploaded (the request checks it
and strips its metadata; the thumbnail is the worker's), the detail page with 20 attachments,
and a photo and its thumbnail streamed. Everything happens inside one transaction that is
rolled back, with the files in a temporary directory, so the bench database keeps no trace."""

from __future__ import annotations

import os
import shutil
import tempfile
from io import BytesIO


def camera_photo(size=(3300, 2900)) -> bytes:
    """About 9 MB of JPEG, the size a phone's camera sends (noise does not compress)."""
    from PIL import Image

    image = Image.frombytes("RGB", size, os.urandom(size[0] * size[1] * 3))
    buffer = BytesIO()
    image.save(buffer, "JPEG", quality=92)
    return buffer.getvalue()


class Rollback(Exception):
    pass


def attachment_results(client, complaint, *, runs: int, measure, ok) -> list:
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.db import transaction
    from django.test import override_settings
    from django.urls import reverse

    from complaints.attachments import make_thumbnail

    location = tempfile.mkdtemp(prefix="bench-attachments-")
    storage = {"BACKEND": "django.core.files.storage.FileSystemStorage",
               "OPTIONS": {"location": location, "base_url": None}}  # fmt: skip
    photo = camera_photo()
    small = camera_photo((800, 600))
    attach_url = reverse("complaints:attach", args=[complaint.pk])

    def upload(data, name):
        def post():
            files = [SimpleUploadedFile(name, data, "image/jpeg")]
            ok(client.post(attach_url, {"attach-step": "work_done", "attach-files": files},
                           secure=True))  # fmt: skip

        return post

    def stream(url):
        def read():
            response = client.get(url, secure=True)
            ok(response)
            b"".join(response.streaming_content)  # the whole file, as a browser reads it

        return read

    overrides = override_settings(STORAGES={**_storages(), "attachments": storage})
    results = []
    try:
        with overrides, transaction.atomic():
            mb = len(photo) / 2**20
            # Each upload is rolled back: the complaint's 50 MB never fills up.
            results.append(measure(f"attach a {mb:.0f} MB photo POST", "page",
                                   upload(photo, "photo.jpg"), runs=runs, target_ms=500,
                                   rollback=True))  # fmt: skip
            upload(photo, "photo.jpg")()
            for n in range(19):
                upload(small, f"{n}.jpg")()
            big, first_small = complaint.attachments.order_by("pk")[:2]
            make_thumbnail(first_small)
            detail = reverse("complaints:detail", args=[complaint.pk])
            results.append(measure(f"detail with {complaint.attachments.count()} attachments",
                                   "page", lambda: ok(client.get(detail, secure=True)),
                                   runs=runs, target_ms=150))  # fmt: skip
            results.append(measure(f"photo GET ({mb:.0f} MB, streamed)", "page",
                                   stream(reverse("complaints:attachment", args=[big.pk])),
                                   runs=runs, target_ms=150))  # fmt: skip
            thumbnail = reverse("complaints:attachment_thumbnail", args=[first_small.pk])
            results.append(measure("thumbnail GET", "page", stream(thumbnail), runs=runs,
                                   target_ms=50))  # fmt: skip
            raise Rollback
    except Rollback:
        pass
    finally:
        shutil.rmtree(location, ignore_errors=True)
    return results


def _storages() -> dict:
    from django.conf import settings

    return dict(settings.STORAGES)
