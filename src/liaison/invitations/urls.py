from django.urls import path

from . import views

app_name = "invitations"
urlpatterns = [
    path("", views.invitation_list, name="list"),
    path("people/<int:person_pk>/", views.invite_person, name="invite"),
    path("<int:pk>/resend/", views.resend, name="resend"),
    path("<int:pk>/withdraw/", views.withdraw, name="withdraw"),
    path("accept/<str:token>/", views.accept, name="accept"),
]
