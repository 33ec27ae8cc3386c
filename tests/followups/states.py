"""Complaint states built the way the desk builds them: through the workflow functions."""

from datetime import timedelta

from followups.workflow import record_corrective_action, record_revisit, resolve


def handled(complaint, by, at):
    """R-HND-1 then resolved at `at` + 1 minute: the revisit is due within 24 hours."""
    record_corrective_action(
        complaint,
        by=by,
        cause="施工队未遵守时间",
        correction="已制止夜间施工",
        prevention="加强装修巡查",
        now=at,
    )
    resolve(complaint, by=by, now=at + timedelta(minutes=1))
    complaint.refresh_from_db()
    return complaint


def revisited(complaint, by, at, outcome="satisfied"):
    """Handled at `at`, revisited two hours later with `outcome`."""
    handled(complaint, by, at)
    record_revisit(complaint, by=by, method="phone", outcome=outcome, now=at + timedelta(hours=2))
    complaint.refresh_from_db()
    return complaint
