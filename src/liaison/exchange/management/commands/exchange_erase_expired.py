from django.core.management.base import BaseCommand

from liaison.exchange.services import erase_expired


class Command(BaseCommand):
    help = "Erase the content of requests closed longer ago than their network keeps it."

    def handle(self, *args, **options):
        self.stdout.write(f"Requests whose content was erased: {erase_expired()}")
