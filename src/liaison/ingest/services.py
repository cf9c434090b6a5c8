"""Factsheets into the portfolio: recognise what is already there, then create or update.

The same steps serve the command line (``liaison import``) and the review page: a draft of plain
values, organisations matched to the directory, an existing project recognised by reference,
acronym and period, or title, and one transaction per file through the portfolio's own write.
"""

import datetime
import difflib
import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.translation import gettext as _

from liaison.core import audit
from liaison.core.models import Role
from liaison.directory.models import Country, Organisation
from liaison.portfolio.models import ActivityType, Instrument, ParticipationRole, Project
from liaison.portfolio.permissions import can_edit_project
from liaison.portfolio.services import merge_into_project

from .countries import find_countries
from .known import KnownOrganisation, find_known, known_organisations
from .models import Factsheet, FactsheetStatus, ImportBatch

# The extraction contract's funding sources and the portfolio's instrument codes.
INSTRUMENT_CODES = {
    "AMIF": "AMIF",
    "ISF-Police": "ISF-P",
    "ISF-Borders and Visa": "ISF-BV",
    "BMVI": "BMVI",
    "Interreg": "Interreg",
    "IPA": "IPA",
    "NDICI": "NDICI",
    "EU budget (other)": "Other",
}
ORGANISATION_SIMILARITY = 0.88
TITLE_SIMILARITY = 0.92


class ImportRefused(Exception):
    """The factsheet cannot go into the portfolio as it stands; the message says why."""


@dataclass
class Draft:
    """The values a factsheet gives, checked and in the portfolio's types."""

    title: str = ""
    acronym: str = ""
    reference: str = ""
    start: datetime.date | None = None
    end: datetime.date | None = None
    budget: Decimal | None = None
    currency: str = "EUR"
    # The EU's share of the budget and the rest (co-financing), for the funding line.
    eu_contribution: Decimal | None = None
    co_financing: Decimal | None = None
    funding_sources: list[str] = field(default_factory=list)
    countries: list[str] = field(default_factory=list)
    organisations: list[tuple[str, str]] = field(default_factory=list)
    activity_types: list[str] = field(default_factory=list)

    @classmethod
    def from_extracted(cls, data: dict) -> "Draft":
        """Build a draft from the extractor's output (or the review form's equivalent)."""
        budget = data.get("budget") or {}
        amount = _money(budget.get("amount"))
        eu = _money(budget.get("eu_contribution"))
        co = _money(budget.get("co_financing"))
        if co is None and eu is not None and amount is not None and amount >= eu:
            co = amount - eu  # stated total and EU share: the rest is co-financing
        return cls(
            title=(data.get("title") or "").strip()[:500],
            acronym=(data.get("acronym") or "").strip()[:60],
            reference=(data.get("reference") or "").strip()[:100],
            start=_date(data.get("start_date")),
            end=_date(data.get("end_date")),
            budget=amount,
            currency=(budget.get("currency") or "EUR")[:3],
            eu_contribution=eu,
            co_financing=co,
            funding_sources=[s for s in data.get("funding_sources") or [] if s in INSTRUMENT_CODES],
            countries=list(data.get("countries") or []),
            organisations=[
                (o["name"].strip(), o["role"])
                for o in data.get("organisations") or []
                if o.get("name", "").strip() and o.get("role") in ParticipationRole.values
            ],
            activity_types=[a for a in data.get("activity_types") or [] if a in ActivityType],
        )

    def check(self):
        """Refuse what the portfolio cannot hold, with every reason at once."""
        problems = []
        if not self.title:
            problems.append(_("no title was found; type it in"))
        if self.start and self.end and self.end < self.start:
            problems.append(_("the end date is before the start date"))
        if self.budget is not None and (self.eu_contribution or 0) > self.budget:
            problems.append(_("the EU contribution is larger than the total budget"))
        if problems:
            raise ImportRefused("; ".join(problems))


def _money(value) -> Decimal | None:
    """An amount as the contract writes it ("871393.95"), or None when absent or not a number."""
    if value in (None, ""):
        return None
    try:
        amount = Decimal(str(value)).quantize(Decimal("0.01"))
    except (InvalidOperation, TypeError, ValueError):
        return None
    return amount if amount.is_finite() and amount >= 0 else None


