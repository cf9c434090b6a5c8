from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


def create_cache_table(using="default", verbosity=1, **kwargs):
    """Create the database cache's table after every `migrate` (and the test database's set-up),
    so the shared cache needs no extra step; `createcachetable` skips a table that exists."""
    from django.core.management import call_command

    call_command("createcachetable", database=using, verbosity=int(verbosity >= 2))


class CoreConfig(AppConfig):
    name = "liaison.core"
    label = "core"
    verbose_name = _("Accounts and audit")

    def ready(self):
        # One policy for dates and numbers in every form, filter, serializer and model field.
        from . import validators

        validators.install()

        from django.contrib.auth.signals import user_logged_in

        from .sessions import stamp_sign_in

        user_logged_in.connect(stamp_sign_in, dispatch_uid="liaison-session-sign-in")
        from django.core.signals import request_finished, request_started

        from .audit import forget_token

        # A thread serves one request after another: a token must not outlive its request.
        request_started.connect(forget_token, dispatch_uid="liaison-forget-token")
        request_finished.connect(forget_token, dispatch_uid="liaison-forget-token-after")
        post_migrate.connect(create_cache_table, sender=self, dispatch_uid="liaison-cache-table")
