"""The results API, one module per area; the router in ``liaison.api.urls`` registers them."""

import django_filters

from liaison.events.api import DomainErrorsMixin

from ..services import ResultsError

# The largest id a database column holds; a larger number in a query string is a bad request,
# not a crash in the database driver.
LARGEST_ID = 2**63 - 1


def id_filter(field_name: str) -> django_filters.NumberFilter:
    return django_filters.NumberFilter(field_name=field_name, min_value=1, max_value=LARGEST_ID)


class ResultsErrorsMixin(DomainErrorsMixin):
    """The services' refusals as a 400 with the reason, beside the events app's own."""

    refusals = (ResultsError,)
