"""The content origin's routes, under ``/play/`` (see ``training.player``)."""

from django.urls import path

from ..views import player as views

app_name = "play"

urlpatterns = [
    path("<str:token>/", views.play, name="player"),
    path("<str:token>/files/<path:path>", views.play_file, name="file"),
    path("<str:token>/commit/", views.play_commit, name="commit"),
]
