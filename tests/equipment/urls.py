"""The site's URLs with the equipment API registered as it is to be in ``liaison.api.urls``
(prefix ``equipment``), for the API tests and the schema check. Once registered there, this
adds nothing and may go."""

from django.urls import include, path
from rest_framework.routers import DefaultRouter

from liaison import urls as site
from liaison.api import urls as api
from liaison.equipment.api import ItemViewSet

router = DefaultRouter()
for prefix, viewset, basename in api.router.registry:
    router.register(prefix, viewset, basename=basename)
if "equipment" not in {prefix for prefix, _viewset, _basename in api.router.registry}:
    router.register("equipment", ItemViewSet, basename="equipment-item")

api_patterns = [p for p in api.urlpatterns if str(p.pattern) != ""]
urlpatterns = [
    path("api/", include(([*api_patterns, path("", include(router.urls))], "api"))),
    *[p for p in site.urlpatterns if str(p.pattern) != "api/"],
]
