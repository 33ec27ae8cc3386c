"""The webhook line of `make bench`: the intake POST again, with five webhook subscriptions
of integrations that see the office (docs/api.md, Webhooks), so the table shows what the
trigger adds to a step — the scope check and the delivery rows inside the step's transaction,
the payload after it. The subscriptions and every run are rolled back; queueing the task is
left out (one Redis publish per delivery, the broker's cost, not the database's)."""

from __future__ import annotations

from datetime import timedelta

SUBSCRIPTIONS = 5


class Rollback(Exception):
    pass


def webhook_results(intake, *, office, runs: int, measure) -> list:
    from unittest import mock

    from django.db import transaction
    from django.utils import timezone

    from accounts.models import Membership
    from integrations import receivers, webhooks
    from integrations.models import IntegrationToken, WebhookSubscription
    from integrations.tasks import deliver_webhook

    users = [m.user for m in Membership.objects.filter(office=office).select_related("user")]
    results = []
    try:
        with transaction.atomic(), mock.patch.object(deliver_webhook, "delay"):
            for n in range(SUBSCRIPTIONS):
                token = IntegrationToken(
                    name=f"bench {n}",
                    user=users[n % len(users)],
                    expires_at=timezone.now() + timedelta(days=1),
                )
                token.new_secret()
                token.save()
                WebhookSubscription.objects.create(token=token, url="https://crm.example.com/h")

            recorded = []

            def record(**told):
                recorded.append((webhooks.record_deliveries(**told), told))
                return recorded[-1][0]

            def intake_told():  # the step, then what its commit would run (rolled back here)
                recorded.clear()
                with mock.patch.object(receivers, "record_deliveries", record):
                    intake()
                for ids, told in recorded:
                    webhooks.after_commit(ids, told["event"], told["at"], told["complaint"].pk)

            results.append(
                measure(f"intake POST, {SUBSCRIPTIONS} webhook subscriptions", "page",
                        intake_told, runs=runs, target_ms=150, rollback=True)
            )  # fmt: skip
            raise Rollback
    except Rollback:
        pass
    return results
