from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TrainingConfig(AppConfig):
    name = "liaison.training"
    label = "training"
    verbose_name = _("Training centre")

    def ready(self):
        from . import player  # noqa: F401  (registers the content origin's system check)
