"""Time the pages and API a visitor hits most, on a portfolio of a chosen size.

    .venv/bin/python bench/run.py --projects 10000 --json bench/out/result-10000.json

Requests go through ``django.test.Client`` in this process: the full middleware stack, URL
routing, views, templates and SQL, without a web server or network in between, so the numbers
measure the application and are comparable from one run to the next. See bench/README.md.
"""

import argparse
import gc
import json
import math
import os
import resource
import statistics
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
OUT_DIR = REPO / "bench" / "out"
STAFF_USERNAME = "bench-staff"


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--projects", type=int, default=10_000, help="portfolio size")
    parser.add_argument("--json", type=Path, help="write the results to this file")
    parser.add_argument(
        "--applications",
        type=int,
        default=2_000,
        help="applications to the bench call for proposals (grants pages)",
    )
    parser.add_argument(
        "--requests",
        type=int,
        default=50_000,
        help="cooperation requests in the bench network (a unit's inbox)",
    )
    parser.add_argument("--warmup", type=int, default=3, help="untimed requests per case")
    parser.add_argument("--repeat", type=int, default=30, help="timed requests per case")
    parser.add_argument(
        "--only", action="append", metavar="NAME", help="run only this case (repeatable)"
    )
    parser.add_argument(
        "--max-p95-ms",
        type=float,
        help="exit with status 1 if any case's p95 is above this (for CI)",
    )
    return parser.parse_args(argv)


def configure_environment(projects: int) -> Path | None:
    """Point the settings at the scratch database; must run before Django is set up."""
    sys.path.insert(0, str(REPO / "src"))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "liaison.settings")
    # The bench's staff account reads pages, it does not sign in: no second factor to set up.
    os.environ.setdefault("LIAISON_MFA_REQUIRED_ROLES", "")
    if os.environ.get("LIAISON_DATABASE_URL"):
        return None  # a database the caller chose: use it as it is
    OUT_DIR.mkdir(parents=True, exist_ok=True)
    path = OUT_DIR / f"bench-{projects}.sqlite3"
    os.environ["LIAISON_SQLITE_PATH"] = str(path)
    return path


def prepare_database(projects: int) -> int:
    from django.core.management import call_command, get_commands
    from django.db import connection

    from liaison.portfolio.models import Project

    call_command("migrate", interactive=False, verbosity=0)
    have = Project.objects.count()
    if have >= projects:
        print(f"Reusing {connection.settings_dict['NAME']} ({have} projects).")
        return have
    if "demo" not in get_commands():
        raise SystemExit("The `liaison demo` command is not installed; cannot build the data.")
    print(f"Building a portfolio of {projects} projects (seed 1)...", flush=True)
    started = time.perf_counter()
    # `demo` is safe to run again: it adds what is missing, so a cut-short build resumes.
    call_command("demo", projects=projects, seed=1)
    have = Project.objects.count()
    print(f"Built {have} projects in {time.perf_counter() - started:.0f} s.")
    if have < projects:
        raise SystemExit(f"`liaison demo --projects {projects}` left only {have} projects.")
    return have


BENCH_CALL = "BENCH-CALL"


def prepare_applications(count: int) -> int:
    """A call with ``count`` applications under review, each a three-partner consortium with
    budget lines in two currencies and a consolidated score, written in bulk (the services
    would take minutes for thousands, and the pages read the same rows either way)."""
    import datetime
    from decimal import Decimal

    from django.db import transaction
    from django.utils import timezone

    from liaison.core.models import User
    from liaison.directory.models import Organisation
    from liaison.grants.models import (
        Application,
        BudgetLine,
        Call,
        Consolidation,
        ExchangeRate,
        Lot,
        Partner,
    )
    from liaison.portfolio.models import Facility, Instrument

    call = Call.objects.filter(reference=BENCH_CALL).first()
    have = call.applications.count() if call else 0
    if have >= count:
        return have
    with transaction.atomic():
        if call is None:
            now = timezone.now()
            call = Call.objects.create(
                facility=Facility.objects.first() or Facility.objects.create(name="Bench"),
                reference=BENCH_CALL,
                title="Bench call",
                opens_at=now - datetime.timedelta(days=90),
                closes_at=now - datetime.timedelta(days=30),
                published=True,
            )
            ExchangeRate.objects.create(call=call, currency="RSD", rate=Decimal("117.2"))
            lot = Lot.objects.create(
                call=call,
                number=1,
                title="Bench lot",
                envelope=Decimal("50000000"),
                max_grant=Decimal("500000"),
                max_duration_months=24,
            )
            lot.instruments.set(Instrument.objects.filter(code="BMVI"))
        lot = call.lots.get(number=1)
        applicant = User.objects.order_by("pk").first()
        organisations = list(Organisation.objects.order_by("pk")[:30])
        made = Application.objects.bulk_create(
            Application(
                call=call,
                lot=lot,
                number=have + i + 1,
                status="under_review",
                lead=organisations[i % len(organisations)],
                title=f"Bench application {have + i + 1}",
                duration_months=24,
                created_by=applicant,
                submitted_at=call.opens_at + datetime.timedelta(days=1, seconds=i),
            )
            for i in range(count - have)
        )
        partners = Partner.objects.bulk_create(
            Partner(
                application=application,
                organisation=organisations[(i + k) % len(organisations)],
                role="lead" if k == 0 else "partner",
                currency="RSD" if k == 2 else "EUR",
                co_financing=Decimal("5000"),
            )
            for i, application in enumerate(made)
            for k in range(3)
        )
        BudgetLine.objects.bulk_create(
            BudgetLine(partner=partner, category=category, year=year, amount=Decimal(amount))
            for partner in partners
            for category, year, amount in (("staff", 1, 40000), ("travel", 2, 10000))
        )
        Consolidation.objects.bulk_create(
            Consolidation(application=application, total=Decimal(50 + i % 50), scores={})
            for i, application in enumerate(made)
        )
    return call.applications.count()


