"""The resident's two forms: the short code, and the answer to the revisit."""

from django import forms
from django.utils.translation import gettext_lazy as _

from followups.models import Revisit

REMARKS_MAX = 2000


class CodeForm(forms.Form):
    code = forms.CharField(
        label=_("Tracking code"),
        max_length=40,
        widget=forms.TextInput(
            attrs={"autocomplete": "off", "autocapitalize": "characters", "class": "form-control"}
        ),
        help_text=_("The eight characters the desk gave you, e.g. K7M2-Q9XH."),
    )


class AnswerForm(forms.Form):
    """R-REV-1: whether the resident is satisfied and whether the staff were courteous."""

    outcome = forms.ChoiceField(
        label=_("Are you satisfied with how we handled it?"),
        widget=forms.RadioSelect(attrs={"class": "form-check-input"}),
    )
    courteous = forms.ChoiceField(
        label=_("Were our staff courteous?"),
        choices=[("yes", _("Yes")), ("no", _("No"))],
        widget=forms.RadioSelect(attrs={"class": "form-check-input"}),
        required=False,
    )
    remarks = forms.CharField(
        label=_("In your words"),
        max_length=REMARKS_MAX,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4, "class": "form-control"}),
        help_text=_("Required when you are not satisfied: we handle your complaint again."),
    )

    def __init__(self, *args, may_understand: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        choices = [(Revisit.Outcome.SATISFIED, _("Satisfied"))]
        if may_understand:  # R-CLO-2: a to-improve complaint closes once the customer understands
            choices.append((Revisit.Outcome.UNDERSTANDS, _("Not fully, but I understand")))
        choices.append((Revisit.Outcome.UNSATISFIED, _("Not satisfied")))
        self.fields["outcome"].choices = choices

    def clean(self):
        cleaned = super().clean()
        if (
            cleaned.get("outcome") == Revisit.Outcome.UNSATISFIED
            and not cleaned.get("remarks", "").strip()
        ):
            self.add_error("remarks", _("Tell us what you are not satisfied with."))
        return cleaned

    @property
    def courteous_answer(self) -> bool | None:
        return {"yes": True, "no": False}.get(self.cleaned_data.get("courteous"))
