"""Issue 13, item 17: a plain click in a long multi-select silently dropped the other choices.

Every multi-select of a form is either a list of checkboxes or a searchable picker
(``PickerSelectMultiple``); a bare ``<select multiple>`` that needs Ctrl-click cannot come back.
"""

import importlib
import pkgutil

import pytest
from django import forms

import liaison
from liaison.core.widgets import PickerSelectMultiple
from liaison.portfolio.forms import ProjectForm


def all_form_classes():
    """Every form class the apps define, found by importing each app's ``forms`` module(s)."""
    for module in pkgutil.walk_packages(liaison.__path__, "liaison."):
        if ".forms" in module.name or module.name.endswith("forms"):
            importlib.import_module(module.name)
    seen, todo = set(), [forms.BaseForm]
    while todo:
        for sub in todo.pop().__subclasses__():
            if sub not in seen:
                seen.add(sub)
                todo.append(sub)
    return [c for c in seen if c.__module__.startswith("liaison.")]


def test_no_form_offers_a_ctrl_click_multi_select():
    found = all_form_classes()
    assert ProjectForm in found
    bare = [
        f"{form.__module__}.{form.__name__}.{name}"
        for form in found
        for name, field in getattr(form, "base_fields", {}).items()
        if type(field.widget) is forms.SelectMultiple
    ]
    assert bare == []


@pytest.mark.django_db
def test_the_project_form_marks_its_countries_for_the_picker_and_keeps_a_plain_fallback():
    html = str(ProjectForm()["countries"])
    assert isinstance(ProjectForm().fields["countries"].widget, PickerSelectMultiple)
    # Without JavaScript this is an ordinary multi-select that submits the same values.
    assert "<select" in html and "multiple" in html and "data-picker" in html
    assert 'data-picker-remove="Remove"' in html
