from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PortfolioConfig(AppConfig):
    name = "liaison.portfolio"
    label = "portfolio"
    verbose_name = _("Portfolio")

    def ready(self):
        from . import signals  # noqa: F401
