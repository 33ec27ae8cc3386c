"""Photos without their metadata: EXIF (the camera's GPS position is a resident's home), XMP,
IPTC, comments and text chunks are dropped, and so is anything after the image's end (where a
polyglot hides its second file). No ORM here.

The pixels are copied, not decoded and encoded again: a 10 MB photo is stripped in
milliseconds within the upload's request, loses no quality, and the heavy work (the
thumbnail) is left to the worker. A JPEG keeps its orientation in a new, minimal EXIF block,
so a phone's upright photo stays upright."""

from __future__ import annotations

import struct

from PIL import Image


class UnreadablePhoto(ValueError):
    """The bytes do not follow the format they announced."""


# JPEG segments kept: JFIF (APP0), Adobe (APP14, needed for CMYK colours), the quantisation,
# Huffman and frame tables; APP2 only when it is the ICC colour profile (not MPF, which
# carries further images with their own EXIF).
_JPEG_APP2_KEPT = b"ICC_PROFILE\x00"
_JPEG_APPS_KEPT = {0xE0, 0xEE}
_JPEG_STANDALONE = {0x01, *range(0xD0, 0xD8)}
_SOI, _EOI, _SOS = 0xD8, 0xD9, 0xDA


def _segment(marker: int, payload: bytes) -> bytes:
    return bytes((0xFF, marker)) + struct.pack(">H", len(payload) + 2) + payload


def strip_jpeg(data: bytes, orientation: int | None = None) -> bytes:
    if data[:2] != b"\xff\xd8":
        raise UnreadablePhoto("no JPEG start")
    out = [data[:2]]
    if orientation and orientation != 1:
        exif = Image.Exif()
        exif[0x0112] = orientation
        out.append(_segment(0xE1, exif.tobytes()))
    pos, size = 2, len(data)
    while pos < size:
        if data[pos] != 0xFF:
            raise UnreadablePhoto("marker expected")
        marker = data[pos + 1] if pos + 1 < size else _EOI
        if marker == 0xFF:  # fill byte
            pos += 1
            continue
        if marker == _EOI:
            out.append(b"\xff\xd9")
            return b"".join(out)  # whatever follows the image is dropped
        if marker in _JPEG_STANDALONE or marker == _SOI:
            pos += 2
            continue
        if pos + 4 > size:
            raise UnreadablePhoto("truncated segment")
        (length,) = struct.unpack(">H", data[pos + 2 : pos + 4])
        end = pos + 2 + length
        if length < 2 or end > size:
            raise UnreadablePhoto("bad segment length")
        payload = data[pos + 4 : end]
        if marker == _SOS:
            out.append(data[pos:end])
            scan_end = _end_of_scan(data, end)
            out.append(data[end:scan_end])
            pos = scan_end
            continue
        is_app = 0xE0 <= marker <= 0xEF
        kept = (
            not is_app
            and marker != 0xFE  # comment
            or marker in _JPEG_APPS_KEPT
            or (marker == 0xE2 and payload.startswith(_JPEG_APP2_KEPT))
        )
        if kept:
            out.append(data[pos:end])
        pos = end
    raise UnreadablePhoto("no JPEG end")


def _end_of_scan(data: bytes, pos: int) -> int:
    """Where the entropy-coded data after a start-of-scan ends: the next marker that is not
    a stuffed zero or a restart marker."""
    while True:
        pos = data.find(b"\xff", pos)
        if pos < 0 or pos + 1 >= len(data):
            raise UnreadablePhoto("scan without end")
        following = data[pos + 1]
        if following == 0x00 or 0xD0 <= following <= 0xD7 or following == 0xFF:
            pos += 1
            continue
        return pos


_PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
# Chunks that draw the picture (APNG frames included); text, time and EXIF chunks are dropped.
_PNG_KEPT = {
    b"IHDR", b"PLTE", b"IDAT", b"IEND", b"tRNS", b"gAMA", b"cHRM", b"sRGB", b"iCCP",
    b"sBIT", b"bKGD", b"pHYs", b"acTL", b"fcTL", b"fdAT",
}  # fmt: skip


def strip_png(data: bytes) -> bytes:
    if not data.startswith(_PNG_SIGNATURE):
        raise UnreadablePhoto("no PNG signature")
    out, pos = [_PNG_SIGNATURE], len(_PNG_SIGNATURE)
    while pos + 8 <= len(data):
        (length,) = struct.unpack(">I", data[pos : pos + 4])
        kind = data[pos + 4 : pos + 8]
        end = pos + 12 + length
        if end > len(data):
            raise UnreadablePhoto("truncated chunk")
        if kind in _PNG_KEPT:
            out.append(data[pos:end])
        if kind == b"IEND":
            return b"".join(out)
        pos = end
    raise UnreadablePhoto("no PNG end")


_WEBP_DROPPED = {b"EXIF", b"XMP "}
_VP8X_EXIF, _VP8X_XMP = 0x08, 0x04


def strip_webp(data: bytes) -> bytes:
    if data[:4] != b"RIFF" or data[8:12] != b"WEBP":
        raise UnreadablePhoto("no WebP header")
    (riff_size,) = struct.unpack("<I", data[4:8])
    body_end = min(8 + riff_size, len(data))
    chunks, pos = [], 12
    while pos + 8 <= body_end:
        kind = data[pos : pos + 4]
        (length,) = struct.unpack("<I", data[pos + 4 : pos + 8])
        end = pos + 8 + length + (length & 1)
        if pos + 8 + length > body_end:
            raise UnreadablePhoto("truncated chunk")
        chunk = data[pos:end]
        if kind == b"VP8X":
            flags = chunk[8] & ~(_VP8X_EXIF | _VP8X_XMP)
            chunk = chunk[:8] + bytes((flags,)) + chunk[9:]
        if kind not in _WEBP_DROPPED:
            chunks.append(chunk)
        pos = end
    body = b"WEBP" + b"".join(chunks)
    return b"RIFF" + struct.pack("<I", len(body)) + body  # anything after the RIFF is dropped


STRIPPERS = {"image/png": strip_png, "image/webp": strip_webp}


def without_metadata(data: bytes, content_type: str, *, orientation: int | None = None) -> bytes:
    """The photo's bytes with its metadata removed (see the module's docstring)."""
    if content_type == "image/jpeg":
        return strip_jpeg(data, orientation)
    return STRIPPERS[content_type](data)
