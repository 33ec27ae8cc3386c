"""Why a complaint missed a work standard, in words, for the list behind a report's number
(issue 14). Reads the annotations of `reports.measures.annotated`, so it costs no query."""

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

# The standards met by doing something before its deadline: measure → (not done, done late,
# the annotation of when it was done, of when it was due).
DONE_BY = {
    "urgent_dispatched_on_time": (
        gettext_lazy("not dispatched; due by %(due)s (R-URG-1)"),
        gettext_lazy("dispatched %(at)s, due by %(due)s (R-URG-1)"),
        "dispatched_at",
        "dispatch_due",
    ),
    "replied_on_time": (
        gettext_lazy("no reply; agreed for %(due)s (R-REPLY-3)"),
        gettext_lazy("replied %(at)s, agreed for %(due)s (R-REPLY-3)"),
        "replied_at",
        "reply_due",
    ),
    "revisited_on_time": (
        gettext_lazy("not revisited; due by %(due)s (R-REV-1)"),
        gettext_lazy("revisited %(at)s, due by %(due)s (R-REV-1)"),
        "revisit_done_at",
        "revisit_due",
    ),
}


def _at(moment) -> str:
    return timezone.localtime(moment).strftime("%m-%d %H:%M") if moment else "—"


def _done_against(message: str, at, due) -> str:
    """`message` with when it was done (%(at)s) and when it was due (%(due)s)."""
    return message % {"at": _at(at), "due": _at(due)}


def why_missed(name: str, complaint) -> str:
    """The reason `complaint` (annotated) missed the measure `name`; empty when unknown."""
    c = complaint
    if name == "accepted":
        return _("no complaint line in the duty log (R-REC-1)")
    if name == "entered_on_time":
        if c.awaiting_check:
            return _("sent from the community's page, not checked; due by %(due)s (R-REC-2)") % {
                "due": _at(c.entry_due)
            }
        return _done_against(
            _("entered %(at)s, due by %(due)s (R-REC-2)"), c.entered_at, c.entry_due
        )
    if name in DONE_BY:
        not_done, late, done_at, due = DONE_BY[name]
        if getattr(c, done_at) is None:
            return not_done % {"due": _at(getattr(c, due))}
        return _done_against(late, getattr(c, done_at), getattr(c, due))
    if name == "contacted_every_3_days":
        if c.late_contact:
            return _("more than 3 days between two contacts (R-URG-2)")
        return _("no contact after %(due)s, while still handled (R-URG-2)") % {
            "due": _at(c.last_contact_due)
        }
    if name == "complete_records":
        return _("missing: %(parts)s (R-REC-3)") % {
            "parts": ", ".join(map(str, c.missing_record_labels()))
        }
    if name == "satisfied":
        return _("last revisit: not satisfied")
    if name == "courteous":
        return _("a revisit found the staff discourteous")
    return ""
