"""Photos lose their metadata, not their pixels (docs/security.md, Attachments): the camera's
GPS position of a resident's home never reaches the storage."""

from io import BytesIO

import pytest
from PIL import Image, ImageCms

from complaints.photometa import UnreadablePhoto, without_metadata
from tests.attachment_files import GPS_LATITUDE

TYPES = {"JPEG": "image/jpeg", "PNG": "image/png", "WEBP": "image/webp"}


def camera_photo(fmt: str, **save) -> tuple[bytes, bytes]:
    """(the file, its decoded pixels): a gradient with maker, model and GPS in its EXIF."""
    image = Image.linear_gradient("L").resize((320, 240)).convert("RGB")
    exif = Image.Exif()
    exif[0x010F], exif[0x0110] = "PhoneMaker", "Phone X"
    exif[0x8825] = {1: "N", 2: GPS_LATITUDE, 3: "E", 4: (113.0, 56.0, 1.0)}
    buffer = BytesIO()
    image.save(buffer, fmt, exif=exif.tobytes(), **save)
    data = buffer.getvalue()
    return data, Image.open(BytesIO(data)).tobytes()


@pytest.mark.parametrize(
    "fmt, save",
    [("JPEG", {}), ("JPEG", {"progressive": True}), ("PNG", {}), ("WEBP", {"lossless": True})],
    ids=["jpeg", "progressive-jpeg", "png", "webp"],
)
def test_the_metadata_goes_and_every_pixel_stays(fmt, save):
    data, pixels = camera_photo(fmt, **save)
    stripped = without_metadata(data, TYPES[fmt])
    assert b"PhoneMaker" in data and b"PhoneMaker" not in stripped
    with Image.open(BytesIO(stripped)) as image:
        assert not image.getexif()  # no GPS, no maker, nothing
        assert image.tobytes() == pixels  # copied, not re-encoded


def test_a_jpeg_keeps_its_colour_profile_and_orientation():
    data, pixels = camera_photo("JPEG", icc_profile=ImageCms.ImageCmsProfile(
        ImageCms.createProfile("sRGB")).tobytes())  # fmt: skip
    stripped = without_metadata(data, "image/jpeg", orientation=8)
    with Image.open(BytesIO(stripped)) as image:
        assert image.info.get("icc_profile")
        assert dict(image.getexif()) == {0x0112: 8}


def test_a_second_image_after_the_first_is_dropped():
    """Multi-picture files (and polyglots) carry more behind the image's end, EXIF included."""
    first, pixels = camera_photo("JPEG")
    second, _pixels = camera_photo("JPEG")
    stripped = without_metadata(first + second, "image/jpeg")
    assert stripped.count(b"\xff\xd8") == 1 and b"PhoneMaker" not in stripped
    assert Image.open(BytesIO(stripped)).tobytes() == pixels


@pytest.mark.parametrize("fmt", TYPES)
def test_a_cut_photo_is_refused_not_half_stored(fmt):
    data, _pixels = camera_photo(fmt)
    with pytest.raises(UnreadablePhoto):
        without_metadata(data[: len(data) // 2], TYPES[fmt])
