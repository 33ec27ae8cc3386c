from django import forms
from django.utils.translation import gettext_lazy as _


class CommentaryForm(forms.Form):
    """R-RPT-1: the customer supervisor's written commentary on the month."""

    commentary = forms.CharField(
        label=_("Supervisor's commentary"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4, "class": "form-control"}),
    )
