from django.conf import settings
from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/", include("liaison.api.urls")),
    path("accounts/", include("liaison.web.accounts_urls")),
    path("directory/", include("liaison.directory.urls")),
    path("projects/", include("liaison.portfolio.urls")),
    path("imports/", include("liaison.ingest.urls")),
    path("events/", include("liaison.events.urls")),
    path("training/", include("liaison.training.urls")),
    path("assessments/", include("liaison.assessments.urls")),
    path("equipment/", include("liaison.equipment.urls")),
    path("results/", include("liaison.results.urls")),
    path("audit/", include("liaison.core.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("", include("liaison.web.urls")),
]

if settings.DEBUG:
    from django.urls import re_path
    from django.views.static import serve

    # Training files (lessons, SCORM packages) are served only through views that check who
    # asks, so the development media route leaves them out.
    urlpatterns += [
        re_path(
            r"^media/(?!training/|equipment/)(?P<path>.*)$",
            serve,
            {"document_root": settings.MEDIA_ROOT},
        ),
    ]
