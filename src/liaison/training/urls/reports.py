from django.urls import path

from ..views import reports as views

urlpatterns = [
    path("reports/", views.report, name="reports"),
]
