import pytest


@pytest.fixture(autouse=True)
def _tasks_run_at_once(settings):
    """Factsheets are read during the request instead of by the worker.

    django-tasks drops its cached backends when ``TASKS`` changes (its ``setting_changed``
    receiver), so the override reaches ``read_factsheet.enqueue``.
    """
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
