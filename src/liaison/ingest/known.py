"""Funders and EU bodies every factsheet names, kept as reference data rather than guessed.

"Funded by the European Union" appears in nearly every factsheet; proposing "European Union" as
a new organisation to review each time (or matching it by spelling to "European Union Agency for
Asylum") would fill the directory with copies. ``data/known_organisations.yaml`` lists these
bodies with their acronyms and the other names factsheets use; a name that matches one of them
resolves to that body's single directory record.
"""

import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import yaml

DATA = Path(__file__).parent / "data" / "known_organisations.yaml"


@dataclass(frozen=True)
class KnownOrganisation:
    """One entry of the reference list."""

    name: str
    acronym: str = ""
    type: str = "other"
    country: str = ""
    parent: str = ""
    aliases: tuple[str, ...] = ()

    @property
    def names(self) -> tuple[str, ...]:
        """Every way of writing it, the directory name first."""
        return (self.name, *([self.acronym] if self.acronym else []), *self.aliases)


def key(name: str) -> str:
    """A name without case, punctuation, a leading "the" or a possessive, for comparing."""
    text = re.sub(r"['’]s\b", "", name.casefold())
    text = re.sub(r"[^\w]+", " ", text).strip()
    return re.sub(r"^the ", "", text)


@cache
def known_organisations() -> dict[str, KnownOrganisation]:
    """The reference list by directory name, read once per process."""
    with DATA.open(encoding="utf-8") as stream:
        rows = yaml.safe_load(stream) or []
    entries = {}
    for row in rows:
        entry = KnownOrganisation(
            name=row["name"],
            acronym=row.get("acronym") or "",
            type=row.get("type") or "other",
            country=row.get("country") or "",
            parent=row.get("parent") or "",
            aliases=tuple(row.get("aliases") or ()),
        )
        entries[entry.name] = entry
    return entries


@cache
def _index() -> dict[str, KnownOrganisation]:
    index = {}
    for entry in known_organisations().values():
        for name in entry.names:
            index.setdefault(key(name), entry)
    return index


def find_known(name: str) -> KnownOrganisation | None:
    """The reference entry a name stands for, if any.

    "European Commission (DG HOME)" is tried whole, then without its bracket, so a body named
    with its acronym in brackets is found either way. The bracket alone is never tried: "Border
    Police (EU)" is not the European Union.
    """
    index = _index()
    bracket = re.search(r"\(([^)]*)\)", name)
    tries = [name]
    if bracket:
        tries.append(name[: bracket.start()] + name[bracket.end() :])
    for text in tries:
        entry = index.get(key(text))
        if entry is not None:
            return entry
    return None
