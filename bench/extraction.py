"""Score the factsheet extractor against a labelled corpus, and time it.

    .venv/bin/python bench/extraction.py corpus [--json OUT] [--repeat-seconds S] [-v]

Every factsheet in the directory (.txt .md .html .htm .pdf .docx) that has a label file next to
it (same stem, ``.json``, the contract output of docs EXTRACTION.md without provenance) is run
through ``liaison.ingest.extract.extract_file`` and compared with its label, field by field.

Why the scoring is like this:

- Precision, recall and F1 are counted per field over the whole corpus (micro counts), because
  the fields fail in different ways: a missed budget and a wrong budget are different bugs, and a
  single figure for the whole record would hide which field is weak. The macro average over the
  fields then gives every field the same weight, so that the many country and activity items do
  not drown the one title per file.
- A scalar field (title, acronym, reference, dates, duration, budget) is one item. A wrong value
  counts twice, as a false positive (something false was asserted) and as a false negative (the
  right value was not found): a wrong answer is worse than no answer, which is what we want from
  an extractor whose output people will trust. Both null counts nothing.
- Titles, acronyms and references are compared after light normalisation (case, Unicode NFKC,
  surrounding quotes and punctuation, whitespace, the different dashes), since those differences
  are typography, not extraction errors. Budgets compare the amount as a number and the currency.
- List fields (funding sources, countries, activity types) are sets: each item is found or not.
- Organisations are (name, role) pairs. Names are written many ways, so a predicted name matches
  a label name of the same role when equal after normalisation or close enough (difflib ratio at
  least 0.85); each label pair can be matched once. The role must be right.

Speed is measured on one core (the process is pinned to one CPU where the OS allows it): all
files of a kind are extracted again and again until at least ``--repeat-seconds`` have passed.
Targets: 50 text factsheets (txt, md, html, docx) per second and 10 PDF factsheets per second.

Exit status 0, whatever the scores; 2 if the corpus directory is missing or holds no labelled
factsheet.
"""

import argparse
import difflib
import json
import os
import sys
import time
import traceback
import unicodedata
from decimal import Decimal, InvalidOperation
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
FACTSHEET_SUFFIXES = {".txt", ".md", ".html", ".htm", ".pdf", ".docx"}
TEXT_SUFFIXES = {".txt", ".md", ".html", ".htm", ".docx"}

SCALAR_FIELDS = [
    "title",
    "acronym",
    "reference",
    "start_date",
    "end_date",
    "duration_months",
    "budget",
]
LIST_FIELDS = ["funding_sources", "countries", "activity_types"]
FIELDS = SCALAR_FIELDS + LIST_FIELDS + ["organisations"]
TEXT_FIELDS = {"title", "acronym", "reference"}
NAME_MATCH_RATIO = 0.85

# kind name, suffixes, target in files per second
SPEED_KINDS = [
    ("text", TEXT_SUFFIXES, 50.0),
    ("docx", {".docx"}, 50.0),
    ("pdf", {".pdf"}, 10.0),
]

DASHES = dict.fromkeys(map(ord, "\u2010\u2011\u2012\u2013\u2014\u2015\u2212\ufe58\ufe63"), "-")


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("corpus", type=Path, help="directory of factsheets and label files")
    parser.add_argument("--json", type=Path, metavar="OUT", help="write all figures to OUT")
    parser.add_argument(
        "--repeat-seconds",
        type=float,
        default=2.0,
        metavar="S",
        help="time each kind of file for at least S seconds (default 2)",
    )
    parser.add_argument(
        "-v", "--verbose", action="store_true", help="list each file's wrong fields"
    )
    return parser.parse_args(argv)


def load_extractor():
    """Import ``extract_file``, with Django set up in case the package needs its settings."""
    try:
        import liaison  # noqa: F401
    except ImportError:
        sys.path.insert(0, str(REPO / "src"))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "liaison.settings")
    import django

    django.setup()
    from liaison.ingest.extract import extract_file

    return extract_file


# --- normalisation -------------------------------------------------------------------------


def _is_edge_noise(char: str) -> bool:
    return char.isspace() or unicodedata.category(char)[0] in "PS"


