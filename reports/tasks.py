"""Celery tasks of the monthly report: thin, idempotent."""

from celery import shared_task
from django.utils import timezone

from . import workflow
from .mail import send_branch_report
from .weekly import send_weekly_summaries


@shared_task
def monthly_reports() -> int:
    return workflow.generate_due_reports(now=timezone.now())


@shared_task
def missing_report_alert() -> int:
    return workflow.alert_missing_reports(now=timezone.now())


@shared_task
def mail_branch_report(report_pk: int) -> int:
    return send_branch_report(report_pk)


@shared_task
def weekly_summaries() -> int:
    return send_weekly_summaries(now=timezone.now())
