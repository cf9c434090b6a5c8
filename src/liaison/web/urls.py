from django.urls import path

from . import views

app_name = "web"
urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("directory/organisations/<int:pk>/", views.organisation_detail, name="organisation"),
    path("directory/countries/", views.country_list, name="countries"),
    path("directory/countries/<str:code>/", views.country_detail, name="country"),
    path("people/me/", views.my_page, name="me"),
    path("people/<int:pk>/", views.person_detail, name="person"),
]
