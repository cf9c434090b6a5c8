from django.urls import path

from . import views

app_name = "events"
urlpatterns = [
    path("", views.event_list, name="events"),
    path("new/", views.event_create, name="event_create"),
    path("mine/", views.my_registrations, name="my_registrations"),
    path("mine/calendar/reset/", views.calendar_reset, name="calendar_reset"),
    path("calendar/<str:token>.ics", views.my_calendar, name="my_calendar"),
    path("networks/<int:pk>/calendar.ics", views.network_calendar, name="network_calendar"),
    path("projects/<int:pk>/calendar.ics", views.project_calendar, name="project_calendar"),
    path("knowledge/", views.knowledge_list, name="knowledge"),
    path("knowledge/new/", views.knowledge_edit, name="knowledge_create"),
    path("knowledge/<int:pk>/", views.knowledge_detail, name="knowledge_item"),
    path("knowledge/<int:pk>/edit/", views.knowledge_edit, name="knowledge_edit"),
    path("registrations/<str:token>/", views.registration_detail, name="registration"),
    path(
        "registrations/<str:token>/cancel/",
        views.registration_cancel,
        name="registration_cancel",
    ),
    path(
        "registrations/<str:token>/answers/",
        views.registration_answers,
        name="registration_answers",
    ),
    path("registrations/<str:token>/follow-up/", views.follow_up, name="follow_up"),
    path("<int:pk>/", views.event_detail, name="event"),
    path("<int:pk>/edit/", views.event_edit, name="event_edit"),
    path("<int:pk>/agenda/", views.agenda, name="agenda"),
    path("<int:pk>/calendar.ics", views.event_calendar, name="event_calendar"),
    path("<int:pk>/report/", views.event_report, name="report"),
    path("<int:pk>/report.pdf", views.event_report_pdf, name="report_pdf"),
    path("<int:pk>/programme/", views.programme, name="programme"),
    path("<int:pk>/<str:kind>/new/", views.part_edit, name="part_create"),
    path("<int:pk>/<str:kind>/<int:part_pk>/edit/", views.part_edit, name="part_edit"),
    path("<int:pk>/<str:kind>/<int:part_pk>/delete/", views.part_delete, name="part_delete"),
    path("<int:pk>/registration/", views.registration_setup, name="registration_setup"),
    path("<int:pk>/register/", views.register, name="register"),
    path("<int:pk>/nominate/", views.nominate, name="nominate"),
    path("<int:pk>/participants/", views.participants, name="participants"),
    path(
        "<int:pk>/participants/<int:registration_pk>/<str:action>/",
        views.participant_action,
        name="participant_action",
    ),
    path("<int:pk>/check-in/", views.check_in, name="check_in"),
    path(
        "<int:pk>/check-in/<int:registration_pk>/",
        views.check_in_toggle,
        name="check_in_toggle",
    ),
    path("<int:pk>/counts/", views.counts, name="counts"),
    path("<int:pk>/outcomes/", views.outcomes, name="outcomes"),
]
