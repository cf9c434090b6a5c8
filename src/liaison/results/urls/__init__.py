"""The results pages under ``/results/``: logframes and values, reports, risks and the portfolio."""

from . import logframe, reports

app_name = "results"

urlpatterns = logframe.urlpatterns + reports.urlpatterns
