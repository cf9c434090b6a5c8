"""``liaison demo``: fill an installation with data worth clicking through.

The command lives in ``web``, the layer that composes the apps, because it loads the demo data
of several of them in order: ``portfolio.demo`` (real programmes, synthetic portfolio, demo
accounts), then ``events.demo`` (the MPF exchange event and the ILECU network's meetings),
which builds on the first, then the training centre, the equipment handed over to two
coordination units, their needs assessments before and after, and the training-centre
project's logframe, reports and risks, and last the institutions' people and their accounts
(``privacy.demo``). Apps keep depending downward: ``portfolio`` never imports ``events``, and
nothing imports ``web``.
"""

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.test.utils import override_settings

from liaison.accounts.services import vouch_for_addresses
from liaison.assessments import demo as assessments_demo
from liaison.core.models import User
from liaison.equipment import demo as equipment_demo
from liaison.events import demo as events_demo
from liaison.exchange import demo as exchange_demo
from liaison.grants import demo as grants_demo
from liaison.portfolio import demo
from liaison.portfolio.models import Project
from liaison.privacy import demo as people_demo
from liaison.results import demo as results_demo
from liaison.results import demo_reports
from liaison.training import demo as training_demo


class Command(BaseCommand):
    help = (
        "Load five real migration, border and security programmes, their events, three demo "
        "accounts and, optionally, a synthetic portfolio. Safe to run again."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--projects",
            type=int,
            default=0,
            metavar="N",
            help="also add N synthetic projects (default: none)",
        )
        parser.add_argument(
            "--seed",
            type=int,
            default=1,
            metavar="S",
            help="seed for the synthetic projects and the events' participants; the same N "
            "and S give the same data",
        )
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help="do nothing when the database already holds projects",
        )

    def handle(self, *args, projects, seed, if_empty, **options):
        if projects < 0:
            raise CommandError("--projects cannot be negative.")
        if if_empty and Project.objects.exists():
            self.stdout.write(
                "Demo data is already there (the database holds projects); nothing loaded."
            )
            # make run prints how to sign in every time, as long as the demo accounts exist.
            demo_names = [row[0] for row in demo.DEMO_USERS]
            if User.objects.filter(username__in=demo_names).exists():
                self.stdout.write(demo.sign_in_help())
                self.stdout.write(training_demo.sign_in_help())
                self.stdout.write(people_demo.sign_in_help())
                self.stdout.write(grants_demo.sign_in_help())
                self.stdout.write(exchange_demo.sign_in_help())
            else:
                self.stdout.write("Sign in with your own account ('liaison createsuperuser').")
            return
        # Invented people at example.org are never written to: the services the demo replays
        # send receipts, notices and letters when the transaction commits, here into nothing.
        with (
            override_settings(EMAIL_BACKEND="django.core.mail.backends.dummy.EmailBackend"),
            transaction.atomic(),
        ):
            before = Project.objects.count()
            demo.load_seed_programmes()
            seeded = Project.objects.count() - before
            added = demo.add_synthetic_projects(projects, seed)
            demo.create_demo_users()
            events = events_demo.load_demo_events(seed)
            modules = training_demo.load_demo_training(seed)
            items = equipment_demo.load_demo_equipment()
            assessments = assessments_demo.load_demo_assessments()
            results_demo.load_demo_results()
            demo_reports.load_demo_reports()
            people = people_demo.load_demo_people()
            grants = grants_demo.load_demo_grants()
            exchange = exchange_demo.load_demo_exchange(seed)
            requests = len(exchange.get("requests", [])) + exchange.get("archived", 0)
            # The demo accounts sign in at once: their example addresses count as verified.
            vouch_for_addresses(User.objects.filter(email__iendswith="@example.org"))
        self.stdout.write(
            self.style.SUCCESS(
                f"Real programmes: {seeded} new. Synthetic projects (seed {seed}): {added} new. "
                f"Events: {events} new. Training modules: {modules} new. "
                f"Equipment items: {items} new. Needs assessments: {assessments} new. "
                f"Institutions' accounts: {people} new. "
                f"Calls for proposals: {len(grants.get('calls', {}))} new. "
                f"Cooperation requests: {requests} new."
            )
        )
        self.stdout.write("")
        self.stdout.write(demo.sign_in_help())
        self.stdout.write(training_demo.sign_in_help())
        self.stdout.write(people_demo.sign_in_help())
        self.stdout.write(grants_demo.sign_in_help())
        self.stdout.write(exchange_demo.sign_in_help())
