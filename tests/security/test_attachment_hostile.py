"""Hostile uploads (docs/security.md, Attachments): what an attacker sends as a "photo".

Threats: a stored file that runs as a page of the desk (SVG or HTML with script, a polyglot),
an executable or archive passed on to a colleague, a name that climbs out of the media
directory, a decompression bomb or an oversized file that exhausts the server. Each is refused
with a message in Chinese naming the file, and what was typed comes back; what is accepted is
stored without anything hidden after its end."""

import io
import zipfile
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.test import RequestFactory
from django.urls import reverse
from PIL import Image

from complaints.models import Attachment, Complaint
from complaints.models.attachment import attachment_storage
from tests.attachment_files import (
    HTML_PAGE,
    SVG_WITH_SCRIPT,
    huge_dimensions_png,
    pdf_bytes,
    photo_bytes,
    upload,
)
from tests.complaints.test_intake_views import form_data

pytestmark = pytest.mark.django_db
NOW = datetime(2026, 11, 20, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai"))
NOT_ACCEPTED = "只能附上照片（JPEG、PNG、WebP）或 PDF 文件"
MISNAMED = "内容却是"


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(NOW, tick=False):
        yield


def zip_bytes() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("invoice.exe", b"MZ\x90\x00" + b"\x00" * 64)
    return buffer.getvalue()


def other_image(fmt: str) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (8, 8)).save(buffer, fmt)
    return buffer.getvalue()


HOSTILE = {
    "svg with script": ("leak.svg", SVG_WITH_SCRIPT, NOT_ACCEPTED),
    "svg named .jpg": ("leak.jpg", SVG_WITH_SCRIPT, NOT_ACCEPTED),
    "html page": ("photo.html", HTML_PAGE, NOT_ACCEPTED),
    "html named .png": ("photo.png", HTML_PAGE, NOT_ACCEPTED),
    "executable": ("photo.exe", b"MZ\x90\x00\x03" + b"\x00" * 200, NOT_ACCEPTED),
    "executable named .jpg": ("photo.jpg", b"MZ\x90\x00\x03" + b"\x00" * 200, NOT_ACCEPTED),
    "zip archive": ("photos.zip", zip_bytes(), NOT_ACCEPTED),
    "zip named .pdf": ("letter.pdf", zip_bytes(), NOT_ACCEPTED),
    "gif": ("anim.gif", other_image("GIF"), NOT_ACCEPTED),
    "tiff": ("scan.tiff", other_image("TIFF"), NOT_ACCEPTED),
    "jpeg header then html": ("x.jpg", b"\xff\xd8\xff\xe0" + HTML_PAGE, NOT_ACCEPTED),
    "pdf named .jpg": ("photo.jpg", pdf_bytes(), MISNAMED),
    "jpeg named .png": ("photo.png", photo_bytes("JPEG"), MISNAMED),
    "jpeg named .svg": ("photo.svg", photo_bytes("JPEG"), MISNAMED),
    "right-to-left override hides .exe": ("\u202egpj.exe", photo_bytes("JPEG"), MISNAMED),
    "pdf with javascript": (
        "letter.pdf",
        pdf_bytes(b"/OpenAction << /S /JavaScript /JS (app.alert(1)) >> "),
        "含有脚本或嵌入文件",
    ),
    "pdf without its end": ("letter.pdf", pdf_bytes()[:-40], "不是完整的 PDF 文件"),
    "html behind a pdf header": ("letter.pdf", b"%PDF-1.4\n" + HTML_PAGE, "不是完整的 PDF 文件"),
    "decompression bomb": ("bomb.png", huge_dimensions_png(), "图像尺寸过大"),
    "empty file": ("empty.jpg", b"", "是空文件"),
    "cut-off photo": ("half.jpg", photo_bytes("JPEG")[:1500], "是一张损坏的照片"),
}


