from django.urls import path

from . import views

# An organisation's and a country's own pages show their projects too, so they live in
# ``liaison.web`` (which may depend on every app) under the same /directory/ prefix.
app_name = "directory"
urlpatterns = [
    path("organisations/", views.organisation_list, name="organisations"),
    path(
        "organisations/<int:pk>/reviewed/",
        views.organisation_reviewed,
        name="organisation_reviewed",
    ),
    path("people/duplicates/", views.duplicate_list, name="duplicates"),
    path("people/merge/<int:first>/<int:second>/", views.person_merge, name="person_merge"),
    path("organisations/<int:pk>/roles/", views.organisation_role, name="organisation_role"),
    path("affiliations/<int:pk>/end/", views.affiliation_end, name="affiliation_end"),
    path("networks/", views.network_list, name="networks"),
    path("networks/<int:pk>/", views.network_detail, name="network"),
]
