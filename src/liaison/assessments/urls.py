from django.urls import path

from .views import assessments as views
from .views import templates

app_name = "assessments"

urlpatterns = [
    path("", views.assessment_list, name="list"),
    path("new/", views.assessment_create, name="create"),
    path("<int:pk>/", views.assessment_detail, name="assessment"),
    path("<int:pk>/areas/<int:area_pk>/", views.area_answer, name="answer"),
    path("<int:pk>/areas/<int:area_pk>/target/", views.area_result, name="area_result"),
    path("<int:pk>/complete/", views.assessment_complete, name="complete"),
    path("<int:pk>/reopen/", views.assessment_reopen, name="reopen"),
    path("<int:pk>/compare/", views.compare, name="compare"),
    path("<int:pk>/recommendations/new/", views.recommendation_edit, name="recommendation_create"),
    path(
        "<int:pk>/recommendations/<int:rec_pk>/",
        views.recommendation_edit,
        name="recommendation_edit",
    ),
    path(
        "<int:pk>/recommendations/<int:rec_pk>/delete/",
        views.recommendation_delete,
        name="recommendation_delete",
    ),
    path(
        "<int:pk>/recommendations/<int:rec_pk>/plan/",
        views.recommendation_plan,
        name="recommendation_plan",
    ),
    path("templates/", templates.template_list, name="templates"),
    path("templates/new/", templates.template_edit, name="template_create"),
    path("templates/<int:pk>/", templates.template_detail, name="template"),
    path("templates/<int:pk>/edit/", templates.template_edit, name="template_edit"),
    path("templates/<int:pk>/publish/", templates.template_publish, name="template_publish"),
    path("templates/<int:pk>/retire/", templates.template_retire, name="template_retire"),
    path(
        "templates/<int:pk>/new-version/",
        templates.template_new_version,
        name="template_new_version",
    ),
    path("templates/<int:pk>/areas/new/", templates.area_edit, name="area_create"),
    path("templates/<int:pk>/areas/<int:area_pk>/", templates.area_edit, name="area_edit"),
    path(
        "templates/<int:pk>/areas/<int:area_pk>/questions/new/",
        templates.question_edit,
        name="question_create",
    ),
    path(
        "templates/<int:pk>/areas/<int:area_pk>/questions/<int:question_pk>/",
        templates.question_edit,
        name="question_edit",
    ),
    path(
        "templates/<int:pk>/<str:kind>/<int:part_pk>/move/", templates.part_move, name="part_move"
    ),
    path(
        "templates/<int:pk>/<str:kind>/<int:part_pk>/delete/",
        templates.part_delete,
        name="part_delete",
    ),
]
