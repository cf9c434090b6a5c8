from django.urls import path

from . import reads, views

app_name = "privacy"
urlpatterns = [
    path("my-data/", views.my_data, name="my_data"),
    path("my-data/download/", views.my_data_download, name="my_data_download"),
    path("my-data/summary/", views.my_data_summary, name="my_data_summary"),
    path("my-data/erasure/", views.request_erasure, name="request_erasure"),
    path("reads/", reads.reads_log, name="reads_log"),
    path("erasure-requests/", views.erasure_list, name="erasures"),
    path("erasure-requests/<int:pk>/", views.erasure_detail, name="erasure"),
]
