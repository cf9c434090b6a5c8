from django.urls import path

from . import views

app_name = "portfolio"
urlpatterns = [
    path("", views.project_list, name="projects"),
    path("<int:pk>/", views.project_detail, name="project"),
    path("<int:pk>/edit/", views.project_edit, name="project_edit"),
    path("<int:pk>/partners/", views.project_partners, name="project_partners"),
    path("<int:pk>/components/", views.project_components, name="project_components"),
]
