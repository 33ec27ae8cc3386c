"""The Content-Security-Policy in a real browser (issue #7, authentication): the desk's pages
and the admin run under it without a single violation, and what their scripts do still works.

Threat: a strict policy that quietly breaks the desk gets switched off; a policy full of
exceptions protects nothing. Chromium reports every blocked script, style or handler as a
`securitypolicyviolation` event, which the test collects on every page it opens."""

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from accounts.models import User
from accounts.roles import Role
from complaints.models import ComplaintEvent
from reports.workflow import generate_report
from tests.factories import (
    BuildingFactory,
    CategoryFactory,
    ComplaintFactory,
    MembershipFactory,
    UnitFactory,
    staff,
)

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser]
SHANGHAI = ZoneInfo("Asia/Shanghai")

# Installed before any page script: records violations, and counts print requests instead of
# opening the print dialog.
WATCH = """
window.__violations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  const where = `${event.sourceFile}:${event.lineNumber}`;
  window.__violations.push(`${event.violatedDirective} ${event.blockedURI} ${where}`);
});
window.__printed = 0;
window.print = () => { window.__printed += 1; };
"""


@pytest.fixture
def watched(page):
    """The page, with every CSP violation (events and console) collected."""
    page.context.add_init_script(WATCH)
    console = []
    page.on(
        "console",
        lambda message: (
            console.append(message.text) if "Content Security Policy" in message.text else None
        ),
    )
    page.console_violations = console
    return page


def violations(page) -> list[str]:
    return page.evaluate("window.__violations") + page.console_violations


def visit(page, url):
    response = page.goto(url)
    assert response.status == 200, url
    assert "script-src 'self'" in response.headers["content-security-policy"]
    page.wait_for_load_state("networkidle")
    assert violations(page) == [], url


def test_the_desks_pages_run_under_the_policy_and_their_scripts_still_work(watched, login, office):
    """Threat: the strict policy breaks the desk's own scripts, so someone switches it off."""
    page = watched
    UnitFactory(building=BuildingFactory(office=office, name="3栋"), name="2单元")
    CategoryFactory(name="装修噪音")
    manager = staff(Role.OFFICE_MANAGER, office=office, full_name="张经理")
    MembershipFactory(user=manager, role=Role.CLIENT_ASSISTANT, office=office)
    MembershipFactory(user=manager, role=Role.QUALITY_DEPARTMENT, office=None, branch=office.branch)
    complaint = ComplaintFactory(
        office=office, received_by=manager, description="楼上装修\n晚上十点后仍在施工"
    )
    ComplaintEvent.objects.create(complaint=complaint, kind="recorded", actor=manager)
    report, _ = generate_report(
        office=office,
        month=date(2026, 11, 1),
        now=datetime(2026, 12, 1, 0, 30, tzinfo=SHANGHAI),
    )
    login(manager)
    assert violations(page) == []

    for url in ["/", "/complaints/", f"/complaints/{complaint.pk}/", "/duty-log/"]:
        visit(page, url)
    visit(page, f"/reports/{report.pk}/")
    page.get_by_role("button", name="打印").click()
    assert page.evaluate("window.__printed") == 1  # data-print, from desk.js

    # The intake's own script: the facility field shows only for a facility fault.
    visit(page, "/complaints/new/")
    facility = page.locator("#field-facility_kind")
    assert facility.is_hidden()
    page.select_option("#id_urgent_kind", "facility")
    assert facility.is_visible()
    # htmx under the policy: choosing a building loads its units.
    page.select_option("#id_building", label="3栋")
    page.wait_for_function("document.querySelectorAll('#id_unit option').length > 1")

    # htmx swaps the list's results as the assistant types.
    visit(page, "/complaints/")
    with page.expect_response(lambda response: "/complaints/?" in response.url):
        page.locator("input[name=q]").press_sequentially(complaint.number)
    page.get_by_text(complaint.number).first.wait_for()

    # The language switch submits its form from desk.js (data-submit-on-change).
    page.select_option("select[name=language]", "en")
    page.wait_for_load_state()
    page.get_by_role("button", name="Log out").wait_for()
    assert violations(page) == []


def test_the_admin_runs_under_the_policy(watched, login, office):
    """Threat: the admin breaks under the policy, so it gets an exemption that protects nothing."""
    page = watched
    complaint = ComplaintFactory(office=office, received_at=datetime.now(SHANGHAI) - timedelta(1))
    root = User.objects.create_superuser("root", "root@example.com", "pw-for-the-admin-test")
    login(root, "pw-for-the-admin-test")
    for url in [
        "/admin/",
        "/admin/complaints/complaint/",
        f"/admin/complaints/complaint/{complaint.pk}/change/",
        "/admin/complaints/calendaroverride/add/",
        "/admin/followups/closurerequest/",
        f"/admin/accounts/user/{root.pk}/change/",
    ]:
        visit(page, url)
    # The admin's own scripts work: the calendar widget of a date field opens.
    visit(page, "/admin/complaints/calendaroverride/add/")
    page.locator(".datetimeshortcuts a").last.click()
    assert page.locator(".calendarbox").first.is_visible()
    assert violations(page) == []


def test_the_residents_pages_run_under_the_policy(watched, office):
    """Threat: the public pages (no login, WeChat's browser) get an exemption from the policy,
    or the QR code and the photos break under it (#17)."""
    from followups.workflow import record_contact
    from resident.links import issue_link
    from tests.followups.states import handled

    page = watched
    supervisor = staff(Role.CUSTOMER_SUPERVISOR, office=office)
    complaint = ComplaintFactory(
        office=office, received_by=supervisor, received_at=datetime.now(SHANGHAI) - timedelta(1)
    )
    record_contact(complaint, by=supervisor, kind="progress", method="phone", summary="已上门")
    handled(complaint, supervisor, datetime.now(SHANGHAI) - timedelta(hours=1))
    link, token = issue_link(complaint)
    for url in ["/t/", f"/t/{token}/", "/t/not-a-token/"]:
        page.goto(url)
        page.wait_for_load_state("networkidle")
    page.goto("/t/")
    page.fill("input[name=code]", link.code)
    page.click("button[type=submit]")
    page.wait_for_load_state("networkidle")
    page.check("input[value=satisfied]")
    page.click("form[action$='/revisit/'] button[type=submit]")
    page.wait_for_load_state("networkidle")
    assert page.get_by_test_id("state").get_attribute("data-status") == "revisited"
    assert violations(page) == []
