from django.urls import path

from ..views import assessment as views

urlpatterns = [
    path("modules/<int:pk>/quizzes/", views.quiz_list, name="quiz_list"),
    path("modules/<int:pk>/quizzes/new/", views.quiz_new, name="quiz_new"),
    path("quizzes/<int:pk>/", views.quiz, name="quiz"),
    path("quizzes/<int:pk>/start/", views.quiz_start, name="quiz_start"),
    path("quizzes/<int:pk>/edit/", views.quiz_edit, name="quiz_edit"),
    path("quizzes/<int:pk>/questions/new/", views.question_new, name="question_new"),
    path("questions/<int:pk>/edit/", views.question_edit, name="question_edit"),
    path("questions/<int:pk>/delete/", views.question_delete, name="question_delete"),
    path("attempts/<int:pk>/", views.attempt, name="attempt"),
    path("courses/<int:pk>/results/", views.course_results, name="course_results"),
    path(
        "courses/<int:course_pk>/quizzes/<int:pk>/attempts/",
        views.quiz_attempts,
        name="quiz_attempts",
    ),
    path("courses/<int:pk>/practicals/new/", views.practical_new, name="practical_new"),
    path("practicals/<int:pk>/", views.practical, name="practical"),
    path("practicals/<int:pk>/edit/", views.practical_edit, name="practical_edit"),
    path("courses/<int:pk>/evaluation/", views.evaluation, name="evaluation"),
]
