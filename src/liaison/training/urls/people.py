from django.urls import path

from ..views import people as views

urlpatterns = [
    path("trainees/<int:pk>/", views.trainee, name="trainee"),
    path("trainers/<int:pk>/", views.trainer, name="trainer"),
]