def norm_text(value) -> str:
    """Casefold, NFKC, one kind of dash, single spaces, no quotes or punctuation at the ends."""
    text = unicodedata.normalize("NFKC", str(value)).casefold().translate(DASHES)
    text = " ".join(text.split())
    start, end = 0, len(text)
    while start < end and _is_edge_noise(text[start]):
        start += 1
    while end > start and _is_edge_noise(text[end - 1]):
        end -= 1
    return text[start:end]


def is_empty(value) -> bool:
    return value is None or (isinstance(value, str | dict | list) and not value)


def norm_scalar(field: str, value):
    """A comparable form of a scalar value; None when the value is missing."""
    if is_empty(value):
        return None
    if field in TEXT_FIELDS:
        return norm_text(value) or None
    if field == "duration_months":
        try:
            return int(str(value).strip())
        except ValueError:
            return f"unreadable: {value!r}"
    if field == "budget":
        if not isinstance(value, dict):
            return f"unreadable: {value!r}"
        try:
            amount = Decimal(str(value.get("amount")).replace(",", "").strip())
        except InvalidOperation:
            return f"unreadable: {value!r}"
        return (amount, str(value.get("currency") or "").strip().upper())
    if hasattr(value, "isoformat"):  # a date object instead of the contract's string
        return value.isoformat()
    return str(value).strip()


def norm_item(field: str, value) -> str:
    if field == "countries":
        return str(value).strip().upper()
    return norm_text(value)


def org_pairs(value) -> list[tuple[str, str, dict]]:
    """(normalised name, normalised role, original item) for each well-formed organisation."""
    pairs, seen = [], set()
    for item in value or []:
        if not isinstance(item, dict) or is_empty(item.get("name")):
            continue
        key = (norm_text(item["name"]), norm_text(item.get("role") or ""))
        if key not in seen:  # a repeated prediction is not a second hit
            seen.add(key)
            pairs.append((*key, item))
    return pairs


# --- scoring -------------------------------------------------------------------------------


def score_scalar(field, expected, got):
    """(tp, fp, fn, mistake or None) for one scalar value."""
    want, have = norm_scalar(field, expected), norm_scalar(field, got)
    if have is None and want is None:
        return 0, 0, 0, None
    if have is not None and have == want:
        return 1, 0, 0, None
    fp = 1 if have is not None else 0
    fn = 1 if want is not None else 0
    return 0, fp, fn, {"expected": expected, "got": got}


def score_list(field, expected, got):
    want = {norm_item(field, item): item for item in expected or []}
    have = {norm_item(field, item): item for item in got or []} if isinstance(got, list) else {}
    tp = len(want.keys() & have.keys())
    missing = sorted(str(want[key]) for key in want.keys() - have.keys())
    extra = sorted(str(have[key]) for key in have.keys() - want.keys())
    mistake = {"missing": missing, "extra": extra} if missing or extra else None
    return tp, len(extra), len(missing), mistake


def score_organisations(expected, got):
    """Match (name, role) pairs: same role, name equal or similar; each label used once."""
    want = org_pairs(expected)
    have = org_pairs(got if isinstance(got, list) else [])
    candidates = []
    for i, (p_name, p_role, _) in enumerate(have):
        for j, (l_name, l_role, _) in enumerate(want):
            if p_role != l_role:
                continue
            ratio = difflib.SequenceMatcher(None, p_name, l_name).ratio()
            if ratio >= NAME_MATCH_RATIO:
                candidates.append((ratio, i, j))
    matched_have, matched_want = set(), set()
    for _, i, j in sorted(candidates, key=lambda c: (-c[0], c[1], c[2])):  # best pairs first
        if i not in matched_have and j not in matched_want:
            matched_have.add(i)
            matched_want.add(j)
    missing = [want[j][2] for j in range(len(want)) if j not in matched_want]
    extra = [have[i][2] for i in range(len(have)) if i not in matched_have]
    mistake = {"missing": missing, "extra": extra} if missing or extra else None
    return len(matched_have), len(extra), len(missing), mistake