@pytest.mark.parametrize("case", HOSTILE, ids=list(HOSTILE))
def test_a_hostile_file_is_refused_with_a_message_and_nothing_typed_is_lost(
    client, assistant, assistant_client, office, case
):
    """Threat: a script, an executable or a disguised file uploaded as a photo is stored and
    served; the refusal loses what the assistant typed."""
    name, data, message = HOSTILE[case]
    hostile = upload(name, data, "image/jpeg")  # the browser's claim is never believed
    response = client.post(
        reverse("complaints:intake"),
        form_data(
            office, complainant_name="李女士", files=[hostile, upload("ok.pdf", pdf_bytes())]
        ),
    )
    assert response.status_code == 400
    assert message in response.text
    assert "\u202e" not in response.text
    assert 'value="李女士"' in response.text  # typed, kept
    assert "请重新选择照片和文件" in response.text  # and told to choose the files again
    assert not Complaint.objects.exists() and not Attachment.objects.exists()


def test_an_oversized_file_is_refused_with_the_limit_named(
    client, assistant, assistant_client, office, settings
):
    """Threat: an oversized upload fills the disk, refused without saying the limit."""
    settings.ATTACHMENT_MAX_FILE_BYTES = 64 * 1024
    big = upload("big.jpg", photo_bytes("JPEG") + b"\0" * 70_000)
    response = client.post(reverse("complaints:intake"), form_data(office, files=[big]))
    assert response.status_code == 400
    assert "“big.jpg”大于 64.0\xa0KB" in response.text  # filesizeformat keeps 64.0 KB together
    assert not Attachment.objects.exists()


def test_an_oversized_file_is_cut_off_while_it_arrives(settings):
    """Threat: a gigabyte "photo" fills the server's memory or temporary directory."""
    settings.ATTACHMENT_MAX_FILE_BYTES = 64 * 1024
    request = RequestFactory().post(
        "/", {"files": [upload("big.jpg", b"\xff" * 1_000_000), upload("ok.pdf", pdf_bytes())]}
    )
    big, ok = request.FILES.getlist("files")
    assert big.over_limit and big.size == 1_000_000
    assert big.read() == b""  # nothing past the limit was kept
    assert not getattr(ok, "over_limit", False) and ok.read() == pdf_bytes()


def test_more_files_than_allowed_at_once_are_refused(
    client, assistant, assistant_client, office, settings
):
    """Threat: a flood of files in one upload exhausts the disk or the worker."""
    settings.ATTACHMENT_MAX_FILES = 3
    files = [upload(f"{n}.pdf", pdf_bytes()) for n in range(4)]
    response = client.post(reverse("complaints:intake"), form_data(office, files=files))
    assert response.status_code == 400
    assert "一次最多附上 3 个文件" in response.text


def test_what_hides_after_a_photo_is_not_stored(client, assistant, assistant_client, office):
    """A polyglot: a real photo with a page or an archive after its end."""
    files = [
        upload("a.jpg", photo_bytes("JPEG") + HTML_PAGE),
        upload("b.png", photo_bytes("PNG") + zip_bytes()),
        upload("c.webp", photo_bytes("WEBP") + HTML_PAGE),
    ]
    response = client.post(reverse("complaints:intake"), form_data(office, files=files))
    assert response.status_code == 302
    for attachment in Attachment.objects.all():
        with attachment_storage().open(attachment.file.name, "rb") as stored:
            data = stored.read()
        assert b"<script" not in data and b"invoice.exe" not in data
        with Image.open(io.BytesIO(data)) as image:
            image.load()


def test_a_pdf_is_served_as_a_download_whatever_it_contains(
    client, assistant, assistant_client, office
):
    """A PDF that is also an HTML page never renders as one of the desk's pages."""
    polyglot = pdf_bytes(b"/Comment (<html><script>alert(1)</script></html>) ")
    client.post(reverse("complaints:intake"), form_data(office, files=[upload("x.pdf", polyglot)]))
    attachment = Attachment.objects.get()
    response = client.get(reverse("complaints:attachment", args=[attachment.pk]))
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "sandbox" in response["Content-Security-Policy"]


def test_the_type_served_is_the_checked_one_not_the_browsers_claim(
    client, assistant, assistant_client, office
):
    """Threat: the browser's claimed type makes the desk serve a file as a page (sniffing)."""
    client.post(
        reverse("complaints:intake"),
        form_data(office, files=[upload("a.jpg", photo_bytes("JPEG"), "text/html")]),
    )
    attachment = Attachment.objects.get()
    response = client.get(reverse("complaints:attachment", args=[attachment.pk]))
    assert response["Content-Type"] == "image/jpeg"
