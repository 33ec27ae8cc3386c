"""The duty log and website scan pages (R-LOG-1, R-LOG-2, R-CHAN-2)."""

import re
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse

from accounts.roles import Role
from complaints.models import DutyLogEntry, ShiftHandover, WebsiteScan
from tests.factories import (
    ComplaintFactory,
    DutyLogEntryFactory,
    ShiftHandoverFactory,
    WebsiteScanFactory,
    staff,
)

SHANGHAI = ZoneInfo("Asia/Shanghai")
NOW = datetime(2026, 11, 20, 10, 0, tzinfo=SHANGHAI)
pytestmark = [pytest.mark.django_db, pytest.mark.frozen_at(NOW)]
HTMX = {"HTTP_HX_REQUEST": "true"}


def line_data(office, **overrides):
    data = {
        "office": office.pk,
        "occurred_at": "2026-11-20T09:40",
        "kind": "inquiry",
        "customer_name": "王先生",
        "address": "3栋1502",
        "contact": "13800138000",
        "matter": "咨询停车月卡办理",
        "day": "2026-11-20",
    }
    data.update(overrides)
    return data


def test_the_duty_log_shows_todays_lines_of_the_assistants_office(
    assistant_client, office, other_office
):
    today = DutyLogEntryFactory(office=office, occurred_at=NOW - timedelta(hours=1))
    yesterday = DutyLogEntryFactory(office=office, occurred_at=NOW - timedelta(days=1))
    elsewhere = DutyLogEntryFactory(office=other_office, occurred_at=NOW - timedelta(hours=1))
    response = assistant_client.get(reverse("complaints:dutylog"))
    assert response.status_code == 200
    assert [line for line, _form in response.context["rows"]] == [today]
    assert f'data-testid="line-{today.pk}"' in response.text
    assert f'data-testid="line-{yesterday.pk}"' not in response.text
    assert f'data-testid="line-{elsewhere.pk}"' not in response.text


def test_the_day_starts_at_midnight_office_time(assistant_client, office):
    # 2026-11-20 00:30 in Shanghai is still 2026-11-19 in UTC
    after_midnight = DutyLogEntryFactory(
        office=office, occurred_at=datetime(2026, 11, 20, 0, 30, tzinfo=SHANGHAI)
    )
    response = assistant_client.get(reverse("complaints:dutylog"))
    assert [line for line, _form in response.context["rows"]] == [after_midnight]


def test_a_chosen_day_shows_that_days_lines(assistant_client, office):
    earlier = DutyLogEntryFactory(
        office=office, occurred_at=datetime(2026, 11, 3, 15, 0, tzinfo=SHANGHAI)
    )
    response = assistant_client.get(reverse("complaints:dutylog"), {"day": "2026-11-03"})
    assert [line for line, _form in response.context["rows"]] == [earlier]
    assert 'value="2026-11-03"' in response.text


def test_a_line_shows_the_columns_of_the_paper_form(assistant_client, assistant, office):
    DutyLogEntryFactory(
        office=office,
        occurred_at=datetime(2026, 11, 20, 9, 5, tzinfo=SHANGHAI),
        customer_name="王先生",
        address="3栋1502",
        contact="13800138000",
        matter="咨询停车月卡办理",
        recorder=assistant,
        handler="停车场刘队长",
        handling_status="已转停车场",
        handover_note="晚班回电",
    )
    text = assistant_client.get(reverse("complaints:dutylog")).text
    # R-LOG-1: time, details (customer, address, contact, matter), recorder, handler,
    # handling status, done, handover items
    for value in ("09:05", "王先生", "3栋1502", "13800138000", "咨询停车月卡办理", "李娜"):
        assert value in text
    for value in ("停车场刘队长", "已转停车场", "晚班回电", 'data-done="false"'):
        assert value in text
    assert "PM03-01-09-R01B/0" in text  # the printed form


def test_a_complaint_line_names_its_complaint(assistant_client, office):
    complaint = ComplaintFactory(office=office, received_at=NOW - timedelta(minutes=30))
    DutyLogEntryFactory(
        office=office, kind="complaint", complaint=complaint, occurred_at=complaint.received_at
    )
    response = assistant_client.get(reverse("complaints:dutylog"))
    assert complaint.number in response.text


