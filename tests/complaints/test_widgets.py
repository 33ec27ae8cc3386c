"""The filter panel's selects render in Python exactly what Django's templates render (the
list stays usable and accessible; only its cost changes, docs/performance.md)."""

import re

import pytest
from django import forms

from accounts.models import Office
from complaints.filters import ComplaintFilterForm
from complaints.widgets import QuickSelect
from tests.factories import BuildingFactory, CategoryFactory, OfficeFactory

pytestmark = pytest.mark.django_db


def normalised(html: str) -> str:
    return re.sub(r">\s+<", "><", str(html)).strip()


def test_every_filter_select_renders_as_djangos_select_would():
    office = OfficeFactory()
    other = OfficeFactory(branch=office.branch)
    category = CategoryFactory(name="装修噪音 <b>&")
    BuildingFactory(office=office, name="2栋")
    BuildingFactory(office=other, name='3"栋')
    form = ComplaintFilterForm(
        {"status": "open", "category": category.pk, "per_page": "50", "office": "x"},
        offices=Office.objects.filter(pk__in=[office.pk, other.pk]),
    )
    form.is_valid()  # an invalid office marks its select invalid, as the page shows it
    selects = [field for field in form if isinstance(field.field.widget, QuickSelect)]
    assert len(selects) == 11  # the home page's work queue is a select too
    for field in selects:
        attrs = field.build_widget_attrs({})  # as BoundField.as_widget builds them
        attrs.setdefault("id", field.auto_id)
        expected = forms.Select.render(field.field.widget, field.html_name, field.value(), attrs)
        assert normalised(str(field)) == normalised(expected), field.name
    assert 'value="open" selected' in str(form["status"])
    assert "装修噪音 &lt;b&gt;&amp;" in str(form["category"])


def test_every_styled_form_select_renders_as_djangos_select_would():
    # StyledFormMixin gives every plain select of the desk's forms (intake, follow-up steps)
    # the quick widget: the page must not change.
    from accounts.roles import Role
    from complaints.forms import IntakeForm
    from followups.forms import ContactForm, RevisitForm
    from tests.factories import staff

    office = OfficeFactory()
    CategoryFactory(name="漏水")
    user = staff(Role.CLIENT_ASSISTANT, office=office)
    forms_ = [
        ContactForm(),
        RevisitForm(initial={"method": "phone"}),
        IntakeForm(offices=Office.objects.filter(pk=office.pk), user=user),
    ]
    checked = 0
    for form in forms_:
        for field in form:
            if type(field.field.widget) is not QuickSelect:
                continue
            attrs = field.build_widget_attrs({})
            attrs.setdefault("id", field.auto_id)
            value = field.value()
            expected = forms.Select.render(field.field.widget, field.html_name, value, attrs)
            assert normalised(str(field)) == normalised(expected), field.name
            checked += 1
    assert checked >= 3
