from django.core.management.base import BaseCommand

from liaison.exchange.reminders import rotate_key


class Command(BaseCommand):
    help = (
        "Re-encrypt the requests under the first key of LIAISON_EXCHANGE_KEY and recompute "
        "the search tokens; afterwards the older keys may be removed."
    )

    def handle(self, *args, **options):
        counts = rotate_key()
        self.stdout.write(", ".join(f"{name}: {count}" for name, count in counts.items()))
