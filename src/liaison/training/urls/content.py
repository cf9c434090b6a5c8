from django.urls import path

from ..views import content as views

urlpatterns = [
    path("modules/<int:pk>/lessons/", views.module_lessons, name="lessons"),
    path("modules/<int:module_pk>/lessons/add/", views.lesson_form, name="lesson_add"),
    path("lessons/<int:pk>/", views.lesson_detail, name="lesson"),
    path("lessons/<int:pk>/edit/", views.lesson_form, name="lesson_edit"),
    path("lessons/<int:pk>/delete/", views.lesson_delete, name="lesson_delete"),
    path("lessons/<int:pk>/move/", views.lesson_move, name="lesson_move"),
    path("lessons/<int:lesson_pk>/parts/add/<str:kind>/", views.part_form, name="part_add"),
    path("parts/<int:pk>/edit/", views.part_form, name="part_edit"),
    path("parts/<int:pk>/delete/", views.part_delete, name="part_delete"),
    path("parts/<int:pk>/move/", views.part_move, name="part_move"),
    path("parts/<int:pk>/done/", views.part_done, name="part_done"),
    path("parts/<int:pk>/file/", views.part_file, name="part_file"),
    path("parts/<int:pk>/scorm/", views.scorm_launch, name="scorm_launch"),
    path("parts/<int:pk>/package/", views.scorm_package, name="scorm_package"),
]