def _date(value):
    if isinstance(value, datetime.date):
        return value
    try:
        return datetime.date.fromisoformat(value) if value else None
    except ValueError:
        return None


def _normal(text: str) -> str:
    text = re.sub(r"\([^)]*\)", " ", text.casefold())
    text = re.sub(r"[^\w]+", " ", text)
    return re.sub(r"^the ", "", text).strip()


class Directory:
    """Organisations matched by name, acronym or close spelling, loaded once per import run."""

    def __init__(self):
        self.rows = list(Organisation.objects.values_list("pk", "name", "acronym"))
        self.by_name = {_normal(name): pk for pk, name, _a in self.rows}
        self.by_acronym = {a.casefold(): pk for pk, _n, a in self.rows if a}

    def match(self, name: str) -> int | None:
        known = find_known(name)
        if known is not None:
            # A reference body is its own record or nothing: never a lookalike by spelling.
            return self.match_known(known)
        key = _normal(name)
        if key in self.by_name:
            return self.by_name[key]
        if name.casefold() in self.by_acronym:
            return self.by_acronym[name.casefold()]
        matcher = difflib.SequenceMatcher(a=key, autojunk=False)
        best, best_pk = ORGANISATION_SIMILARITY, None
        for candidate, pk in self.by_name.items():
            matcher.set_seq2(candidate)
            if matcher.real_quick_ratio() < best or matcher.quick_ratio() < best:
                continue
            ratio = matcher.ratio()
            if ratio >= best and _same_words(key, candidate):
                best, best_pk = ratio, pk
        return best_pk

    def match_known(self, known: KnownOrganisation) -> int | None:
        """The directory record of a reference body, by its name, acronym or another name."""
        for name in known.names:
            pk = self.by_name.get(_normal(name))
            if pk is not None:
                return pk
        return self.by_acronym.get(known.acronym.casefold()) if known.acronym else None

    def remember(self, organisation: Organisation):
        self.rows.append((organisation.pk, organisation.name, organisation.acronym))
        self.by_name[_normal(organisation.name)] = organisation.pk
        if organisation.acronym:
            self.by_acronym.setdefault(organisation.acronym.casefold(), organisation.pk)


def _same_words(a: str, b: str) -> bool:
    """Every word of each name has a close spelling in the other.

    Similar strings are not enough: "Haskovo Regional Directorate" and "Burgas Regional
    Directorate" are different offices, while "Kırklareli" and "Kirklareli" are one place.
    """
    small = {"the", "and", "for", "des", "del", "und"}
    words_a = {w for w in a.split() if len(w) > 2 and w not in small}
    words_b = {w for w in b.split() if len(w) > 2 and w not in small}

    def covered(words, others):
        return all(
            w in others or any(difflib.SequenceMatcher(a=w, b=o).ratio() >= 0.75 for o in others)
            for w in words
        )

    return covered(words_a, words_b) and covered(words_b, words_a)


def find_existing_project(draft: Draft) -> tuple[Project | None, str]:
    """The project this factsheet describes, if the portfolio has it, and how it was known."""
    if draft.reference:
        found = Project.objects.filter(reference__iexact=draft.reference).first()
        if found:
            return found, _("same reference %(ref)s") % {"ref": draft.reference}
    if draft.acronym:
        for project in Project.objects.filter(acronym__iexact=draft.acronym):
            if _overlap(project.start, project.end, draft.start, draft.end):
                return project, _("same acronym %(acronym)s in an overlapping period") % {
                    "acronym": draft.acronym
                }
    if draft.title:
        key = _normal(draft.title)
        words = sorted(key.split(), key=len, reverse=True)
        if words:
            matcher = difflib.SequenceMatcher(a=key, autojunk=False)
            candidates = Project.objects.filter(title__icontains=words[0]).only("pk", "title")
            for project in candidates[:500]:
                matcher.set_seq2(_normal(project.title))
                if matcher.quick_ratio() >= TITLE_SIMILARITY and (
                    matcher.ratio() >= TITLE_SIMILARITY
                ):
                    return project, _("nearly the same title")
    return None, ""