def score_file(label: dict, prediction: dict):
    """Counts per field and the mistakes, for one factsheet."""
    counts, mistakes = {}, {}
    for field in FIELDS:
        expected, got = label.get(field), prediction.get(field)
        if field in SCALAR_FIELDS:
            tp, fp, fn, mistake = score_scalar(field, expected, got)
        elif field in LIST_FIELDS:
            tp, fp, fn, mistake = score_list(field, expected, got)
        else:
            tp, fp, fn, mistake = score_organisations(expected, got)
        counts[field] = (tp, fp, fn)
        if mistake:
            mistakes[field] = mistake
    return counts, mistakes


def ratios(tp: int, fp: int, fn: int) -> tuple[float, float, float]:
    """Precision, recall, F1; a field with nothing to find and nothing found scores 1."""
    if tp + fp + fn == 0:
        return 1.0, 1.0, 1.0
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return precision, recall, f1


# --- corpus --------------------------------------------------------------------------------


def find_factsheets(corpus: Path) -> list[Path]:
    return sorted(
        path
        for path in corpus.iterdir()
        if path.is_file() and path.suffix.lower() in FACTSHEET_SUFFIXES
    )


def load_label(path: Path) -> tuple[dict | None, str | None]:
    try:
        label = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as error:
        return None, f"{path.name}: unreadable label ({error})"
    if not isinstance(label, dict):
        return None, f"{path.name}: the label is not a JSON object"
    missing = [field for field in FIELDS if field not in label]
    if missing:
        return label, f"{path.name}: label lacks {', '.join(missing)} (taken as empty)"
    return label, None


def run_extractor(extract_file, path: Path) -> tuple[dict, str | None]:
    try:
        result = extract_file(path)
    except Exception as error:  # one broken file must not stop the benchmark
        last = traceback.format_exception_only(type(error), error)[-1].strip()
        return {}, f"{path.name}: extract_file raised {last}"
    if not isinstance(result, dict):
        return {}, f"{path.name}: extract_file returned {type(result).__name__}, not a dict"
    return result, None


# --- speed ---------------------------------------------------------------------------------


def pin_to_one_core() -> int | None:
    """Keep this process on a single CPU, so that the rate is a one-core rate."""
    if not hasattr(os, "sched_setaffinity"):
        return None
    cpu = min(os.sched_getaffinity(0))
    os.sched_setaffinity(0, {cpu})
    return cpu


def measure_speed(extract_file, files: list[Path], seconds: float) -> tuple[dict, list[str]]:
    """Extract all ``files`` in rounds until ``seconds`` have passed; files per second.

    A file that fails in the untimed first round is left out of the timing (and reported).
    """
    problems, usable = [], []
    for path in files:  # untimed round: imports, caches, first-call costs
        _, problem = run_extractor(extract_file, path)
        if problem:
            problems.append(f"left out of the timing: {problem}")
        else:
            usable.append(path)
    if not usable:
        return {"files": 0, "extractions": 0, "seconds": 0.0, "per_second": None}, problems
    extractions = 0
    started = time.perf_counter()
    while usable:
        for path in list(usable):
            try:
                extract_file(path)
            except Exception as error:  # e.g. the file was removed while we were timing
                usable.remove(path)
                problems.append(f"left out of the timing: {path.name}: {error}")
                continue
            extractions += 1
        elapsed = time.perf_counter() - started
        if elapsed >= seconds:
            break
    if not usable:
        return {"files": 0, "extractions": 0, "seconds": 0.0, "per_second": None}, problems
    row = {
        "files": len(usable),
        "extractions": extractions,
        "seconds": round(elapsed, 3),
        "per_second": round(extractions / elapsed, 1) if elapsed else None,
    }
    return row, problems


# --- report --------------------------------------------------------------------------------


def print_scores(fields: dict, macro_f1: float, scored: int) -> None:
    print(f"Scored {scored} labelled factsheets.\n")
    print(f"{'field':<17} {'P':>6} {'R':>6} {'F1':>6} {'TP':>5} {'FP':>5} {'FN':>5}")
    for field, row in fields.items():
        print(
            f"{field:<17} {row['precision']:6.3f} {row['recall']:6.3f} {row['f1']:6.3f} "
            f"{row['tp']:5d} {row['fp']:5d} {row['fn']:5d}"
        )
    print(f"\nmacro F1 over {len(fields)} fields: {macro_f1:.3f}")


