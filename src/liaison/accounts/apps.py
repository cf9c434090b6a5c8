from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    """Sign-up, sign-in, a second factor and sessions, on django-allauth; the site's own rules
    (verified addresses, one person per account, who must use a second factor) live here."""

    name = "liaison.accounts"
    verbose_name = _("Accounts")

    def ready(self):
        from allauth.account.signals import email_confirmed
        from django.contrib.auth.signals import user_logged_in

        from . import services

        email_confirmed.connect(services.on_email_confirmed, dispatch_uid="liaison-link-person")
        user_logged_in.connect(services.on_signed_in, dispatch_uid="liaison-sign-in-log")
