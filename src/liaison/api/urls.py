"""The public JSON API, its OpenAPI schema and a Swagger UI that runs under the strict CSP.

The split Swagger view serves its start-up code from ``docs/?script=`` instead of an inline
``<script>``, and the Swagger UI files come from drf-spectacular-sidecar through ``/static/``,
so the documentation loads nothing from another host and needs no ``'unsafe-inline'``.
"""

import base64
import hashlib
import re
import threading

from csp.decorators import csp_update
from django.conf import settings
from django.template.loader import get_template
from django.urls import include, path, re_path
from django.utils import translation
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.decorators import api_view, permission_classes, schema
from rest_framework.exceptions import NotFound
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.routers import DefaultRouter

from liaison.assessments.api import AssessmentViewSet, TemplateViewSet
from liaison.directory.api import (
    CountryViewSet,
    NetworkViewSet,
    OrganisationViewSet,
    PersonViewSet,
)
from liaison.equipment.api import ItemViewSet
from liaison.events.api import (
    EventViewSet,
    KnowledgeItemViewSet,
    RegistrationViewSet,
    SessionViewSet,
)
from liaison.exchange.api import ExchangeRequestViewSet, ExchangeStatisticsViewSet
from liaison.grants.api import (
    ApplicationViewSet,
    AwardViewSet,
    CallViewSet,
    DecisionViewSet,
    ReviewViewSet,
)
from liaison.portfolio.api import ProjectViewSet
from liaison.results.api.logframe import (
    IndicatorValueViewSet,
    IndicatorViewSet,
    LogframeResultViewSet,
)
from liaison.results.api.reports import ProgressReportViewSet, ReportingPeriodViewSet, RiskViewSet
from liaison.training.api import (
    CertificateViewSet,
    CourseViewSet,
    EnrolmentViewSet,
    ModuleViewSet,
    ResultViewSet,
)

app_name = "api"

router = DefaultRouter()
router.register("countries", CountryViewSet, basename="country")
router.register("organisations", OrganisationViewSet, basename="organisation")
router.register("people", PersonViewSet, basename="person")
router.register("networks", NetworkViewSet, basename="network")
router.register("projects", ProjectViewSet, basename="project")
router.register("events", EventViewSet, basename="event")
router.register("sessions", SessionViewSet, basename="session")
router.register("registrations", RegistrationViewSet, basename="registration")
router.register("knowledge-items", KnowledgeItemViewSet, basename="knowledge-item")
router.register("training/modules", ModuleViewSet, basename="training-module")
router.register("training/courses", CourseViewSet, basename="training-course")
router.register("training/enrolments", EnrolmentViewSet, basename="training-enrolment")
router.register("training/results", ResultViewSet, basename="training-result")
router.register("training/certificates", CertificateViewSet, basename="training-certificate")
router.register("assessments", AssessmentViewSet, basename="assessment")
router.register("assessment-templates", TemplateViewSet, basename="assessment-template")
router.register("equipment", ItemViewSet, basename="equipment-item")
router.register("results", LogframeResultViewSet, basename="result")
router.register("indicators", IndicatorViewSet, basename="indicator")
router.register("indicator-values", IndicatorValueViewSet, basename="indicator-value")
router.register("reporting-periods", ReportingPeriodViewSet, basename="reporting-period")
router.register("progress-reports", ProgressReportViewSet, basename="progress-report")
router.register("risks", RiskViewSet, basename="risk")
router.register("grants/calls", CallViewSet, basename="grant-call")
router.register("grants/applications", ApplicationViewSet, basename="grant-application")
router.register("grants/reviews", ReviewViewSet, basename="grant-review")
router.register("grants/decisions", DecisionViewSet, basename="grant-decision")
router.register("grants/awards", AwardViewSet, basename="grant-award")
router.register("exchange/requests", ExchangeRequestViewSet, basename="exchange-request")
router.register("exchange/statistics", ExchangeStatisticsViewSet, basename="exchange-statistics")


def inline_style_hashes(template_name: str) -> list[str]:
    """CSP hashes of the template's fixed ``<style>`` blocks.

    The Swagger page carries a few lines of inline CSS (page margins); allowing exactly those by
    hash keeps the layout without opening ``style-src`` to every inline style. Should a new
    drf-spectacular change them, the hash stops matching and only that cosmetic CSS is blocked.
    """
    source = get_template(template_name).template.source
    return [
        "'sha256-{}'".format(
            base64.b64encode(hashlib.sha256(block.encode()).digest()).decode("ascii")
        )
        for block in re.findall(r"<style>(.*?)</style>", source, re.DOTALL)
    ]


class CachedSchemaView(SpectacularAPIView):
    """The OpenAPI schema, generated once per process, language and version.

    Generating it walks 100+ operations and every serializer: about half a second warm and
    four to five on the first request of a process, which is what made /api/docs/ slow to
    become usable, since Swagger UI waits for it. The schema depends on the code only (it is
    public, the same for every caller), so it is kept in memory; a code change restarts the
    process (``make run`` reloads, a deployment restarts the workers) and so clears it.
    """

    KEPT = 16
    _schemas: dict = {}
    _lock = threading.Lock()

    def _get_schema_response(self, request):
        version = self.api_version or request.version or self._get_version_parameter(request)
        try:
            language = translation.get_supported_language_variant(translation.get_language())
        except LookupError:  # an unknown ?lang= reads as the default language
            language = settings.LANGUAGE_CODE
        key = (language, version)
        schema = self._schemas.get(key)
        if schema is None:
            with self._lock:
                schema = self._schemas.get(key)
                if schema is None:
                    generator = self.generator_class(
                        urlconf=self.urlconf, api_version=version, patterns=self.patterns
                    )
                    schema = generator.get_schema(request=request, public=self.serve_public)
                    if len(self._schemas) < self.KEPT:  # made-up ?version= values stay out
                        self._schemas[key] = schema
        filename = self._get_filename(request, version)
        return Response(
            data=schema, headers={"Content-Disposition": f'inline; filename="{filename}"'}
        )


docs_view = csp_update(
    {"style-src": inline_style_hashes(SpectacularSwaggerSplitView.template_name)}
)(
    # url_name must carry the namespace, or the view's reverse("schema") fails.
    SpectacularSwaggerSplitView.as_view(url_name="api:schema")
)


@api_view(["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"])
@permission_classes([AllowAny])
@schema(None)
def not_found(request, path=""):
    """Any other address under /api/ answers a JSON 404, as the schema documents.

    A path the router does not match (``/api/events/abc/``, an id that is not a number) would
    otherwise get Django's HTML error page, which no API client can read. Only paths ending in
    a slash land here, so ``/api/events`` is still redirected to ``/api/events/``.
    """
    raise NotFound()


urlpatterns = [
    path("schema/", CachedSchemaView.as_view(), name="schema"),
    path("docs/", docs_view, name="docs"),
    path("", include(router.urls)),
    re_path(r"^(?P<path>[\s\S]*)/$", not_found, name="not-found"),
]
