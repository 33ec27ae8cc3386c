"""What the tracking page reads of one complaint: only what the resident may see.

Never an event's note, a dispatch, a corrective action, a staff member's name or anything of
another complaint — only the state, the promised reply, the contacts' dates and what was said to
the customer (`Contact.summary`), with the staff's role, and the photos brought with the
complaint (docs/resident.md, "What the page shows")."""

from __future__ import annotations

from dataclasses import dataclass, field

from complaints.models import Attachment, Classification, Status
from followups.models import Contact

from .links import live_link
from .models import TrackingLink
from .wording import role_label, state_words


@dataclass
class ContactLine:
    at: object
    method: str
    kind: str
    role: str
    summary: str


@dataclass
class TrackingView:
    complaint: object
    state: str
    asks_revisit: bool
    may_understand: bool
    contacts: list[ContactLine] = field(default_factory=list)
    photos: list = field(default_factory=list)
    successor_number: str = ""
    successor_token: str | None = None


def may_understand(complaint) -> bool:
    """R-CLO-2: "I understand" closes a to-improve or invalid complaint, never a valid one."""
    return complaint.classification != Classification.VALID


def tracking_view(link: TrackingLink) -> TrackingView:
    complaint = link.complaint
    office = complaint.office
    roles: dict[int, str] = {}
    contacts = []
    for contact in Contact.objects.filter(complaint=complaint).select_related("by").order_by("at"):
        if contact.by_id not in roles:
            roles[contact.by_id] = role_label(contact.by, office)
        contacts.append(
            ContactLine(
                at=contact.at,
                method=contact.get_method_display(),
                kind=contact.get_kind_display(),
                role=roles[contact.by_id],
                summary=contact.summary,
            )
        )
    photos = list(
        Attachment.objects.shown()
        .filter(complaint=complaint, step=Attachment.Step.INTAKE, kind=Attachment.Kind.PHOTO)
        .order_by("pk")
    )
    view = TrackingView(
        complaint=complaint,
        state=state_words(complaint.status),
        asks_revisit=complaint.status == Status.RESOLVED,
        may_understand=may_understand(complaint),
        contacts=contacts,
        photos=photos,
    )
    if complaint.status == Status.SUPERSEDED:
        # The one thing of another complaint the page names: the resident's own new complaint,
        # recorded from their answer, so they can follow it (docs/resident.md).
        successor = complaint.linked_complaints.order_by("received_at").first()
        if successor is not None:
            view.successor_number = successor.number
            _link, view.successor_token = live_link(successor)
    return view