def _overlap(start_a, end_a, start_b, end_b) -> bool:
    if not (start_a and start_b):
        return False
    end_a = end_a or datetime.date.max
    end_b = end_b or datetime.date.max
    return start_a <= end_b and start_b <= end_a


@dataclass
class Outcome:
    project: Project
    created: bool
    matched_by: str
    new_organisations: list[str]
    notes: list[str] = field(default_factory=list)


@transaction.atomic
def import_draft(actor, draft: Draft, source: str, directory: Directory | None = None) -> Outcome:
    """Create or update the project a factsheet describes, in one transaction.

    ``actor`` is ``None`` for the command line, which only administrators run.
    """
    draft.check()
    directory = directory or Directory()
    project, matched_by = find_existing_project(draft)
    if actor is not None:
        if project is not None:
            allowed, why = can_edit_project(actor, project)
            if not allowed:
                raise ImportRefused(
                    _(
                        "this factsheet matches “%(project)s” (%(how)s), "
                        "which you may not edit: %(why)s"
                    )
                    % {"project": project, "how": matched_by, "why": why}
                )
        elif not can_upload(actor):
            raise ImportRefused(_("only the secretariat and project managers may add projects"))
    participations, created_names = [], []
    for name, role in draft.organisations:
        pk = directory.match(name)
        known = find_known(name)
        if pk is not None:
            organisation = Organisation(pk=pk)
        elif known is not None:
            organisation = _reference_organisation(actor, known, source, directory)
        else:
            organisation = _new_organisation(actor, name, source)
            directory.remember(organisation)
            created_names.append(organisation.name)
        participations.append((organisation, role))
    instruments = list(
        Instrument.objects.filter(code__in=[INSTRUMENT_CODES[s] for s in draft.funding_sources])
    )
    funding, notes = _funding(draft, instruments)
    fields = {
        "title": draft.title,
        "acronym": draft.acronym,
        "reference": draft.reference,
        "start": draft.start,
        "end": draft.end,
        "total_budget": draft.budget,
        "currency": draft.currency if draft.budget is not None else None,
    }
    try:
        project = merge_into_project(
            actor,
            project,
            fields,
            countries=list(Country.objects.filter(code__in=draft.countries)),
            participations=participations,
            instruments=instruments,
            funding=funding,
            activity_types=draft.activity_types,
            managers=[actor] if actor is not None else [],
            reason=_("Imported from %(source)s") % {"source": source},
        )
    except ValidationError as error:
        raise ImportRefused("; ".join(error.messages)) from None
    return Outcome(project, not matched_by, matched_by, created_names, notes)


def _funding(draft: Draft, instruments: list[Instrument]) -> tuple[list[dict], list[str]]:
    """The funding line that carries the stated EU contribution and co-financing.

    One instrument takes the amounts; with none named, EU money still needs a line, so it goes
    to "Other funding". Several instruments share one stated figure in proportions the factsheet
    does not give, so their lines are left for a person to split, and the outcome says so.
    """
    if draft.eu_contribution is None and draft.co_financing is None:
        return [], []
    amounts = {"eu_contribution": draft.eu_contribution, "co_financing": draft.co_financing}
    if len(instruments) > 1:
        return [], [
            _(
                "The factsheet gives one EU contribution for %(count)d funding instruments; "
                "split it between their funding lines on the project's edit page."
            )
            % {"count": len(instruments)}
        ]
    instrument = instruments[0] if instruments else Instrument.objects.filter(code="Other").first()
    if instrument is None:
        return [], []
    return [{"instrument": instrument, **amounts}], []


def _reference_organisation(
    actor, known: KnownOrganisation, source: str, directory: Directory
) -> Organisation:
    """The single record of a reference body, created from the reference list the first time.

    It is not flagged for review: the list itself was reviewed. Its parent (DG HOME's European
    Commission) is found or created the same way.
    """
    pk = directory.match_known(known)
    if pk is not None:
        return Organisation(pk=pk)
    parent_entry = known_organisations().get(known.parent) if known.parent else None
    parent = (
        _reference_organisation(actor, parent_entry, source, directory) if parent_entry else None
    )
    organisation = Organisation.objects.create(
        name=known.name,
        acronym=known.acronym[:40],
        type=known.type,
        country=Country.objects.filter(code=known.country).first() if known.country else None,
        parent_id=parent.pk if parent else None,
        needs_review=False,
    )
    audit.record(
        actor,
        "organisation.created",
        organisation,
        {"name": [None, organisation.name]},
        _("Reference organisation named in %(source)s") % {"source": source},
    )
    directory.remember(organisation)
    return organisation


