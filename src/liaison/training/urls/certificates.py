from django.urls import path

from ..views import certificates as views

urlpatterns = [
    path("courses/<int:pk>/completion/", views.course_completion, name="course_completion"),
    path("courses/<int:pk>/close/", views.close_course, name="close_course"),
    path(
        "enrolments/<int:pk>/certificate/issue/",
        views.issue_certificate,
        name="issue_certificate",
    ),
    path(
        "enrolments/<int:pk>/certificate/claim/",
        views.claim_certificate,
        name="claim_certificate",
    ),
    path("certificates/<int:pk>/", views.certificate_detail, name="certificate"),
    path("certificates/<int:pk>/pdf/", views.certificate_pdf_view, name="certificate_pdf"),
    path("certificates/<int:pk>/revoke/", views.revoke_certificate, name="revoke_certificate"),
    path("verify/", views.verify_form, name="verify_form"),
    path("verify/<str:code>/", views.verify, name="verify"),
]