@pytest.mark.parametrize("name", ["complaints:dutylog", "complaints:scans"])
def test_anonymous_visitors_are_sent_to_the_login(client, name):
    response = client.get(reverse(name))
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_adding_an_inquiry_line_shows_it_in_the_days_list(assistant_client, assistant, office):
    response = assistant_client.post(
        reverse("complaints:dutylog_add"), line_data(office), follow=True
    )
    line = DutyLogEntry.objects.get()
    assert response.status_code == 200
    assert (line.kind, line.recorder, line.customer_name) == ("inquiry", assistant, "王先生")
    assert [row for row, _form in response.context["rows"]] == [line]


def test_a_line_without_its_matter_is_refused_and_what_was_typed_is_kept(assistant_client, office):
    response = assistant_client.post(
        reverse("complaints:dutylog_add"), line_data(office, matter="")
    )
    assert response.status_code == 400
    assert not DutyLogEntry.objects.exists()
    assert response.context["line_form"].errors["matter"]
    assert 'data-testid="error-matter"' in response.text
    assert 'value="王先生"' in response.text and 'value="3栋1502"' in response.text


def test_a_complaint_line_posted_by_hand_is_refused(assistant_client, office):
    # R-REC-1: complaint lines come from the intake form
    response = assistant_client.post(
        reverse("complaints:dutylog_add"), line_data(office, kind="complaint")
    )
    assert response.status_code == 400
    assert 'data-testid="error-kind"' in response.text
    assert not DutyLogEntry.objects.exists()


def test_a_line_in_the_future_is_refused_with_the_reason(assistant_client, office):
    response = assistant_client.post(
        reverse("complaints:dutylog_add"), line_data(office, occurred_at="2026-11-20T11:00")
    )
    assert response.status_code == 400
    assert 'data-testid="error-occurred_at"' in response.text
    assert "咨询停车月卡办理" in response.text


def test_a_malformed_time_gets_a_message_not_a_500(assistant_client, office):
    response = assistant_client.post(
        reverse("complaints:dutylog_add"),
        line_data(office, occurred_at="2026-13-45T99:99", day="x"),
    )
    assert response.status_code == 400
    assert 'data-testid="error-occurred_at"' in response.text


def test_marking_a_line_done_with_htmx_returns_the_updated_line(assistant_client, office):
    line = DutyLogEntryFactory(office=office, occurred_at=NOW - timedelta(hours=1))
    response = assistant_client.post(
        reverse("complaints:dutylog_update", args=[line.pk]),
        {"handler": "维修部", "handling_status": "已派工", "done": "on"},
        **HTMX,
    )
    assert response.status_code == 200
    assert "<html" not in response.text  # only the line, swapped in place
    assert f'data-testid="line-{line.pk}-done" data-done="true"' in response.text
    line.refresh_from_db()  # R-LOG-1
    assert line.done and line.handling_status == "已派工"


def test_updating_a_line_without_htmx_returns_to_its_day(assistant_client, office):
    line = DutyLogEntryFactory(
        office=office, occurred_at=datetime(2026, 11, 18, 9, 0, tzinfo=SHANGHAI)
    )
    response = assistant_client.post(
        reverse("complaints:dutylog_update", args=[line.pk]), {"done": "on"}
    )
    assert response.status_code == 302
    assert "day=2026-11-18" in response.url
    line.refresh_from_db()
    assert line.done


def test_an_overlong_handler_is_refused_and_what_was_typed_is_kept(assistant_client, office):
    line = DutyLogEntryFactory(office=office, occurred_at=NOW - timedelta(hours=1))
    response = assistant_client.post(
        reverse("complaints:dutylog_update", args=[line.pk]),
        {"handler": "张" * 61, "handling_status": "已转维修部"},
        **HTMX,
    )
    assert response.status_code == 400
    assert 'data-testid="error-handler"' in response.text
    assert "已转维修部" in response.text
    line.refresh_from_db()
    assert line.handling_status == ""


