from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "liaison.core"
    label = "core"
    verbose_name = _("Accounts and audit")

    def ready(self):
        # One policy for dates and numbers in every form, filter, serializer and model field.
        from . import validators

        validators.install()
