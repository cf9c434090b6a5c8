from django.urls import path  # noqa: F401

from ..views import reports as views  # noqa: F401

urlpatterns = []
