"""``liaison import``: projects created or updated from factsheets, never duplicated."""

import datetime

import pytest
from django.core.management import CommandError, call_command

from liaison.core.models import AuditEntry
from liaison.directory.models import Organisation
from liaison.ingest.services import Directory, Draft, ImportRefused, import_draft
from liaison.portfolio.models import Project

from . import files

pytestmark = pytest.mark.django_db

FACTSHEET = """Safer edges: joint patrolling along the land border
Project acronym: SAFE-EDGE
Ref. No. BGTR0200017
Lead partner: Regional Directorate of Border Police Elhovo
Project partners: Kirklareli Governorship
Total project budget: 1.250.000,00 EUR
Period: 01.03.2024 - 31.08.2025
Funding: Interreg

Police officers of Bulgaria and Türkiye patrol the border together.
"""


def run_import(*paths, capsys):
    try:
        call_command("import", *map(str, paths))
        code = 0
    except CommandError as error:
        code = error.returncode
    return code, capsys.readouterr().out


def test_import_creates_then_updates_the_same_project(tmp_path, capsys, countries):
    (tmp_path / "safe-edge.txt").write_text(FACTSHEET)
    code, out = run_import(tmp_path, capsys=capsys)
    assert code == 0 and "created" in out and "1 created, 0 updated, 0 failed" in out
    project = Project.objects.get()
    assert (project.acronym, project.reference) == ("SAFE-EDGE", "BGTR0200017")
    assert project.start == datetime.date(2024, 3, 1)
    assert str(project.total_budget) == "1250000.00"
    assert project.visibility == "draft"
    assert sorted(project.countries.values_list("code", flat=True)) == ["BG", "TR"]
    assert {(p.organisation.name, p.role) for p in project.participations.all()} == {
        ("Regional Directorate of Border Police Elhovo", "lead"),
        ("Kirklareli Governorship", "partner"),
    }
    assert project.funding_lines.get().instrument.code == "Interreg"
    assert Organisation.objects.filter(needs_review=True).count() == 2
    assert AuditEntry.objects.filter(action="project.created", object_id=str(project.pk)).exists()

    (tmp_path / "safe-edge.txt").write_text(FACTSHEET.replace("1.250.000,00", "1.300.000,00"))
    code, out = run_import(tmp_path / "safe-edge.txt", capsys=capsys)
    assert code == 0 and "updated" in out and "same reference" in out
    assert Project.objects.count() == 1
    assert Organisation.objects.count() == 2  # matched, not created again
    assert str(Project.objects.get().total_budget) == "1300000.00"


def test_every_format_imports(tmp_path, capsys, countries):
    (tmp_path / "a.md").write_text("# Safer rivers along the Danube border\n\nAcronym: RIVER\n")
    (tmp_path / "b.html").write_text(
        "<h1>Border academies learning from one another</h1><p>Acronym: ACAD</p>"
        "<script>alert(1)</script>"
    )
    (tmp_path / "c.pdf").write_bytes(files.pdf("Document checks at airports of the region\n"))
    (tmp_path / "d.docx").write_bytes(files.word(["Mobile labs for forged document detection"]))
    (tmp_path / "e.txt").write_bytes("Return counselling in Belgrade and Sarajevo".encode("cp1250"))
    code, out = run_import(tmp_path, capsys=capsys)
    assert code == 0, out
    assert Project.objects.count() == 5


def test_a_bad_file_fails_alone_and_saves_nothing(tmp_path, capsys, countries):
    (tmp_path / "good.txt").write_text(FACTSHEET)
    (tmp_path / "scan.pdf").write_bytes(files.scanned_pdf())
    (tmp_path / "empty.txt").write_bytes(b"")
    (tmp_path / "bomb.docx").write_bytes(files.zip_bomb_word())
    (tmp_path / "no-title.txt").write_text("Total budget: EUR 100,000\n")
    code, out = run_import(tmp_path, capsys=capsys)
    assert code == 1
    assert "1 created, 0 updated, 4 failed" in out
    assert "no text layer" in out and "empty" in out and "zip bomb" in out and "no title" in out
    assert Project.objects.count() == 1


def draft(**values):
    base = {"title": "Document checks at the airports of the region", "acronym": "DOCHECK"}
    return Draft.from_extracted(base | values)


def test_same_acronym_counts_only_with_an_overlapping_period(countries):
    first = import_draft(None, draft(start_date="2020-01-01", end_date="2021-12-31"), "a").project
    overlapping = import_draft(
        None, draft(title="Other words entirely", start_date="2021-06-01", end_date="2022-05-31"),
        "b",
    )  # fmt: skip
    assert overlapping.project == first and not overlapping.created
    later = import_draft(
        None, draft(title="A later phase", start_date="2023-01-01", end_date="2024-12-31"), "c"
    )
    assert later.created and later.project != first


def test_near_identical_title_is_the_same_project(countries):
    first = import_draft(None, draft(acronym=""), "a").project
    again = import_draft(
        None, draft(acronym="", title="Document checks at airports of the region."), "b"
    )
    assert again.project == first and again.matched_by
    other = import_draft(None, draft(acronym="", title="Document checks at the seaports"), "c")
    assert other.created


def test_similar_names_of_different_offices_are_not_merged(countries):
    Organisation.objects.create(name="Burgas Regional Directorate of Ministry of Interior")
    directory = Directory()
    assert directory.match("Haskovo Regional Directorate of Ministry of Interior") is None
    assert directory.match("Burgas Regional Directorate of the Ministry of Interior") is not None
    assert directory.match("burgas regional directorate of ministry of interior") is not None


def test_a_manager_may_not_update_a_project_they_do_not_manage(project, other_manager, countries):
    with pytest.raises(ImportRefused, match="may not edit"):
        import_draft(other_manager, draft(title=project.title, acronym=""), "x")


def test_refused_draft_saves_nothing(countries):
    with pytest.raises(ImportRefused, match="before the start"):
        import_draft(None, draft(start_date="2024-01-01", end_date="2023-01-01"), "x")
    assert not Project.objects.exists() and not Organisation.objects.exists()
