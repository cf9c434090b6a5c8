from django.urls import path  # noqa: F401

from ..views import people as views  # noqa: F401

urlpatterns = []
