from django.core.management.base import BaseCommand

from liaison.events.services import erase_expired_registrations


class Command(BaseCommand):
    help = (
        "Erase participants' personal data of events whose retention period has ended; "
        "anonymous counts remain. Run it daily."
    )

    def handle(self, *args, **options):
        count = erase_expired_registrations()
        self.stdout.write(f"{count} registrations erased.")
