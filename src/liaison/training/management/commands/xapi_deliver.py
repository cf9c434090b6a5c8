from django.conf import settings
from django.core.management.base import BaseCommand

from liaison.training.models import DeliveryState
from liaison.training.services.xapi import deliver, due_deliveries


class Command(BaseCommand):
    help = (
        "Send the xAPI statements waiting for the external learning record store "
        "(LIAISON_LRS_URL) whose time has come. Run it every few minutes."
    )

    def handle(self, *args, **options):
        counts = {DeliveryState.SENT: 0, DeliveryState.WAITING: 0, DeliveryState.FAILED: 0}
        for delivery_id in due_deliveries():
            state = deliver(delivery_id, max_tries=settings.LRS_MAX_TRIES)
            if state in counts:
                counts[state] += 1
            if state == DeliveryState.WAITING:
                # The store is not answering: the others wait for the next run rather than
                # each spending a try on it.
                break
        self.stdout.write(
            f"Sent: {counts['sent']}, to try again: {counts['waiting']}, "
            f"failed: {counts['failed']}."
        )
