"""The site's URLs with the logframe API registered as the lead is asked to register it in
``liaison.api.urls``, so the API tests and the schema check run before that merge."""

from django.urls import include, path
from rest_framework.routers import DefaultRouter

from liaison import urls as site
from liaison.api import urls as api
from liaison.results.api.logframe import (
    IndicatorValueViewSet,
    IndicatorViewSet,
    LogframeResultViewSet,
)

router = DefaultRouter()
router.register("results", LogframeResultViewSet, basename="result")
router.register("indicators", IndicatorViewSet, basename="indicator")
router.register("indicator-values", IndicatorValueViewSet, basename="indicator-value")

urlpatterns = [
    path("api/", include(([*router.urls, *api.urlpatterns], "api"))),
    *[p for p in site.urlpatterns if str(p.pattern) != "api/"],
]
