from allauth.account.decorators import secure_admin_login
from django.contrib import admin
from django.urls import include, path

# The admin signs in through the site's sign-in page, so its throttles and second factor apply.
admin.site.login = secure_admin_login(admin.site.login)

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/", include("liaison.api.urls")),
    # A person's own API tokens, "My data" and the personal-data read log (item 7 and 8 of
    # issue 14), apart from the sign-in pages so each can change without the other.
    path("", include("liaison.web.my_urls")),
    path("accounts/", include("liaison.accounts.urls")),
    path("directory/", include("liaison.directory.urls")),
    path("invitations/", include("liaison.invitations.urls")),
    path("projects/", include("liaison.portfolio.urls")),
    path("imports/", include("liaison.ingest.urls")),
    path("events/", include("liaison.events.urls")),
    path("training/", include("liaison.training.urls")),
    # SCORM content, answered only on the content origin (liaison.training.player).
    path("play/", include("liaison.training.urls.play")),
    path("assessments/", include("liaison.assessments.urls")),
    path("equipment/", include("liaison.equipment.urls")),
    path("results/", include("liaison.results.urls")),
    path("grants/", include("liaison.grants.urls")),
    path("exchange/", include("liaison.exchange.urls")),
    path("audit/", include("liaison.core.urls")),
    path("privacy/", include("liaison.privacy.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("", include("liaison.web.urls")),
]

# No route serves uploaded files (/media/): hand-over documents, lessons and SCORM packages are
# read only through the views that check who asks (equipment:document, the training content
# views), in development as in production. A media route in front of them, guarded by a pattern
# on the raw path, let //, ./, %2F and ../ variants through to anonymous visitors.
