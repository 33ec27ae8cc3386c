"""Signals for the apps above complaints (imports point one way: followups listens here)."""

from django.dispatch import Signal

# Sent inside the intake transaction with complaint=, by=, now=; receivers write rows
# (notifications) in the same transaction.
complaint_recorded = Signal()
