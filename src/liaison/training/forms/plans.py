"""Forms for training plans, their needs and their targets."""

from django import forms
from django.utils.translation import gettext_lazy as _

from liaison.directory.models import Organisation

from ..models import CourseType, Module, PlanTarget, TrainingNeed, TrainingPlan
from .courses import DateInput


class PlanForm(forms.ModelForm):
    """A plan for one institution or one network over a period (the model says so)."""

    class Meta:
        model = TrainingPlan
        fields = ["title", "organisation", "network", "starts_on", "ends_on"]
        widgets = {"starts_on": DateInput, "ends_on": DateInput}
        help_texts = {
            "organisation": _("Choose an institution or a network, not both."),
        }

    def __init__(self, *args, centre, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.centre = centre
        self.fields["organisation"].queryset = Organisation.objects.select_related(
            "country"
        ).order_by("name")


class NeedForm(forms.ModelForm):
    class Meta:
        model = TrainingNeed
        fields = ["description", "competency_area", "priority", "source"]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, plan, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.plan = plan


class TargetForm(forms.ModelForm):
    """How many trainees of an institution should complete a module within the plan."""

    course_type = forms.ChoiceField(
        label=_("Course type"), choices=[("", "—"), *CourseType.choices], required=False
    )

    class Meta:
        model = PlanTarget
        fields = ["module", "organisation", "course_type", "trainees"]

    def __init__(self, *args, plan, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.plan = plan
        self.fields["module"].queryset = Module.objects.available_to(plan.centre).order_by("code")
        if plan.organisation_id:
            organisations = Organisation.objects.filter(pk=plan.organisation_id)
            self.initial.setdefault("organisation", plan.organisation_id)
        else:
            organisations = Organisation.objects.filter(
                memberships__network_id=plan.network_id
            ).distinct()
        self.fields["organisation"].queryset = organisations.order_by("name")
