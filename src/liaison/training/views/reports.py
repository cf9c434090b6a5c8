"""Pages of the training centre: the report of trainees, hours, completion and results.

The report holds counts, not names, but counts by institution and sex are still about people:
it is shown to staff and to the staff of the centres it covers.
"""

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _

from liaison.directory.models import Country

from .. import permissions, reports
from ..models import CourseType, TrainingCentre


class ReportFilter(forms.Form):
    centre = forms.ModelChoiceField(
        label=_("Training centre"), queryset=TrainingCentre.objects.none(), required=False
    )
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100, required=False)
    course_type = forms.ChoiceField(
        label=_("Course type"), choices=[("", _("All types")), *CourseType.choices], required=False
    )
    country = forms.ModelChoiceField(
        label=_("Country"), queryset=Country.objects.all(), required=False, to_field_name="code"
    )

    def __init__(self, *args, centres, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["centre"].queryset = centres


def _centres(user):
    """The centres whose figures ``user`` may read."""
    if user.is_liaison_staff:
        return TrainingCentre.objects.all()
    centres = TrainingCentre.objects.managed_by(user)
    if not centres.exists():
        raise PermissionDenied(_("The training report is for staff and the centres' staff."))
    return centres


@login_required
def report(request):
    centres = _centres(request.user)
    form = ReportFilter(request.GET or None, centres=centres)
    filters = {"centres": centres}
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        if data["centre"]:
            filters["centres"] = centres.filter(pk=data["centre"].pk)
        filters.update(year=data["year"], course_type=data["course_type"], country=data["country"])
    figures = reports.build(**filters) if not form.is_bound or form.is_valid() else None
    if figures is not None and request.GET.get("format") == "xlsx":
        response = HttpResponse(
            reports.xlsx(figures),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
        response["Content-Disposition"] = 'attachment; filename="training-report.xlsx"'
        return response
    query = request.GET.copy()
    query["format"] = "xlsx"
    return render(
        request,
        "training/reports/report.html",
        {
            "form": form,
            "report": figures,
            "xlsx_query": query.urlencode(),
            "follows_deliveries": permissions.can_follow_deliveries(request.user)[0],
        },
    )