BENCH_NETWORK = "BENCH-X"
OFFICER_USERNAME = "bench-officer"


def prepare_requests(count: int) -> int:
    """A network of four units in which ``count`` requests went from three of them to the
    first, at every step, written in bulk; the bench officer holds the role in the first unit
    (its inbox is the case measured). Subjects are encrypted as the services would."""
    import datetime

    from allauth.mfa.models import Authenticator
    from allauth.mfa.totp.internal.auth import TOTP
    from django.db import transaction
    from django.utils import timezone

    from liaison.core.models import Role, User
    from liaison.directory.models import Network, Organisation
    from liaison.exchange.models import Case, ExchangeNetwork, Request, Unit, UnitRole

    network, _ = Network.objects.get_or_create(
        acronym=BENCH_NETWORK, defaults={"name": "Bench exchange network"}
    )
    exchange, _ = ExchangeNetwork.objects.get_or_create(network=network)
    organisations = list(Organisation.objects.order_by("pk")[:4])
    units = [
        Unit.objects.get_or_create(
            code=f"BENCH-{k}",
            defaults={"exchange": exchange, "organisation": organisation, "timezone": "UTC"},
        )[0]
        for k, organisation in enumerate(organisations)
    ]
    officer, _ = User.objects.update_or_create(
        username=OFFICER_USERNAME, defaults={"role": Role.PUBLIC, "is_active": True}
    )
    UnitRole.objects.get_or_create(unit=units[0], user=officer, ended=None)
    if not Authenticator.objects.filter(user=officer).exists():
        TOTP.activate(officer, "BENCHBENCHBENCHBENCHBENCHBENCHAA")
    have = Request.objects.filter(exchange=exchange).count()
    if have >= count:
        return have
    now = timezone.now()
    states = ["received", "assigned", "answered", "refused", "closed"]
    with transaction.atomic():
        made = Request.objects.bulk_create(
            Request(
                exchange=exchange,
                sender=units[1 + i % 3],
                year=2026,
                number=i + 1,
                subject=f"Bench request {i + 1}",
                kind="information",
                crime_area="smuggling",
                urgency="normal",
                status="closed" if i % 5 == 4 else "sent",
                sent_at=now - datetime.timedelta(minutes=i),
            )
            for i in range(have, count)
        )
        Case.objects.bulk_create(
            Case(
                request=request,
                unit=units[0],
                status=states[i % 5],
                received_at=request.sent_at,
                deadline=request.sent_at + datetime.timedelta(days=7),
            )
            for i, request in enumerate(made, start=have)
        )
    return Request.objects.filter(exchange=exchange).count()


def percentile(samples: list[float], fraction: float) -> float:
    """Nearest-rank percentile: a value that was actually measured, never an interpolation."""
    ordered = sorted(samples)
    return ordered[max(0, math.ceil(fraction * len(ordered)) - 1)]


def measure(name: str, client, path: str, warmup: int, repeat: int) -> dict:
    from django.db import connection, reset_queries
    from django.test.utils import CaptureQueriesContext

    def get():
        response = client.get(path)
        if response.status_code != 200:
            raise SystemExit(f"{name}: GET {path} answered {response.status_code}, not 200.")
        return response

    for _ in range(warmup):
        get()
    # Counted on a request of its own, so recording the SQL does not slow the timed ones. The
    # log is emptied first: with DEBUG on it is a deque capped at 9,000 entries, and once full
    # (building the data fills it) its length no longer changes, so every count would read 0.
    reset_queries()
    with CaptureQueriesContext(connection) as queries:
        get()
    # Garbage left by the build or the previous case is collected here, not in a timed request.
    gc.collect()
    timings = []
    for _ in range(repeat):
        started = time.perf_counter()
        get()
        timings.append((time.perf_counter() - started) * 1000)
    return {
        "name": name,
        "path": path,
        "p50_ms": round(statistics.median(timings), 2),
        "p95_ms": round(percentile(timings, 0.95), 2),
        "max_ms": round(max(timings), 2),
        "queries": len(queries),
    }


