from django.urls import path

from ..views import xapi as views

urlpatterns = [
    path("xapi/statements.json", views.xapi_export, name="xapi_export"),
    path("xapi/deliveries/", views.deliveries, name="xapi_deliveries"),
    path("xapi/deliveries/<int:pk>/retry/", views.delivery_retry, name="xapi_delivery_retry"),
]
