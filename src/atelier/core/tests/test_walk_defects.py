"""Defects found walking the demo (issue 15, point 6) that live in the shared layer."""

import datetime
import importlib
import inspect
import pkgutil
import re

from django import forms
from django.utils import translation

import atelier
from atelier.core.forms import DateInput, DateTimeInput


def _all_form_classes():
    for app in pkgutil.iter_modules(atelier.__path__):
        try:
            module = importlib.import_module(f"atelier.{app.name}.forms")
        except ModuleNotFoundError:
            continue
        for _name, cls in inspect.getmembers(module, inspect.isclass):
            if issubclass(cls, forms.BaseForm) and cls.__module__ == module.__name__:
                yield cls


def test_every_date_field_of_every_form_uses_the_iso_date_picker():
    """A date rendered dd/mm/yyyy leaves <input type=date> empty (billing closure, planning, loans)."""
    wrong = []
    for cls in _all_form_classes():
        for name, field in cls.base_fields.items():
            widget = field.widget
            if isinstance(widget, forms.HiddenInput):
                continue
            if isinstance(field, forms.DateTimeField) and not isinstance(widget, DateTimeInput):
                wrong.append(f"{cls.__module__}.{cls.__name__}.{name}")
            elif isinstance(field, forms.DateField) and not isinstance(widget, DateInput):
                wrong.append(f"{cls.__module__}.{cls.__name__}.{name}")
    assert wrong == []


def test_a_date_value_renders_in_iso_format_in_french():
    from atelier.billing.forms import ClosureForm
    from atelier.loans.forms import LoanForm
    from atelier.planning.forms import DayOffForm

    with translation.override("fr"):
        closure = ClosureForm(initial={"start": datetime.date(2026, 3, 9)})
        assert re.search(r'<input type="date" name="start" value="2026-03-09"', str(closure["start"]))
        loan = LoanForm(initial={"due_on": datetime.date(2026, 12, 24)})
        assert 'value="2026-12-24"' in str(loan["due_on"])
        absence = DayOffForm(initial={"day": datetime.date(2027, 1, 4)})
        assert 'value="2027-01-04"' in str(absence["day"])
        when = forms.DateTimeField(widget=DateTimeInput()).widget.render(
            "w", datetime.datetime(2026, 5, 2, 14, 30, tzinfo=datetime.UTC)
        )
        assert 'type="datetime-local"' in when and 'value="2026-05-02T14:30"' in when


def test_french_wording_of_counts_and_decimals():
    """« 0 laissées », « 3 an(s) », « 63.9 km » (issue 15): 0 and 1 are singular in French, decimals take a comma."""
    from django.template import Context, Template
    from django.utils.translation import ngettext

    from atelier.core.wording import decimal, plural_count

    with translation.override("fr"):
        years = [ngettext("%(n)s an", "%(n)s ans", plural_count(n)) % {"n": n} for n in (0, 1, 3)]
        assert years == ["0 an", "1 an", "3 ans"]
        assert (decimal(63.9), decimal(1234.56), decimal(7)) == ("63,9", "1\xa0234,6", "7")
        html = Template(
            "{{ a }} visite{{ a|frplural }} · {{ b }} visite{{ b|frplural }} · {{ km|decimal }} km"
        ).render(Context({"a": 0, "b": 2, "km": 63.9}))
        assert html == "0 visite · 2 visites · 63,9 km"