def cases() -> list[tuple[str, str, bool]]:
    """(name, path, as staff) for every request measured."""
    from liaison.portfolio.models import Project

    first_public = Project.objects.public().order_by("pk").values_list("pk", flat=True).first()
    if first_public is None:
        raise SystemExit("The portfolio has no public project to open.")
    return [
        ("dashboard", "/", False),
        (
            "project_list_filtered",
            "/projects/?region=western_balkans&instrument=AMIF&status=completed&sort=-budget",
            False,
        ),
        ("text_search", "/projects/?q=border", False),
        ("project_page", f"/projects/{first_public}/", False),
        ("api_project_list", "/api/projects/", False),
        ("project_list_staff", "/projects/", True),
        ("grants_applications", f"/grants/applications/?call={BENCH_CALL}", True),
        ("grants_overview", f"/grants/calls/{BENCH_CALL}/overview/", True),
        ("grants_ranking", f"/grants/calls/{BENCH_CALL}/lots/1/ranking/", True),
        ("exchange_inbox", "/exchange/", "officer"),
    ]


def staff_client():
    from django.test import Client

    from liaison.core.models import Role, User

    user, _ = User.objects.update_or_create(
        username=STAFF_USERNAME, defaults={"role": Role.STAFF_VIEWER, "is_active": True}
    )
    client = Client()
    client.force_login(user)
    return client


def officer_client():
    """The bench unit's officer (``prepare_requests``), signed in."""
    from django.test import Client

    from liaison.core.models import User

    client = Client()
    client.force_login(User.objects.get(username=OFFICER_USERNAME))
    return client


def peak_memory_mb() -> float:
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    # Linux reports kibibytes, macOS bytes.
    return peak / (1024 * 1024) if sys.platform == "darwin" else peak / 1024


def print_table(results: list[dict], projects: int, database: str) -> None:
    print(f"\n{projects} projects on {database}")
    header = f"{'case':<24} {'p50 ms':>8} {'p95 ms':>8} {'max ms':>8} {'queries':>8}  path"
    print(header)
    print("-" * len(header))
    for row in results:
        print(
            f"{row['name']:<24} {row['p50_ms']:>8.1f} {row['p95_ms']:>8.1f} "
            f"{row['max_ms']:>8.1f} {row['queries']:>8}  {row['path']}"
        )


def main(argv=None) -> int:
    args = parse_args(argv)
    configure_environment(args.projects)

    import django

    django.setup()

    from django.conf import settings
    from django.db import connection
    from django.test import Client

    if "testserver" not in settings.ALLOWED_HOSTS and "*" not in settings.ALLOWED_HOSTS:
        settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]

    in_db = prepare_database(args.projects)
    applications = prepare_applications(args.applications)
    requests = prepare_requests(args.requests)
    selected = cases()
    if args.only:
        unknown = set(args.only) - {name for name, _, _ in selected}
        if unknown:
            raise SystemExit(f"Unknown case(s): {', '.join(sorted(unknown))}")
        selected = [case for case in selected if case[0] in args.only]

    clients = {False: Client(), True: staff_client(), "officer": officer_client()}
    results = [
        measure(name, clients[who], path, args.warmup, args.repeat) for name, path, who in selected
    ]

    database = "postgresql" if connection.vendor == "postgresql" else connection.vendor
    print_table(results, args.projects, database)
    print(f"{applications} applications to the bench call")
    print(f"{requests} cooperation requests in the bench network")
    memory = peak_memory_mb()
    print(f"\nPeak memory (max RSS): {memory:.0f} MB")

    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        document = {
            "results": results,
            "projects": args.projects,
            "projects_in_database": in_db,
            "applications": applications,
            "requests": requests,
            "database": database,
            "repeat": args.repeat,
            "peak_memory_mb": round(memory, 1),
            "debug": settings.DEBUG,
        }
        args.json.write_text(json.dumps(document, indent=2) + "\n")
        print(f"Wrote {args.json}")

    if args.max_p95_ms is not None:
        slow = [row["name"] for row in results if row["p95_ms"] > args.max_p95_ms]
        if slow:
            print(f"Above {args.max_p95_ms} ms at p95: {', '.join(slow)}", file=sys.stderr)
            return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