def test_another_offices_line_is_not_found(assistant_client, other_office):
    line = DutyLogEntryFactory(office=other_office)
    response = assistant_client.post(
        reverse("complaints:dutylog_update", args=[line.pk]), {"done": "on"}
    )
    assert response.status_code == 404
    line.refresh_from_db()
    assert not line.done


def test_another_offices_handover_is_not_found(assistant_client, other_office):
    handover = ShiftHandoverFactory(office=other_office)
    response = assistant_client.post(reverse("complaints:handover_sign", args=[handover.pk]))
    assert response.status_code == 404
    handover.refresh_from_db()
    assert not handover.is_countersigned


def test_another_offices_scan_is_not_found(assistant_client, other_office):
    scan = WebsiteScanFactory(office=other_office, findings="帖子投诉电梯")
    response = assistant_client.get(reverse("complaints:intake"), {"scan": scan.pk})
    assert response.status_code == 404


def test_another_offices_duty_log_is_not_shown(assistant_client, other_office):
    elsewhere = DutyLogEntryFactory(office=other_office, occurred_at=NOW - timedelta(hours=1))
    response = assistant_client.get(reverse("complaints:dutylog"), {"office": other_office.pk})
    assert response.status_code == 400
    assert response.context["office"] != other_office
    assert f'data-testid="line-{elsewhere.pk}"' not in response.text


def test_a_malformed_day_is_explained_not_a_500(assistant_client):
    response = assistant_client.get(reverse("complaints:dutylog"), {"day": "2026-02-30"})
    assert response.status_code == 400
    assert 'data-testid="day-errors"' in response.text
    assert response.context["day"] == NOW.date()


def test_the_outgoing_assistant_signs_the_handover_from_the_page(
    assistant_client, assistant, office
):
    response = assistant_client.post(
        reverse("complaints:handover_new"),
        {"office": office.pk, "items": "3栋电梯待修，晚班跟进", "day": "2026-11-20"},
        follow=True,
    )
    handover = ShiftHandover.objects.get()
    assert handover.outgoing == assistant  # R-LOG-2
    assert f'data-testid="handover-{handover.pk}"' in response.text
    assert f'data-testid="countersign-{handover.pk}"' not in response.text  # not by themself


def test_the_handover_form_proposes_the_unfinished_lines(assistant_client, office):
    DutyLogEntryFactory(office=office, occurred_at=NOW - timedelta(hours=1), matter="电梯待修")
    DutyLogEntryFactory(
        office=office, occurred_at=NOW - timedelta(hours=2), matter="已办完", done=True
    )
    items = (
        assistant_client.get(reverse("complaints:dutylog"))
        .context["handover_form"]["items"]
        .value()
    )
    assert "电梯待修" in items and "已办完" not in items  # R-LOG-2: what is unfinished


def test_a_handover_without_items_is_refused_with_the_reason(assistant_client, office):
    response = assistant_client.post(
        reverse("complaints:handover_new"), {"office": office.pk, "items": "", "day": "2026-11-20"}
    )
    assert response.status_code == 400
    assert 'data-testid="error-items"' in response.text
    assert not ShiftHandover.objects.exists()


def test_the_incoming_assistant_countersigns_from_the_page(assistant_client, assistant, office):
    handover = ShiftHandoverFactory(office=office, handed_over_at=NOW - timedelta(minutes=10))
    page = assistant_client.get(reverse("complaints:dutylog"))
    assert f'data-testid="countersign-{handover.pk}"' in page.text
    response = assistant_client.post(reverse("complaints:handover_sign", args=[handover.pk]))
    assert response.status_code == 302
    handover.refresh_from_db()  # R-LOG-2
    assert handover.incoming == assistant and handover.incoming_signed_at == NOW


def test_a_second_countersign_is_refused_with_the_reason(assistant_client, office):
    colleague = staff(Role.CLIENT_ASSISTANT, office=office)
    handover = ShiftHandoverFactory(
        office=office, incoming=colleague, incoming_signed_at=NOW - timedelta(minutes=5)
    )
    response = assistant_client.post(reverse("complaints:handover_sign", args=[handover.pk]))
    assert response.status_code == 400  # R-LOG-2: signed once
    assert 'data-testid="refusals"' in response.text
    handover.refresh_from_db()
    assert handover.incoming == colleague


