"""Finding the records that are likely one person, and what merging two of them would move.

A person gets a second record when they register for an event under one address and are
nominated for a course under another, or when an import lists them again. Two rules find the
likely pairs, both cheap and explainable to the secretariat, who decides:

* the same e-mail address, whatever its letter case;
* the same name in the same organisation, whatever its letter case, accents and spacing
  ("Petrović" and "petrovic").

Everything that points at a person is found from the model relations themselves
(``references``), so a record added by a later app (a grant application, a cooperation request)
is moved by a merge without this module knowing it.
"""

import unicodedata
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Count, Q
from django.db.models.functions import Lower

from .models import Person


def normalised_name(name: str) -> str:
    """The name with letter case, accents and repeated spaces ignored."""
    decomposed = unicodedata.normalize("NFKD", name.casefold())
    letters = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(letters.replace("đ", "d").replace("ı", "i").split())


@dataclass
class Pair:
    """Two records that may be one person, with why they were paired."""

    first: Person
    second: Person
    reasons: list = field(default_factory=list)


def likely_duplicates(limit: int = 200) -> list[Pair]:
    """Pairs of records sharing an e-mail address, or a name within one organisation.

    Three queries whatever the number of people: the shared addresses, the names of people in
    organisations, and the records of the pairs found.
    """
    from django.utils.translation import gettext as _

    groups = []
    emails = (
        Person.objects.exclude(email="")
        .annotate(address=Lower("email"))
        .values("address")
        .annotate(n=Count("id"))
        .filter(n__gt=1)
        .values_list("address", flat=True)
    )
    by_email = defaultdict(list)
    for pk, address in (
        Person.objects.annotate(address=Lower("email"))
        .filter(address__in=list(emails))
        .values_list("pk", "address")
    ):
        by_email[address].append(pk)
    groups += [(pks, _("same e-mail address")) for pks in by_email.values()]

    by_name = defaultdict(list)
    for pk, name, organisation in Person.objects.filter(organisation__isnull=False).values_list(
        "pk", "name", "organisation"
    ):
        by_name[(organisation, normalised_name(name))].append(pk)
    groups += [
        (pks, _("same name in the same organisation")) for pks in by_name.values() if len(pks) > 1
    ]

    reasons = defaultdict(list)
    for pks, reason in groups:
        pks = sorted(pks)
        for i, first in enumerate(pks):
            for second in pks[i + 1 :]:
                reasons[(first, second)].append(reason)
    keys = sorted(reasons)[:limit]
    people = Person.objects.select_related("organisation", "user").in_bulk(
        {pk for key in keys for pk in key}
    )
    return [Pair(people[a], people[b], reasons[(a, b)]) for a, b in keys]


def references():
    """Every relation that points at a person: ``(model, field name, label)``.

    Foreign keys and one-to-one fields from other models, and the rows of many-to-many tables
    (``through`` models), read from the model registry so new apps are included.
    """
    found = []
    for relation in Person._meta.get_fields(include_hidden=True):
        if not relation.is_relation or relation.concrete or not relation.auto_created:
            continue
        if relation.many_to_many:
            through = relation.through
            name = next(
                f.name for f in through._meta.fields if f.is_relation and f.related_model is Person
            )
            found.append((through, name, relation.related_model._meta.verbose_name_plural))
        else:
            model = relation.related_model
            found.append((model, relation.field.name, model._meta.verbose_name_plural))
    return found


def _unique_sets(model, name: str) -> list[tuple[list[str], Q]]:
    """The sets of fields, including ``name``, that must be unique together in ``model``, each
    with the condition under which the rule holds (``Q()`` when always): a person may have one
    *active* registration per event, and any number of withdrawn ones."""
    sets = []
    field = model._meta.get_field(name)
    if field.unique:
        sets.append(([name], Q()))
    for fields in model._meta.unique_together:
        if name in fields:
            sets.append((list(fields), Q()))
    for constraint in model._meta.constraints:
        fields = getattr(constraint, "fields", ())
        if name in fields:
            sets.append((list(fields), getattr(constraint, "condition", None) or Q()))
    return sets


def counts(person: Person) -> list[tuple[str, int]]:
    """How many records of each kind point at ``person`` (for the comparison page)."""
    rows = []
    for model, name, label in references():
        if model._meta.auto_created:
            continue
        n = model._default_manager.filter(**{name: person}).count()
        if n:
            rows.append((str(label), n))
    return rows


def collisions(keep: Person, drop: Person) -> list[str]:
    """What would break a uniqueness rule if ``drop``'s records moved to ``keep``.

    Two registrations for one event, two enrolments on one course, two accounts: the merge is
    refused with these, so that the secretariat decides which one stays and nothing is lost.
    """
    from django.utils.translation import gettext as _

    problems = []
    if keep.user_id and drop.user_id:
        problems.append(_("Both records have an account; only one account can be kept."))
    for model, name, label in references():
        manager = model._default_manager
        for fields, condition in _unique_sets(model, name):
            others = [f for f in fields if f != name]
            theirs = manager.filter(condition, **{name: drop})
            mine = manager.filter(condition, **{name: keep})
            if not others:
                if theirs.exists() and mine.exists():
                    problems.append(_("Both records have one of: %(what)s.") % {"what": label})
                continue
            ours = set(mine.values_list(*others))
            for row in theirs.values_list(*others):
                if row in ours and not model._meta.auto_created:
                    same = dict(zip(others, row, strict=True))
                    clash = mine.filter(**same).first()
                    problems.append(
                        _("Both records have %(what)s: %(which)s.")
                        % {"what": model._meta.verbose_name, "which": clash}
                    )
    return problems
