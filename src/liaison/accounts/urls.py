from django.urls import include, path

from . import views

# allauth's pages (sign-up, sign-in, password, e-mail, two-factor, sessions) under /accounts/.
urlpatterns = [
    # Before allauth's own, which it extends with the recent sign-ins.
    path("sessions/", views.SessionsView.as_view(), name="usersessions_list"),
    path("sessions/end-others/", views.end_other_sessions, name="end_other_sessions"),
    path("", include("allauth.urls")),
]
