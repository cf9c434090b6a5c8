"""The site's URLs plus the results API of periods, reports and risks, as the lead will register
them in ``liaison.api.urls`` (which this branch does not edit)."""

from django.urls import include, path
from rest_framework.routers import DefaultRouter

from liaison.results.api.reports import (
    ProgressReportViewSet,
    ReportingPeriodViewSet,
    RiskViewSet,
)
from liaison.urls import urlpatterns as site

router = DefaultRouter()
router.register("reporting-periods", ReportingPeriodViewSet, basename="reporting-period")
router.register("progress-reports", ProgressReportViewSet, basename="progress-report")
router.register("risks", RiskViewSet, basename="risk")

urlpatterns = [path("api/", include((router.urls, "results-api"))), *site]
