from django.urls import path

from ..views import plans as views

urlpatterns = [
    path("plans/", views.plan_list, name="plan_list"),
    path("plans/new/", views.plan_create, name="plan_create"),
    path("plans/<int:pk>/", views.plan_detail, name="plan"),
    path("plans/<int:pk>/edit/", views.plan_edit, name="plan_edit"),
    path("plans/<int:pk>/<str:kind>/new/", views.plan_part_edit, name="plan_part_create"),
    path(
        "plans/<int:pk>/<str:kind>/<int:part_pk>/edit/",
        views.plan_part_edit,
        name="plan_part_edit",
    ),
    path(
        "plans/<int:pk>/<str:kind>/<int:part_pk>/delete/",
        views.plan_part_delete,
        name="plan_part_delete",
    ),
]
