"""Where attachments are stored and how large they may be, from the environment
(docs/operations.md, Attachments)."""

import json

from tests.config.test_settings import ROOT, run

# Settings only, no app loading: the S3 backend (the `s3` extra) need not be installed here.
PROBE = """
import json
from django.conf import settings
storage = settings.STORAGES["attachments"]
print(json.dumps({
    "backend": storage["BACKEND"], "options": {k: str(v) for k, v in storage["OPTIONS"].items()},
    "file": settings.ATTACHMENT_MAX_FILE_BYTES,
    "complaint": settings.ATTACHMENT_MAX_COMPLAINT_BYTES,
    "files": settings.ATTACHMENT_MAX_FILES, "pixels": settings.ATTACHMENT_MAX_PIXELS,
}))
"""


def attachment_settings(**env) -> dict:
    result = run(PROBE, DEBUG="true", **env)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_attachments_go_under_var_media_with_no_public_url_by_default():
    s = attachment_settings()
    assert s["backend"] == "django.core.files.storage.FileSystemStorage"
    assert s["options"] == {
        "location": str(ROOT / "var" / "media" / "attachments"),
        "base_url": "None",
    }
    assert (s["file"], s["complaint"]) == (10 * 2**20, 50 * 2**20)  # 10 MB a file, 50 a complaint
    assert s["files"] == 10 and s["pixels"] == 60_000_000


def test_a_bucket_switches_to_private_s3_compatible_storage():
    s = attachment_settings(
        ATTACHMENT_S3_BUCKET="desk-media",
        ATTACHMENT_S3_ENDPOINT_URL="https://minio.internal:9000",
        ATTACHMENT_S3_REGION="cn-south-1",
    )
    assert s["backend"] == "storages.backends.s3.S3Storage"
    assert s["options"]["bucket_name"] == "desk-media"
    assert s["options"]["endpoint_url"] == "https://minio.internal:9000"
    assert s["options"]["default_acl"] == "private"
    assert s["options"]["file_overwrite"] == "False"


def test_the_limits_are_configurable():
    s = attachment_settings(
        ATTACHMENT_MAX_FILE_MB="20", ATTACHMENT_MAX_COMPLAINT_MB="200", ATTACHMENT_MAX_PIXELS="1000"
    )
    assert (s["file"], s["complaint"], s["pixels"]) == (20 * 2**20, 200 * 2**20, 1000)
