"""Until the lead registers the assessment viewsets in ``liaison.api.urls``, the API tests run
with them added under the prefixes they are meant for."""

from django.urls import include, path
from rest_framework.routers import DefaultRouter

from liaison.api import urls as api_urls
from liaison.assessments.api import AssessmentViewSet, TemplateViewSet

app_name = "api"

router = DefaultRouter()
router.register("assessments", AssessmentViewSet, basename="assessment")
router.register("assessment-templates", TemplateViewSet, basename="assessment-template")

urlpatterns = [path("", include(router.urls)), *api_urls.urlpatterns]
