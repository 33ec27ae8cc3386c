"""The webhooks in the admin, in Chromium (docs/api.md, Webhooks): a superuser subscribes an
integration and copies its secret from the one message that shows it, then reads the
delivery log of a receiver that refused, and sends the delivery again."""

import os

import pytest
from playwright.sync_api import expect

from accounts.roles import Role
from integrations.models import WebhookDelivery, WebhookSubscription
from integrations.webhooks import attempt
from tests.factories import IntegrationTokenFactory, OfficeFactory, UserFactory, staff
from tests.integrations.receiver import Receiver
from tests.integrations.test_webhooks import intake

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser]
SHOTS = os.environ.get("SCREENSHOTS")  # a folder: the pages are saved there to be looked at


def shoot(page, name):
    if SHOTS:
        page.screenshot(path=f"{SHOTS}/{name}.png", full_page=True)


def test_a_superuser_subscribes_sees_the_secret_once_and_redelivers(page, login, settings):
    settings.WEBHOOK_ALLOW_PRIVATE_ADDRESSES = True
    office = OfficeFactory(code="HY")
    assistant = staff(Role.CLIENT_ASSISTANT, office=office)
    token = IntegrationTokenFactory(user=assistant)
    receiver = Receiver().start()
    receiver.answers = [503]
    login(UserFactory(is_superuser=True, is_staff=True))

    page.goto("/admin/integrations/webhooksubscription/add/")
    page.fill("input[name=token]", str(token.pk))
    page.fill("input[name=url]", receiver.url)
    page.locator("input[name=on_escalated]").uncheck()
    page.locator("input[name=_save]").click()
    subscription = WebhookSubscription.objects.get()
    message = page.locator(".messagelist .warning")
    expect(message).to_contain_text("仅显示这一次")
    expect(message).to_contain_text(subscription.secret)
    shoot(page, "webhook-subscription-added")
    assert not subscription.on_escalated and subscription.on_closed
    page.goto(f"/admin/integrations/webhooksubscription/{subscription.pk}/change/")
    expect(page.locator("#content")).not_to_contain_text(subscription.secret)

    receiver.secret = subscription.secret
    complaint = intake(office, assistant)
    attempt(WebhookDelivery.objects.get().pk)  # the receiver answers 503
    page.goto("/admin/integrations/webhookdelivery/")
    row = page.locator("#result_list tbody tr")
    expect(row).to_contain_text(complaint.number)
    expect(row).to_contain_text("503")
    expect(row).to_contain_text("待推送")
    shoot(page, "webhook-deliveries")

    page.locator("#action-toggle").check()
    page.select_option("select[name=action]", "redeliver")
    page.locator("button[name=index]").click()
    expect(page.locator(".messagelist")).to_contain_text("已重新排队 1 条推送")
    attempt(WebhookDelivery.objects.get().pk)  # what the worker does with the queued task
    page.reload()
    expect(page.locator("#result_list tbody tr")).to_contain_text("200")
    page.locator("#result_list tbody tr th a").click()
    expect(page.locator("#content")).to_contain_text("已送达")
    shoot(page, "webhook-delivery")
    assert [r.signed for r in receiver.requests] == [True, True]
    receiver.stop()
