from django.urls import path  # noqa: F401

from ..views import courses as views  # noqa: F401

urlpatterns = []
