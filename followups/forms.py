"""The forms of the follow-up steps: they parse what was typed; the workflow checks the rules.

The fields come from the records' model fields (labels and choices stay in one place), but the
forms are plain forms: nothing is saved from them, each view hands `cleaned_data` to one
workflow function, which refuses with the procedure's own reasons."""

from django import forms
from django.utils.translation import gettext_lazy as _

from complaints.filefield import AttachmentsField
from complaints.forms import LocalDateTimeInput, StyledFormMixin

from .models import (
    Contact,
    CorrectiveAction,
    Dispatch,
    Escalation,
    MajorReport,
    Notification,
    Revisit,
    ShiftReviewItem,
)


def _field(model, name: str, **kwargs) -> forms.Field:
    return model._meta.get_field(name).formfield(**kwargs)


def _text(model, name: str, rows: int = 2, **kwargs) -> forms.Field:
    return _field(model, name, widget=forms.Textarea(attrs={"rows": rows}), **kwargs)


class ContactForm(StyledFormMixin, forms.Form):
    prefix = "contact"
    kind = _field(Contact, "kind")
    method = _field(Contact, "method")
    summary = _text(Contact, "summary")
    signed = _field(Contact, "signed")
    next_reply_due = forms.DateTimeField(
        label=_("Next agreed reply"),
        required=False,
        widget=LocalDateTimeInput(),
        help_text=_("Only when a new time for the next reply was agreed with the customer."),
    )
    files = AttachmentsField()  # stored by the step view (views/steps.py)

    def __init__(self, *args, may_explain: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        if not may_explain:  # R-HND-2: the manager or supervisor explains an invalid complaint
            self.fields["kind"].choices = [
                choice
                for choice in self.fields["kind"].choices
                if choice[0] != Contact.Kind.EXPLANATION
            ]


class DispatchForm(StyledFormMixin, forms.Form):
    prefix = "dispatch"
    department = _field(Dispatch, "department")
    assignee = _field(Dispatch, "assignee")
    instructions = _text(Dispatch, "instructions")
    due_at = _field(Dispatch, "due_at", widget=LocalDateTimeInput())
    files = AttachmentsField()  # stored by the step view (views/steps.py)


class CorrectiveActionForm(StyledFormMixin, forms.Form):
    prefix = "action"
    cause = _text(CorrectiveAction, "cause")
    correction = _text(CorrectiveAction, "correction")
    prevention = _text(CorrectiveAction, "prevention")
    files = AttachmentsField()  # stored by the step view (views/steps.py)


class RevisitForm(StyledFormMixin, forms.Form):
    prefix = "revisit"
    method = _field(Revisit, "method")
    outcome = _field(Revisit, "outcome")
    courteous = _field(Revisit, "courteous")
    remarks = _text(
        Revisit,
        "remarks",
        help_text=_("Required when the customer is not satisfied: it starts a new complaint."),
    )
    files = AttachmentsField()  # stored by the step view (views/steps.py)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Only the resident answers online, on the tracking page (resident app).
        self.fields["method"].choices = [
            choice for choice in self.fields["method"].choices if choice[0] != Revisit.Method.ONLINE
        ]


class RejectClosureForm(StyledFormMixin, forms.Form):
    prefix = "reject"
    reason = forms.CharField(
        label=_("Why the closure is rejected"), widget=forms.Textarea(attrs={"rows": 2})
    )


class EscalationReportForm(StyledFormMixin, forms.Form):
    prefix = "report"
    report = _text(Escalation, "report", rows=3, required=True)


class MajorReportForm(StyledFormMixin, forms.Form):
    prefix = "major"
    report = _text(MajorReport, "report", rows=3, required=True)
    answer_expected_at = forms.DateTimeField(
        label=_("Customer told to expect an answer by"), widget=LocalDateTimeInput()
    )


class ReviewTickForm(StyledFormMixin, forms.Form):
    """R-FUP-1: what the assistant found and told the customer, per complaint."""

    note = _text(ShiftReviewItem, "note", rows=1, required=True)
    customer_updated = forms.BooleanField(label=_("customer updated"), required=False)
    method = forms.ChoiceField(
        label=_("how"),
        choices=[c for c in Contact.Method.choices if c[0] != Contact.Method.NOTICE],
        required=False,
        initial=Contact.Method.PHONE,
    )


TYPED_KEY = "followups:typed:%d"


def keep_typed(request, complaint, step: str) -> None:
    """A refused step goes back to the complaint's page (post/redirect/get); what was typed
    waits in the session so the form comes back filled in: bad input loses nothing."""
    data = {key: value for key, value in request.POST.items() if key != "csrfmiddlewaretoken"}
    request.session[TYPED_KEY % complaint.pk] = {"step": step, "data": data}


def take_typed(request, complaint) -> dict[str, dict]:
    """What a refused step of `complaint` had typed, by step name; given back once."""
    session = getattr(request, "session", None)
    kept = session.pop(TYPED_KEY % complaint.pk, None) if session is not None else None
    return {kept["step"]: kept["data"]} if kept else {}


def form_reasons(form: forms.BaseForm) -> list[str]:
    """Every error of an invalid form as one line, prefixed with the field's label."""
    reasons = []
    for name, errors in form.errors.items():
        label = form.fields[name].label if name in form.fields else ""
        for error in errors:
            reasons.append(f"{label}: {error}" if label else str(error))
    return reasons


class InboxFilter(StyledFormMixin, forms.Form):
    """The inbox's filters (GET): what it shows, one kind, one complaint by its number. A value
    that does not parse is ignored (the field falls back to everything), never a 500."""

    UNREAD, HISTORY, ALL = "unread", "history", "all"
    show = forms.ChoiceField(
        label=_("Show"),
        required=False,
        choices=[
            (UNREAD, _("Unread")),
            (HISTORY, _("History (read or done)")),
            (ALL, _("All")),
        ],
    )
    kind = forms.ChoiceField(
        label=_("Kind"),
        required=False,
        choices=[("", _("All kinds")), *Notification.Kind.choices],
    )
    complaint = forms.CharField(label=_("Complaint number"), required=False, max_length=30)

    def filters(self) -> dict:
        """The valid filters, each empty when absent or invalid."""
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        return {
            "show": data.get("show") or self.ALL,
            "kind": data.get("kind") or "",
            "complaint": (data.get("complaint") or "").strip(),
        }
