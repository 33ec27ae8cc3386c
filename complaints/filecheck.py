"""What an uploaded file really is, read from its bytes, never from its name or the browser's
content type (docs/security.md, Attachments). No ORM here: the rules are tested fast.

Accepted: photos (JPEG, PNG, WebP, opened by Pillow) and PDF documents (magic bytes and the
minimal structure of a PDF). Everything else is refused with a message the user can act on."""

from __future__ import annotations

import os
import re
import unicodedata
import warnings
from dataclasses import dataclass

from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from PIL import Image, UnidentifiedImageError

PHOTO, DOCUMENT = "photo", "document"
# Pillow's format name → (content type, the file-name extensions that honestly name it).
PHOTO_FORMATS = {
    "JPEG": ("image/jpeg", (".jpg", ".jpeg", ".jfif")),
    "PNG": ("image/png", (".png",)),
    "WEBP": ("image/webp", (".webp",)),
}
PDF_TYPE, PDF_EXTENSIONS = "application/pdf", (".pdf",)
SUFFIX_FOR = {"image/jpeg": ".jpg", "image/png": ".png", "image/webp": ".webp", PDF_TYPE: ".pdf"}
PDF_TAIL = 2048  # `startxref` and `%%EOF` close every PDF, within its last bytes
# Active content a PDF reader would run or unpack: refused where it is written in the clear.
PDF_ACTIVE = (b"/JavaScript", b"/JS", b"/Launch", b"/EmbeddedFile", b"/RichMedia", b"/XFA")
MAX_NAME = 120


class UploadRefused(Exception):
    """The file is not accepted; `message` says why, in the user's language."""

    def __init__(self, message: str):
        self.message = message
        super().__init__(message)


@dataclass(frozen=True)
class CheckedFile:
    kind: str  # PHOTO or DOCUMENT
    content_type: str
    name: str  # the user's file name, cleaned, for showing only
    size: int
    width: int | None = None
    height: int | None = None
    orientation: int | None = None  # the photo's EXIF orientation, kept when metadata goes

    @property
    def suffix(self) -> str:
        return SUFFIX_FOR[self.content_type]


def display_name(raw: str) -> str:
    """The user's file name as text to show: no directories (`../../etc/passwd`, `C:\\x`), no
    control or format characters (a right-to-left override makes `gpj.exe` read `exe.jpg`)."""
    name = os.path.basename((raw or "").replace("\\", "/"))
    name = "".join(ch for ch in name if unicodedata.category(ch)[0] != "C")
    name = re.sub(r"\s+", " ", name).strip(" .")
    if len(name) > MAX_NAME:
        stem, suffix = os.path.splitext(name)
        name = stem[: MAX_NAME - len(suffix[:10])] + suffix[:10]
    return name or _("file")


def _extension(name: str) -> str:
    return os.path.splitext(name)[1].lower()


def _not_accepted(name: str) -> UploadRefused:
    return UploadRefused(
        _("“%(name)s” cannot be attached: only photos (JPEG, PNG, WebP) and PDF documents can.")
        % {"name": name}
    )


def _misnamed(name: str, actual: str) -> UploadRefused:
    return UploadRefused(
        _(
            "“%(name)s” is named %(extension)s but is a %(actual)s file: choose the right file "
            "or give it its true name."
        )
        % {"name": name, "extension": _extension(name), "actual": actual}
    )


def _check_pdf(upload, name: str, size: int) -> CheckedFile:
    upload.seek(0)
    data = upload.read()
    tail = data[-PDF_TAIL:]
    if not re.match(rb"%PDF-[12]\.\d", data[:8]) or b"%%EOF" not in tail:
        raise UploadRefused(_("“%(name)s” is not a complete PDF document.") % {"name": name})
    has_objects = b" obj" in data or b"\nobj" in data  # `1 0 obj`: the body's objects
    if b"startxref" not in tail or not has_objects:
        raise UploadRefused(_("“%(name)s” is not a complete PDF document.") % {"name": name})
    if any(marker in data for marker in PDF_ACTIVE):
        raise UploadRefused(
            _("“%(name)s” contains scripts or embedded files: print it to a plain PDF first.")
            % {"name": name}
        )
    if _extension(name) not in ("", *PDF_EXTENSIONS):
        raise _misnamed(name, "PDF")
    return CheckedFile(DOCUMENT, PDF_TYPE, name, size)


def _check_photo(upload, name: str, size: int, *, max_pixels: int) -> CheckedFile:
    upload.seek(0)
    Image.MAX_IMAGE_PIXELS = max_pixels  # Pillow's own bomb guard, at the desk's limit
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            # Only these formats are tried: an SVG, a GIF or a TIFF never reaches a decoder.
            with Image.open(upload, formats=list(PHOTO_FORMATS)) as image:
                width, height = image.size
                if width * height > max_pixels:
                    raise _too_many_pixels(name, width, height, max_pixels)
                orientation = image.getexif().get(0x0112)
                image_format = image.format
                image.verify()  # the structure (PNG checksums), without decoding the pixels
    except UploadRefused:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as bomb:
        raise _too_many_pixels(name, 0, 0, max_pixels) from bomb
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as unreadable:
        raise _not_accepted(name) from unreadable
    content_type, extensions = PHOTO_FORMATS[image_format]
    if _extension(name) not in ("", *extensions):
        raise _misnamed(name, image_format)
    return CheckedFile(PHOTO, content_type, name, size, width, height, orientation)


def _too_many_pixels(name: str, width: int, height: int, max_pixels: int) -> UploadRefused:
    return UploadRefused(
        _("“%(name)s” is too large an image (over %(megapixels)d megapixels): send a smaller one.")
        % {"name": name, "megapixels": max_pixels // 1_000_000}
    )


def check_upload(upload, *, max_bytes: int, max_pixels: int) -> CheckedFile:
    """What `upload` (a Django UploadedFile) is, or UploadRefused with the reason."""
    name = display_name(upload.name)
    size = upload.size or 0
    if getattr(upload, "over_limit", False) or size > max_bytes:
        raise UploadRefused(
            _("“%(name)s” is larger than %(limit)s: send a smaller file.")
            % {"name": name, "limit": filesizeformat(max_bytes)}
        )
    if size == 0:
        raise UploadRefused(_("“%(name)s” is empty.") % {"name": name})
    upload.seek(0)
    head = upload.read(8)
    if head.startswith(b"%PDF-"):
        return _check_pdf(upload, name, size)
    return _check_photo(upload, name, size, max_pixels=max_pixels)
