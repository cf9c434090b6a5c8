from django.core.management.base import BaseCommand

from liaison.exchange.reminders import send_reminders


class Command(BaseCommand):
    help = "E-mail the units whose requests are due soon (no content in the e-mail)."

    def handle(self, *args, **options):
        self.stdout.write(f"Reminders sent: {send_reminders()}")
