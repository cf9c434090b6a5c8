from django.urls import path

from ..views import catalogue as views

urlpatterns = [
    path("", views.module_list, name="catalogue"),
    path("modules/new/", views.module_create, name="module_create"),
    path("modules/<int:pk>/", views.module_detail, name="module"),
    path("modules/<int:pk>/edit/", views.module_edit, name="module_edit"),
    path("modules/<int:pk>/version/", views.module_version, name="module_version"),
    path("modules/<int:pk>/translations/new/", views.translation_edit, name="translation_create"),
    path(
        "modules/<int:pk>/translations/<int:translation_pk>/",
        views.translation_edit,
        name="translation_edit",
    ),
    path("centres/", views.centre_list, name="centres"),
    path("centres/<int:pk>/", views.centre_detail, name="centre"),
]
