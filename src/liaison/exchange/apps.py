from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ExchangeConfig(AppConfig):
    name = "liaison.exchange"
    verbose_name = _("Cooperation requests")

    def ready(self):
        from django.contrib.auth.signals import user_logged_in

        from .context_processors import remember_at_sign_in

        user_logged_in.connect(remember_at_sign_in, dispatch_uid="liaison-exchange-nav")
