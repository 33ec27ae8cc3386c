"""Signals for the apps above complaints (imports point one way: followups listens here)."""

from django.dispatch import Signal

# Sent inside the intake transaction with complaint=, by=, now=; receivers write rows
# (notifications) in the same transaction.
complaint_recorded = Signal()
# Sent inside the correction's transaction with complaint=, by=, now= when a correction makes
# a complaint major (R-SEV-1): the office manager is told as at intake.
complaint_made_major = Signal()
# Sent when a calendar change puts the limit of an agreed reply before the agreed time, with
# complaint=, limit=, now=: the customer must be told (followups writes the contact task).
reply_limit_moved = Signal()
