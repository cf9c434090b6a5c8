from django.urls import path

from .views import actions, casefile, log, requests, search, statistics

app_name = "exchange"

urlpatterns = [
    # The inbox, a new request, a request's page and its attachments (views/requests.py).
    path("", requests.inbox, name="inbox"),
    path("new/", requests.new_request, name="new"),
    path("requests/<int:pk>/", requests.request_detail, name="request"),
    path("attachments/<int:pk>/", requests.attachment, name="attachment"),
    # The buttons of a request's page (views/actions.py).
    path("requests/<int:pk>/send/", actions.send, name="send"),
    path("requests/<int:pk>/close/", actions.close, name="close"),
    path("requests/<int:pk>/withdraw/", actions.withdraw, name="withdraw"),
    path("requests/<int:pk>/restrict/", actions.restrict_request, name="restrict"),
    path("requests/<int:pk>/follow-up/", actions.follow_up, name="follow_up"),
    path("cases/<int:pk>/assign/", actions.assign, name="assign"),
    path("cases/<int:pk>/restrict/", actions.restrict_case, name="restrict_case"),
    path("cases/<int:pk>/reply/", actions.reply, name="reply"),
    path("cases/<int:pk>/refuse/", actions.refuse, name="refuse"),
    path("cases/<int:pk>/follow-up/", actions.case_follow_up, name="case_follow_up"),
    path("messages/<int:pk>/grant/", actions.grant_forwarding, name="grant"),
    path("messages/<int:pk>/pass-on/", requests.pass_on, name="pass_on"),
    # Search and the read log (views/search.py, views/log.py).
    path("search/", search.search_page, name="search"),
    path("requests/<int:pk>/log/", log.read_log, name="log"),
    path("requests/<int:pk>/log.json", log.read_log_json, name="log_json"),
    # Counts and timings without content, and a request's case file as a PDF (views/statistics.py,
    # views/casefile.py).
    path("statistics/", statistics.statistics, name="statistics"),
    path("requests/<int:pk>/case-file.pdf", casefile.case_file, name="case_file"),
]
