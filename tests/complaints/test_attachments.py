"""Photos and documents on a complaint and its steps: stored without the camera's metadata under
generated names, streamed only after the scope check, never deleted, only withdrawn with a
reason (docs/security.md, Attachments; R-REC-3, R-HND-1)."""

from io import BytesIO

import pytest
from django.db import IntegrityError, InternalError, connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from PIL import Image

from accounts.roles import Role
from complaints.attachments import AttachmentRefused, make_thumbnail, withdraw_attachment
from complaints.models import Attachment, Complaint, ComplaintEvent
from complaints.models.attachment import attachment_storage
from tests.attachment_files import jpeg, pdf, photo_bytes, png, upload, webp
from tests.complaints.test_intake_views import form_data
from tests.factories import ComplaintFactory, staff

pytestmark = pytest.mark.django_db


def stored(attachment: Attachment) -> bytes:
    with attachment_storage().open(attachment.file.name, "rb") as file:
        return file.read()


def attach(client, complaint, *files, step="complaint"):
    return client.post(
        reverse("complaints:attach", args=[complaint.pk]),
        {"attach-step": step, "attach-files": list(files)},
        follow=True,
    )


def test_photos_at_intake_are_stored_without_gps_and_shown_in_the_timeline(
    client, assistant, assistant_client, office
):
    """Threat: a resident's photo carries the GPS position of their home."""
    data = form_data(office, files=[jpeg("漏水.jpg", orientation=6), png(), webp(), pdf()])
    response = client.post(reverse("complaints:intake"), data)
    assert response.status_code == 302, response.content.decode()[:2000]
    complaint = Complaint.objects.get()
    attachments = list(complaint.attachments.order_by("pk"))
    assert [a.content_type for a in attachments] == [
        "image/jpeg",
        "image/png",
        "image/webp",
        "application/pdf",
    ]
    assert {a.step for a in attachments} == {Attachment.Step.INTAKE}
    for photo in attachments[:3]:
        with Image.open(BytesIO(stored(photo))) as image:
            exif = image.getexif()
            assert 0x8825 not in exif and not exif.get_ifd(0x8825)  # no GPS
            assert 0x010F not in exif  # no camera maker either
            image.load()  # still a whole picture
    with Image.open(BytesIO(stored(attachments[0]))) as upright:
        assert upright.getexif().get(0x0112) == 6  # the phone's orientation survives
    event = ComplaintEvent.objects.get(complaint=complaint, kind=ComplaintEvent.Kind.ATTACHED)
    assert event.actor == assistant and "漏水.jpg" in event.note

    page = client.get(reverse("complaints:detail", args=[complaint.pk])).text
    assert page.count('data-testid="attachment-thumb"') == 3 * 2  # the timeline and the gallery
    assert reverse("complaints:attachment", args=[attachments[3].pk]) in page


def test_a_stored_name_is_generated_and_the_users_name_is_only_shown(
    client, assistant, assistant_client, office
):
    """Threat: a file name that climbs out of the media directory or overwrites another file."""
    complaint = ComplaintFactory(office=office)
    attach(client, complaint, jpeg("../../../config/settings.jpg"), jpeg("..\\..\\x.jpg"))
    names = list(complaint.attachments.values_list("file", "original_name"))
    assert [shown for _file, shown in names] == ["settings.jpg", "x.jpg"]
    for file, _shown in names:
        assert ".." not in file and "settings" not in file
        assert file.endswith(".jpg") and len(file.rsplit("/", 1)[1]) == 32 + 4  # uuid hex


