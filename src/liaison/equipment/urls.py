from django.urls import path

from . import views

app_name = "equipment"

urlpatterns = [
    path("", views.item_list, name="list"),
    path("new/", views.item_request, name="request"),
    path("totals/", views.totals_page, name="totals"),
    path("<int:pk>/", views.item_detail, name="item"),
    path("<int:pk>/edit/", views.item_edit, name="edit"),
    path("<int:pk>/hand-over/document/", views.handover_document, name="document"),
    path("<int:pk>/<slug:action>/", views.item_action, name="action"),
]