def test_a_branch_manager_reads_every_office_without_the_forms(
    branch_gm_client, office, other_office
):
    response = branch_gm_client.get(reverse("complaints:dutylog"), {"office": other_office.pk})
    assert response.status_code == 200
    assert response.context["office"] == other_office
    assert 'id="pick-office"' in response.text  # several offices: a choice
    assert 'data-testid="add-line"' not in response.text


@pytest.mark.parametrize("count", [5, 30])
def test_the_list_needs_the_same_queries_however_many_lines(
    assistant_client, office, count, django_assert_max_num_queries
):
    for minutes in range(count):
        DutyLogEntryFactory(office=office, occurred_at=NOW - timedelta(minutes=minutes + 1))
    complaint = ComplaintFactory(office=office)
    DutyLogEntryFactory(office=office, kind="complaint", complaint=complaint, occurred_at=NOW)
    ShiftHandoverFactory(office=office)
    with django_assert_max_num_queries(12):
        response = assistant_client.get(reverse("complaints:dutylog"))
    assert len(response.context["rows"]) == count + 1


def test_the_scans_page_warns_when_fewer_than_two_scans_today(assistant_client, office):
    WebsiteScanFactory(office=office, scanned_at=NOW - timedelta(hours=1))
    WebsiteScanFactory(office=office, scanned_at=NOW - timedelta(days=1))
    response = assistant_client.get(reverse("complaints:scans"))
    assert response.status_code == 200
    assert response.context["today_count"] == 1  # R-CHAN-2: at least twice a day
    assert 'data-testid="too-few-scans"' in response.text


def test_two_scans_today_meet_the_procedure(assistant_client, office):
    WebsiteScanFactory(office=office, scanned_at=NOW - timedelta(hours=3))
    WebsiteScanFactory(office=office, scanned_at=NOW - timedelta(hours=1))
    response = assistant_client.get(reverse("complaints:scans"))
    assert response.context["today_count"] == 2  # R-CHAN-2
    assert 'data-testid="too-few-scans"' not in response.text


def test_recording_a_scan_shows_it_in_the_list(assistant_client, assistant, office):
    response = assistant_client.post(
        reverse("complaints:scan_add"),
        {"office": office.pk, "site": "业主论坛", "findings": "帖子投诉3栋电梯"},
        follow=True,
    )
    scan = WebsiteScan.objects.get()
    assert (scan.scanned_by, scan.scanned_at) == (assistant, NOW)  # R-CHAN-2: who, when
    assert f'data-testid="scan-{scan.pk}"' in response.text
    assert "帖子投诉3栋电梯" in response.text


def test_a_scan_without_its_site_is_refused_and_the_findings_kept(assistant_client, office):
    response = assistant_client.post(
        reverse("complaints:scan_add"),
        {"office": office.pk, "site": "", "findings": "帖子投诉电梯"},
    )
    assert response.status_code == 400
    assert 'data-testid="error-site"' in response.text
    assert "帖子投诉电梯" in response.text
    assert not WebsiteScan.objects.exists()


def test_only_scans_with_findings_offer_to_record_a_complaint(assistant_client, office):
    found = WebsiteScanFactory(office=office, findings="帖子投诉电梯")
    nothing = WebsiteScanFactory(office=office, findings="")
    text = assistant_client.get(reverse("complaints:scans")).text
    assert f'data-testid="record-scan-{found.pk}"' in text
    assert f'data-testid="record-scan-{nothing.pk}"' not in text


def test_record_as_complaint_prefills_the_intake_with_channel_website(assistant_client, office):
    scan = WebsiteScanFactory(office=office, findings="业主论坛发帖：3栋电梯经常停运")
    page = assistant_client.get(reverse("complaints:scans")).text
    href = re.search(rf'href="([^"]+)" data-testid="record-scan-{scan.pk}"', page).group(1)
    form = assistant_client.get(href.replace("&amp;", "&")).context["form"]
    # R-CHAN-2: a finding is recorded as a complaint with channel "website"
    assert form["channel"].value() == "website"
    assert form["description"].value() == "业主论坛发帖：3栋电梯经常停运"
    assert form["website_scan"].value() == scan.pk
