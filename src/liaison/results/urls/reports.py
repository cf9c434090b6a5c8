from django.urls import path

from ..views import reports, risks

urlpatterns = [
    path("", reports.portfolio, name="index"),
    path("projects/<int:pk>/periods/", reports.periods, name="periods"),
    path("projects/<int:pk>/periods/new/", reports.period_create, name="period_create"),
    path("periods/<int:pk>/edit/", reports.period_edit, name="period_edit"),
    path("periods/<int:pk>/delete/", reports.period_delete, name="period_delete"),
    path("periods/<int:pk>/report/", reports.report, name="report"),
    path(
        "periods/<int:pk>/report/<str:step>/",
        reports.report_step,
        name="report_step",
    ),
    path("periods/<int:pk>/report.pdf", reports.report_pdf, name="report_pdf"),
    path("periods/<int:pk>/report.xlsx", reports.report_xlsx, name="report_xlsx"),
    path("projects/<int:pk>/risks/", risks.risk_list, name="risks"),
    path("projects/<int:pk>/risks/new/", risks.risk_create, name="risk_create"),
    path("risks/<int:pk>/edit/", risks.risk_edit, name="risk_edit"),
    path("risks/<int:pk>/delete/", risks.risk_delete, name="risk_delete"),
]
