from django.urls import path

from . import views

app_name = "ingest"
urlpatterns = [
    path("", views.imports, name="imports"),
    path("<int:pk>/", views.batch, name="batch"),
    path("factsheet/<int:pk>/", views.review, name="review"),
    path("factsheet/<int:pk>/discard/", views.discard, name="discard"),
]
