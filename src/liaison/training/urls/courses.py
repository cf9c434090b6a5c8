from django.urls import path

from ..views import courses as views

urlpatterns = [
    path("courses/", views.course_list, name="course_list"),
    path("courses/new/", views.course_create, name="course_create"),
    path("courses/mine/", views.my_courses, name="my_courses"),
    path("courses/<int:pk>/", views.course_detail, name="course"),
    path("courses/<int:pk>/edit/", views.course_edit, name="course_edit"),
    path("courses/<int:pk>/status/", views.course_status, name="course_status"),
    path("courses/<int:pk>/sessions/new/", views.session_create, name="session_create"),
    path("courses/<int:pk>/nominate/", views.nominate, name="nominate"),
    path("courses/<int:pk>/enrolments/", views.enrolments, name="enrolments"),
    path("courses/<int:pk>/attendance/", views.course_attendance, name="course_attendance"),
    path("sessions/<int:pk>/edit/", views.session_edit, name="session_edit"),
    path("sessions/<int:pk>/delete/", views.session_delete, name="session_delete"),
    path("sessions/<int:pk>/attendance/", views.attendance, name="attendance"),
    path("enrolments/<int:pk>/withdraw/", views.enrolment_withdraw, name="enrolment_withdraw"),
    path("enrolments/<int:pk>/<str:action>/", views.enrolment_decide, name="enrolment_decide"),
    path("centres/<int:pk>/trainers/", views.trainer_pool, name="trainer_pool"),
    path("trainers/<int:pk>/active/", views.trainer_active, name="trainer_active"),
]