def test_a_photo_opens_in_the_browser_and_a_document_downloads(
    client, assistant, assistant_client, office
):
    """Threat: a stored file read as a page of the desk (sniffing, caching, framing)."""
    complaint = ComplaintFactory(office=office)
    attach(client, complaint, jpeg(), pdf("答复函.pdf"))
    photo, document = complaint.attachments.order_by("pk")
    response = client.get(reverse("complaints:attachment", args=[photo.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "image/jpeg"
    assert response["Content-Disposition"].startswith("inline")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "no-store" in response["Cache-Control"]
    assert "sandbox" in response["Content-Security-Policy"]
    assert b"".join(response.streaming_content) == stored(photo)

    response = client.get(reverse("complaints:attachment", args=[document.pk]))
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment")
    assert "filename*=utf-8''%E7%AD%94" in response["Content-Disposition"]
    assert response["X-Content-Type-Options"] == "nosniff"


def test_the_photo_is_shown_until_the_worker_has_made_its_thumbnail(
    client, assistant, assistant_client, office
):
    complaint = ComplaintFactory(office=office)
    attach(client, complaint, jpeg(size=(3000, 2000)))
    photo = complaint.attachments.get()
    url = reverse("complaints:attachment_thumbnail", args=[photo.pk])
    before = b"".join(client.get(url).streaming_content)
    assert before == stored(photo)

    assert make_thumbnail(photo) is True
    photo.refresh_from_db()
    response = client.get(url)
    with Image.open(BytesIO(b"".join(response.streaming_content))) as thumbnail:
        assert max(thumbnail.size) == 480
    assert make_thumbnail(photo) is False  # idempotent: a second run makes nothing


def test_the_supervisor_withdraws_a_file_with_a_reason_and_the_timeline_says_so(
    client, assistant, assistant_client, office
):
    complaint = ComplaintFactory(office=office)
    attach(client, complaint, jpeg("另一户.jpg"))
    photo = complaint.attachments.get()
    supervisor = staff(Role.CUSTOMER_SUPERVISOR, office=office)
    client.force_login(supervisor)
    response = client.post(
        reverse("complaints:attachment_withdraw", args=[photo.pk]),
        {"withdraw-reason": "拍到了另一户的门牌"},
        follow=True,
    )
    assert response.status_code == 200
    photo.refresh_from_db()
    assert photo.withdrawn_by == supervisor and photo.withdrawal_reason == "拍到了另一户的门牌"
    event = complaint.events.get(kind=ComplaintEvent.Kind.ATTACHMENT_WITHDRAWN)
    assert "拍到了另一户的门牌" in event.note
    # Off the pages, not out of the record: the row and the file stay.
    assert client.get(reverse("complaints:attachment", args=[photo.pk])).status_code == 404
    assert stored(photo)
    assert 'data-testid="attachment-thumb"' not in response.text


def test_an_assistant_cannot_withdraw_and_a_reason_is_required(
    client, assistant, assistant_client, office
):
    complaint = ComplaintFactory(office=office)
    attach(client, complaint, jpeg())
    photo = complaint.attachments.get()
    with pytest.raises(AttachmentRefused) as refused:
        withdraw_attachment(photo, by=assistant, reason="")
    assert len(refused.value.reasons) == 2  # the role and the reason, both said
    response = client.post(
        reverse("complaints:attachment_withdraw", args=[photo.pk]),
        {"withdraw-reason": "不想要了"},
        follow=True,
    )
    assert "只有客户主任或管理处经理可以撤回文件" in response.text
    photo.refresh_from_db()
    assert not photo.is_withdrawn


def test_the_database_refuses_to_delete_an_attachment(client, assistant, assistant_client, office):
    """Threat: the record's evidence quietly removed (audit trail)."""
    if connection.vendor != "postgresql":
        pytest.skip("the trigger is PostgreSQL's; SQLite is the development database")
    complaint = ComplaintFactory(office=office)
    attach(client, complaint, pdf())
    with pytest.raises((InternalError, IntegrityError)), transaction.atomic():
        Attachment.objects.all().delete()
    assert Attachment.objects.count() == 1


def test_a_step_form_attaches_its_photos_to_the_record_it_writes(
    client, assistant, assistant_client, office
):
    """R-HND-1: the photos of the corrective action belong to it."""
    complaint = ComplaintFactory(office=office)
    response = client.post(
        reverse("followups:corrective_action", args=[complaint.pk]),
        {
            "action-cause": "水管老化",
            "action-correction": "更换水管",
            "action-prevention": "每年检查",
            "action-files": [jpeg("修好了.jpg")],
        },
        follow=True,
    )
    assert response.status_code == 200
    action = complaint.corrective_actions.get()
    photo = complaint.attachments.get()
    assert (photo.step, photo.record_id) == (Attachment.Step.CORRECTIVE_ACTION, action.pk)


def test_a_refused_file_refuses_the_step_and_keeps_what_was_typed(
    client, assistant, assistant_client, office
):
    complaint = ComplaintFactory(office=office)
    response = client.post(
        reverse("followups:contact", args=[complaint.pk]),
        {
            "contact-kind": "progress",
            "contact-method": "phone",
            "contact-summary": "配件已订购，周五上门",
            "contact-signed": "on",
            "contact-files": [upload("page.html", b"<html><script>alert(1)</script></html>")],
        },
        follow=True,
    )
    assert not complaint.contacts.exists() and not complaint.attachments.exists()
    assert "page.html" in response.text and "只能附上照片" in response.text
    assert "配件已订购，周五上门" in response.text  # typed, kept


def test_a_complaint_keeps_at_most_its_limit_of_files(
    client, assistant, assistant_client, office, settings
):
    settings.ATTACHMENT_MAX_COMPLAINT_BYTES = 2 * len(photo_bytes()) + 10
    complaint = ComplaintFactory(office=office)
    attach(client, complaint, jpeg(), jpeg())
    response = attach(client, complaint, jpeg())
    assert complaint.attachments.count() == 2
    assert "最多" in response.text


def test_the_detail_page_costs_the_same_queries_with_twenty_attachments(
    client, assistant, assistant_client, office
):
    few, many = ComplaintFactory(office=office), ComplaintFactory(office=office)
    attach(client, few, jpeg())
    for _batch in range(4):
        attach(client, many, *[jpeg(f"{n}.jpg") for n in range(4)], pdf())
    assert many.attachments.count() == 20

    def queries(complaint) -> int:
        with CaptureQueriesContext(connection) as captured:
            response = client.get(reverse("complaints:detail", args=[complaint.pk]))
            assert response.status_code == 200
        return len(captured)

    queries(few)  # warm the session
    assert queries(many) == queries(few)


@pytest.mark.parametrize(
    "url_name, data",
    [
        (
            "followups:contact",
            {"contact-kind": "progress", "contact-method": "visit", "contact-summary": "上门查看"},
        ),
        (
            "followups:dispatch",
            {
                "dispatch-department": "engineering",
                "dispatch-instructions": "更换水管",
                "dispatch-due_at": "2099-01-01T10:00",
            },
        ),
    ],
)
def test_contacts_and_work_orders_carry_their_photos(
    client, assistant, assistant_client, office, url_name, data
):
    complaint = ComplaintFactory(office=office)
    response = client.post(
        reverse(url_name, args=[complaint.pk]),
        {**data, f"{url_name.split(':')[1]}-files": [jpeg(), pdf()]},
        follow=True,
    )
    assert response.status_code == 200
    step = url_name.split(":")[1]
    record = (complaint.contacts if step == "contact" else complaint.dispatches).get()
    assert set(complaint.attachments.values_list("step", "record_id")) == {(step, record.pk)}
    assert response.text.count('data-testid="attachment-document"') == 2  # timeline, list


def test_the_work_done_is_photographed_from_the_complaints_page(
    client, assistant, assistant_client, office
):
    """The camera input opens a phone's camera at once; the chooser stays for a desk."""
    complaint = ComplaintFactory(office=office)
    page = client.get(reverse("complaints:detail", args=[complaint.pk])).text
    assert 'name="attach-camera"' in page and 'capture="environment"' in page
    assert 'accept="image/*,application/pdf"' in page
    response = client.post(
        reverse("complaints:attach", args=[complaint.pk]),
        {"attach-step": "work_done", "attach-camera": [jpeg("IMG_0001.JPG")]},
        follow=True,
    )
    assert "已附上 1 个文件" in response.text
    assert complaint.attachments.get().step == Attachment.Step.WORK_DONE


def test_the_quality_department_attaches_the_letter_that_reached_the_branch(client, office):
    """R-QD-1: the branch records the complaint, with the letter it received."""
    manager = staff(Role.OFFICE_MANAGER, office=office)
    client.force_login(staff(Role.QUALITY_DEPARTMENT, branch=office.branch))
    data = form_data(office, channel="branch", handler=manager.pk, files=[pdf("来信.pdf")])
    assert client.post(reverse("complaints:intake"), data).status_code == 302
    letter = Attachment.objects.get()
    assert (letter.complaint.channel, letter.original_name) == ("branch", "来信.pdf")


def test_a_branch_general_manager_reads_but_does_not_attach(client, office):
    complaint = ComplaintFactory(office=office)
    client.force_login(staff(Role.BRANCH_GM, branch=office.branch))
    page = client.get(reverse("complaints:detail", args=[complaint.pk])).text
    assert 'data-testid="attach-form"' not in page
    response = attach(client, complaint, jpeg())
    assert "您不能为该管理处的投诉附加文件" in response.text
    assert not Attachment.objects.exists()
