from django.urls import path

from ..views import logframe as views

urlpatterns = [
    path("projects/<int:pk>/", views.logframe, name="logframe"),
    path("projects/<int:pk>/recount/", views.recount, name="recount"),
    path("projects/<int:pk>/results/new/", views.result_create, name="result_create"),
    path("logframe/<int:pk>/edit/", views.result_edit, name="result_edit"),
    path("logframe/<int:pk>/delete/", views.result_delete, name="result_delete"),
    path("logframe/<int:pk>/indicators/new/", views.indicator_create, name="indicator_create"),
    path("indicators/<int:pk>/", views.indicator, name="indicator"),
    path("indicators/<int:pk>/edit/", views.indicator_edit, name="indicator_edit"),
    path("indicators/<int:pk>/delete/", views.indicator_delete, name="indicator_delete"),
    path("indicators/<int:pk>/targets/", views.targets, name="targets"),
    path("indicators/<int:pk>/periods/<int:period_pk>/", views.values, name="values"),
]