def print_mistakes(per_file: dict) -> None:
    print("\nMistakes per file:")
    if not per_file:
        print("  none")
    for name, mistakes in per_file.items():
        print(f"\n{name}")
        for field, mistake in mistakes.items():
            if "got" in mistake:
                print(f"  {field}: expected {mistake['expected']!r}, got {mistake['got']!r}")
                continue
            for key in ("missing", "extra"):
                if mistake[key]:
                    items = "; ".join(
                        f"{item['name']} ({item.get('role')})" if isinstance(item, dict) else item
                        for item in mistake[key]
                    )
                    print(f"  {field} {key}: {items}")


def print_speed(speed: dict, seconds: float, cpu: int | None) -> None:
    where = f"pinned to CPU {cpu}" if cpu is not None else "not pinned"
    print(f"\nSpeed (one process, {where}, at least {seconds:g} s per kind):")
    print(f"{'kind':<6} {'files':>5} {'extractions':>11} {'seconds':>8} {'files/s':>9}  target")
    for kind, row in speed.items():
        if not row["files"]:
            print(f"{kind:<6} {0:>5} {'-':>11} {'-':>8} {'-':>9}  >= {row['target']:g}/s  n/a")
            continue
        verdict = "PASS" if row["pass"] else "FAIL"
        print(
            f"{kind:<6} {row['files']:>5} {row['extractions']:>11} {row['seconds']:>8.2f} "
            f"{row['per_second']:>9.1f}  >= {row['target']:g}/s  {verdict}"
        )


def main(argv=None) -> int:
    args = parse_args(argv)
    corpus = args.corpus
    if not corpus.is_dir():
        print(f"error: corpus directory {corpus} does not exist", file=sys.stderr)
        return 2
    factsheets = find_factsheets(corpus)
    labelled = [path for path in factsheets if path.with_suffix(".json").is_file()]
    if not labelled:
        print(f"error: no labelled factsheets in {corpus}", file=sys.stderr)
        return 2

    extract_file = load_extractor()
    problems: list[str] = []
    totals = {field: [0, 0, 0] for field in FIELDS}
    per_file: dict[str, dict] = {}
    failed: set[Path] = set()
    scored = 0
    for path in labelled:
        label, problem = load_label(path.with_suffix(".json"))
        if problem:
            problems.append(problem)
        if label is None:
            continue
        prediction, problem = run_extractor(extract_file, path)
        if problem:
            problems.append(problem)
            failed.add(path)
        counts, mistakes = score_file(label, prediction)
        for field, (tp, fp, fn) in counts.items():
            totals[field][0] += tp
            totals[field][1] += fp
            totals[field][2] += fn
        if mistakes:
            per_file[path.name] = mistakes
        scored += 1

    fields = {}
    for field, (tp, fp, fn) in totals.items():
        precision, recall, f1 = ratios(tp, fp, fn)
        fields[field] = {
            "precision": round(precision, 4),
            "recall": round(recall, 4),
            "f1": round(f1, 4),
            "tp": tp,
            "fp": fp,
            "fn": fn,
        }
    macro_f1 = sum(row["f1"] for row in fields.values()) / len(fields)

    print_scores(fields, macro_f1, scored)
    if args.verbose:
        print_mistakes(per_file)

    cpu = pin_to_one_core()
    speed = {}
    timeable = [path for path in factsheets if path not in failed]
    for kind, suffixes, target in SPEED_KINDS:
        files = [path for path in timeable if path.suffix.lower() in suffixes]
        row, timing_problems = measure_speed(extract_file, files, args.repeat_seconds)
        problems.extend(timing_problems)
        row["target"] = target
        row["pass"] = None if row["per_second"] is None else row["per_second"] >= target
        speed[kind] = row
    print_speed(speed, args.repeat_seconds, cpu)

    if problems:
        print(f"\n{len(problems)} problem(s):")
        for problem in problems:
            print(f"  {problem}")

    if args.json:
        report = {
            "corpus": str(corpus),
            "files_scored": scored,
            "fields": fields,
            "macro_f1": round(macro_f1, 4),
            "speed": speed,
            "repeat_seconds": args.repeat_seconds,
            "mistakes": per_file,
            "problems": problems,
        }
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(
            json.dumps(report, ensure_ascii=False, indent=2, default=str) + "\n", encoding="utf-8"
        )
        print(f"\nWrote {args.json}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
