"""The project's URLs with ``tests.assessments.api_urls`` as the API."""

from django.urls import include, path

from liaison import urls

urlpatterns = [
    path("api/", include("tests.assessments.api_urls")),
    *(p for p in urls.urlpatterns if str(p.pattern) != "api/"),
]
