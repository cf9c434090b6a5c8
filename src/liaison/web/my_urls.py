"""A person's own account pages beyond signing in (API tokens, My data) and the log of reads
of personal data. Kept apart from ``accounts_urls`` (sign-in, sign-up, passwords)."""

from django.urls import path

from liaison.core import views as core_views

from . import privacy_views

app_name = "my"

urlpatterns = [
    path("accounts/tokens/", core_views.tokens, name="tokens"),
    path("accounts/tokens/<int:pk>/revoke/", core_views.revoke, name="token_revoke"),
    path("accounts/my-data/", privacy_views.my_data, name="data"),
    path("privacy/reads/", privacy_views.reads_log, name="reads_log"),
]
