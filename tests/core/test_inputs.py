"""Walks every model, form, filter set, serializer and admin form of Liaison to prove that the one
date policy (years 1900–2100) and the database's integer range cover each of their fields.

A field added tomorrow is covered too, since the rule is a default of the field classes
(``liaison.core.validators.install``); these walks fail if a field escapes it, for example one
built on a class that does not inherit from Django's or DRF's date and number fields.
"""

import datetime
import importlib
import pkgutil

import django_filters
import pytest
from django import forms
from django.apps import apps
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.db import models
from django.test import RequestFactory
from rest_framework import serializers
from rest_framework.exceptions import ValidationError as ApiValidationError

import liaison
from liaison.core.validators import MAX_YEAR, MIN_YEAR, date_in_range

pytestmark = pytest.mark.django_db

HUGE = "99999999999999999999"
DATE_MESSAGE = f"Enter a date between {MIN_YEAR} and {MAX_YEAR}."


def liaison_modules():
    """Every module of the project (migrations aside), so every class in it can be walked."""
    for info in pkgutil.walk_packages(liaison.__path__, "liaison."):
        if ".migrations" not in info.name and not info.name.endswith("wsgi"):
            importlib.import_module(info.name)


def subclasses(base):
    liaison_modules()
    found, todo = set(), [base]
    while todo:
        for cls in todo.pop().__subclasses__():
            if cls not in found:
                found.add(cls)
                todo.append(cls)
    return sorted(
        (c for c in found if c.__module__.startswith("liaison.")), key=lambda c: c.__qualname__
    )


def _refused(field, value, errors=(ValidationError,)) -> list[str]:
    with pytest.raises(errors) as caught:
        field.clean(value) if isinstance(field, forms.Field) else field.run_validation(value)
    error = caught.value
    return getattr(error, "messages", None) or [str(d) for d in error.detail]


def check_form_field(field, where: str) -> str | None:
    """Proves a form field refuses year 1 or an id or number out of range; names what it is."""
    if isinstance(field, forms.DateField | forms.DateTimeField):
        assert DATE_MESSAGE in _refused(field, "0001-01-01"), where
        assert DATE_MESSAGE in _refused(field, "2101-01-01"), where
        return "date"
    if isinstance(field, forms.MultiValueField):
        if any(isinstance(f, forms.DateField) for f in field.fields):
            # A date range (two dates) or the admin's split date and time.
            values = [
                "0001-01-01" if isinstance(f, forms.DateField) else "09:00" for f in field.fields
            ]
            assert DATE_MESSAGE in _refused(field, values), where
            return "date"
        return None
    if isinstance(field, forms.ModelChoiceField):
        # The whole table, not the choices of one visitor, so the database is really asked.
        field.queryset = field.queryset.model._default_manager.all()
        value = [HUGE] if isinstance(field, forms.ModelMultipleChoiceField) else HUGE
        _refused(field, value)
        return "choice"
    if isinstance(field, forms.IntegerField):  # decimal and float fields are integer fields
        _refused(field, HUGE + "0" * 10)
        return "number"
    return None


def test_every_model_date_field_refuses_years_outside_the_policy():
    checked = []
    for model in apps.get_models():
        for field in model._meta.get_fields():
            if isinstance(field, models.DateField):
                assert date_in_range in field.validators, field
                value = datetime.date(1, 1, 1)
                if isinstance(field, models.DateTimeField):
                    value = datetime.datetime(1, 1, 1, tzinfo=datetime.UTC)
                with pytest.raises(ValidationError) as error:
                    field.run_validators(value)
                assert error.value.messages == [DATE_MESSAGE]
                field.run_validators(value.replace(year=2024))
                checked.append(field)
    assert len(checked) > 40
    assert models.DateTimeField in {type(f) for f in checked}


def test_every_filter_set_refuses_bad_dates_ids_and_numbers(secretariat):
    request = RequestFactory().get("/")
    request.user = secretariat
    kinds = {}
    for filter_set in subclasses(django_filters.FilterSet):
        model = filter_set._meta.model
        kwargs = {"data": {}, "queryset": model._default_manager.all(), "request": request}
        try:
            instance = filter_set(**kwargs, user=secretariat)
        except TypeError:
            instance = filter_set(**kwargs)
        for name, filter_ in instance.filters.items():
            where = f"{filter_set.__qualname__}.{name}"
            kind = check_form_field(filter_.field, where)
            kinds.setdefault(kind, []).append(where)
    assert "EventFilter.start_from" in kinds["date"]
    assert "EventFilter.project" in kinds["choice"]
    assert "ResultFilter.course" in kinds["choice"]
    assert "PersonFilter.organisation" in kinds["choice"]
    assert "NetworkFilter.organisation" in kinds["choice"]
    assert "ProjectFilter.budget_min" in kinds["number"]


def test_every_form_refuses_bad_dates_ids_and_numbers():
    kinds = {}
    for form_class in subclasses(forms.BaseForm):
        for name, field in form_class.base_fields.items():
            where = f"{form_class.__module__}.{form_class.__qualname__}.{name}"
            kinds.setdefault(check_form_field(field, where), []).append(where)
    assert "liaison.events.forms.EventForm.start" in kinds["date"]
    assert "liaison.events.forms.SessionForm.start" in kinds["date"]
    assert "liaison.events.forms.RegistrationSetupForm.closes_at" in kinds["date"]
    assert "liaison.events.forms.EventForm.projects" in kinds["choice"]
    assert "liaison.assessments.forms.AssessmentForm.team" in kinds["choice"]


def test_every_admin_form_refuses_bad_dates_and_ids(secretariat):
    request = RequestFactory().get("/admin/")
    request.user = secretariat
    kinds = {}
    for model, model_admin in admin.site._registry.items():
        form_class = model_admin.get_form(request)
        for name, field in form_class.base_fields.items():
            where = f"{model._meta.label}.{name}"
            kinds.setdefault(check_form_field(field, where), []).append(where)
    assert "events.Event.start" in kinds["date"]
    assert "events.Event.projects" in kinds["choice"]


def _serializer_fields(serializer_class, request):
    serializer = serializer_class(context={"request": request})
    return serializer.fields.items()


def test_every_serializer_refuses_bad_dates_ids_and_numbers(secretariat):
    request = RequestFactory().get("/api/")
    request.user = secretariat
    kinds = {}
    for serializer_class in subclasses(serializers.Serializer):
        if serializer_class.__module__.startswith("liaison.api"):
            continue
        for name, field in _serializer_fields(serializer_class, request):
            if field.read_only:
                continue
            where = f"{serializer_class.__module__}.{serializer_class.__qualname__}.{name}"
            kind = None
            if isinstance(field, serializers.DateField | serializers.DateTimeField):
                assert DATE_MESSAGE in _refused(field, "0001-01-01", ApiValidationError), where
                kind = "date"
            elif isinstance(field, serializers.IntegerField):
                _refused(field, HUGE, ApiValidationError)
                kind = "number"
            elif isinstance(field, serializers.ManyRelatedField | serializers.RelatedField):
                relation = getattr(field, "child_relation", field)
                if relation.queryset is not None and not hasattr(relation, "slug_field"):
                    relation.queryset = relation.queryset.model._default_manager.all()
                    _refused(field, [HUGE] if relation is not field else HUGE, ApiValidationError)
                    kind = "choice"
            kinds.setdefault(kind, []).append(where)
    assert "liaison.events.api.EventSerializer.start" in kinds["date"]
    assert "liaison.events.api.RegistrationSetupSerializer.opens_at" in kinds["date"]
    assert "liaison.events.api.EventSerializer.projects" in kinds["choice"]
