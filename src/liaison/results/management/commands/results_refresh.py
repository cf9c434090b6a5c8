"""``liaison results_refresh``: recount every indicator whose values Liaison counts itself.

Pages recount an indicator when an editor opens it; this command keeps every project's figures
current without anyone opening them (run it nightly). Approved periods are left as approved.
"""

from django.core.management.base import BaseCommand

from liaison.results.models import Indicator, Source
from liaison.results.sources import refresh


class Command(BaseCommand):
    help = "Recount the values of indicators counted from Liaison's records (not approved periods)."

    def add_arguments(self, parser):
        parser.add_argument("--project", type=int, metavar="ID", help="only this project")

    def handle(self, *args, project=None, **options):
        indicators = Indicator.objects.exclude(source=Source.MANUAL).select_related("project")
        if project is not None:
            indicators = indicators.filter(project=project)
        count = changed = 0
        for indicator in indicators.order_by("project", "code", "id"):
            changed += refresh(indicator)
            count += 1
        self.stdout.write(f"Recounted {count} indicators: {changed} cells changed.")