def _new_organisation(actor, name: str, source: str) -> Organisation:
    codes = {code for code, _s, _e in find_countries(name)}
    country = Country.objects.filter(code=codes.pop()).first() if len(codes) == 1 else None
    short = name if name.isupper() and len(name) <= 40 else ""
    organisation = Organisation.objects.create(
        name=name[:300], acronym=short, country=country, needs_review=True
    )
    audit.record(
        actor,
        "organisation.created",
        organisation,
        {"name": [None, organisation.name]},
        _("Named in %(source)s; to be reviewed") % {"source": source},
    )
    return organisation


# Uploads ---------------------------------------------------------------------------------------


def can_upload(user) -> bool:
    return bool(
        getattr(user, "is_authenticated", False)
        and user.is_active
        and (user.is_secretariat or user.role == Role.PROJECT_MANAGER)
    )


def can_review(user, factsheet: Factsheet) -> bool:
    return can_upload(user) and (user.is_secretariat or factsheet.batch.uploaded_by_id == user.pk)


@transaction.atomic
def upload_factsheets(actor, files: list[tuple[str, bytes]]) -> ImportBatch:
    """Store the files and queue each to be read in the background, once the upload commits."""
    from .tasks import read_factsheet

    if not can_upload(actor):
        raise ImportRefused(_("only the secretariat and project managers may upload factsheets"))
    if not files:
        raise ImportRefused(_("choose at least one file"))
    refusal = batch_too_large(sum(len(data) for _name, data in files))
    if refusal:
        raise ImportRefused(refusal)
    batch = ImportBatch.objects.create(uploaded_by=actor)
    for name, data in files:
        factsheet = Factsheet.objects.create(
            batch=batch, name=name[:255], size=len(data), content=data
        )
        transaction.on_commit(lambda pk=factsheet.pk: read_factsheet.enqueue(pk))
    return batch


def batch_too_large(total: int) -> str:
    """Why an upload of ``total`` bytes is refused, or "" when it is within the batch limit.

    Every file is stored until it is read, so one upload's size is bounded as a whole, not only
    file by file: two hundred files of the largest size would fill the database.
    """
    limit = settings.INGEST_MAX_BATCH_BYTES
    if total <= limit:
        return ""
    return _(
        "the files come to %(size)s together, over the limit of %(limit)s for one upload; "
        "nothing was uploaded: upload them in smaller groups"
    ) % {"size": filesizeformat(total), "limit": filesizeformat(limit)}


def confirm_factsheet(actor, factsheet: Factsheet, draft: Draft) -> Outcome:
    """Put a reviewed factsheet into the portfolio; it must still be open and the actor's."""
    if not can_review(actor, factsheet):
        raise ImportRefused(_("you may not review this factsheet"))
    with transaction.atomic():
        factsheet = Factsheet.objects.select_for_update().get(pk=factsheet.pk)
        if factsheet.status != FactsheetStatus.READY:
            raise ImportRefused(_("this factsheet is no longer waiting for review"))
        outcome = import_draft(actor, draft, factsheet.name)
        factsheet.status = FactsheetStatus.CONFIRMED
        factsheet.project = outcome.project
        factsheet.outcome = "created" if outcome.created else "updated"
        factsheet.reviewed_by, factsheet.reviewed = actor, timezone.now()
        factsheet.save(update_fields=["status", "project", "outcome", "reviewed_by", "reviewed"])
    return outcome


def discard_factsheet(actor, factsheet: Factsheet) -> None:
    if not can_review(actor, factsheet):
        raise ImportRefused(_("you may not review this factsheet"))
    if not factsheet.is_open:
        raise ImportRefused(_("this factsheet is no longer waiting for review"))
    factsheet.status = FactsheetStatus.DISCARDED
    factsheet.reviewed_by, factsheet.reviewed = actor, timezone.now()
    factsheet.save(update_fields=["status", "reviewed_by", "reviewed"])
