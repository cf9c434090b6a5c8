from django.urls import path

from ..views import catalogue as views

urlpatterns = [
    path("", views.module_list, name="catalogue"),
    path("modules/<int:pk>/", views.module_detail, name="module"),
    path("centres/<int:pk>/", views.centre_detail, name="centre"),
]
