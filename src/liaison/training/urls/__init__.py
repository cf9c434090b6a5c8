"""The training centre's pages, one module of routes per area, under ``/training/``."""

from . import (
    assessment,
    catalogue,
    certificates,
    content,
    courses,
    people,
    plans,
    reports,
    xapi,
)

app_name = "training"

urlpatterns = (
    catalogue.urlpatterns
    + content.urlpatterns
    + courses.urlpatterns
    + assessment.urlpatterns
    + certificates.urlpatterns
    + plans.urlpatterns
    + people.urlpatterns
    + reports.urlpatterns
    + xapi.urlpatterns
)
