"""A person's own account pages beyond signing in (API tokens). Kept apart from
``accounts_urls`` (sign-in, sign-up, passwords)."""

from django.urls import path
from django.views.generic import RedirectView

from liaison.core import views as core_views

app_name = "my"

urlpatterns = [
    path("accounts/tokens/", core_views.tokens, name="tokens"),
    path("accounts/tokens/<int:pk>/revoke/", core_views.revoke, name="token_revoke"),
    # My data lives with the rest of a person's rights, in the privacy app.
    path("accounts/my-data/", RedirectView.as_view(pattern_name="privacy:my_data")),
]
