from django.contrib.auth import views as auth_views
from django.urls import path

from .account_views import end_other_sessions

urlpatterns = [
    path("login/", auth_views.LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path(
        "password/",
        # The admin's registration/ templates come first in the search path and would hide
        # a site template of the same name.
        auth_views.PasswordChangeView.as_view(
            success_url="/accounts/password/done/", template_name="web/password_change.html"
        ),
        name="password_change",
    ),
    path("password/sessions/", end_other_sessions, name="end_other_sessions"),
    path(
        "password/done/",
        auth_views.PasswordChangeDoneView.as_view(),
        name="password_change_done",
    ),
]
