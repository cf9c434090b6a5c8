"""Time reading one very large factsheet, without and with the ingest limits (issue 13, item 10).

    .venv/bin/python bench/ingest_large.py [--mb 19] [--skip-before] [--json OUT]

Builds a plain-text "factsheet" of the given size from the corpus's text files, then measures:

- before: what the worker used to do with it, read the whole file and run the extractor over
  all of its text (``read_bytes`` + ``extract_text``, no cap), and the size of the review
  page's highlighted text for all of it;
- after: what the worker does now (``tasks.read_and_extract`` under the configured
  ``LIAISON_INGEST_MAX_CHARS`` and ``LIAISON_INGEST_MAX_SECONDS``), the outcome it records,
  and the highlighted text the review page shows (``LIAISON_INGEST_REVIEW_CHARS``).

Run it on an otherwise idle machine; the "before" case alone takes minutes at 19 MB. It is a
script, not a test: timings vary with the machine and never belong in the test suite.
"""

import argparse
import json
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "liaison.settings")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402

from liaison.ingest.extract import extract_text  # noqa: E402
from liaison.ingest.highlight import highlight  # noqa: E402
from liaison.ingest.readers import TooLong, read_bytes  # noqa: E402
from liaison.ingest.tasks import read_and_extract  # noqa: E402
from liaison.ingest.views import HIGHLIGHTED  # noqa: E402


def big_text(megabytes: float) -> bytes:
    """The corpus's text factsheets, one after another, repeated up to the size."""
    seed = "\n\n".join(
        path.read_bytes().decode("utf-8", errors="ignore")
        for path in sorted((ROOT / "corpus").glob("*.txt"))
    ).encode()
    size = int(megabytes * 1024 * 1024)
    return (seed * (size // len(seed) + 1))[:size]


def before(data: bytes) -> dict:
    started = time.perf_counter()
    document = read_bytes(data, "big.txt", max_bytes=len(data) + 1)
    read = time.perf_counter() - started
    extracted = extract_text(document.text, document.heading)
    total = time.perf_counter() - started
    page, _first = highlight(document.text, extracted.get("provenance"), HIGHLIGHTED)
    return {
        "seconds_read": round(read, 2),
        "seconds_total": round(total, 2),
        "characters": len(document.text),
        "review_text_bytes": len(page.encode()),
    }


def after(data: bytes) -> dict:
    started = time.perf_counter()
    try:
        text, extracted = read_and_extract(data, "big.txt")
        outcome = "ready"
    except TooLong as error:
        text, extracted, outcome = "", {}, str(error)
    seconds = time.perf_counter() - started
    shown = text[: settings.INGEST_REVIEW_CHARS]
    page, _first = highlight(shown, extracted.get("provenance"), HIGHLIGHTED)
    return {
        "seconds_total": round(seconds, 2),
        "outcome": outcome,
        "review_text_bytes": len(page.encode()),
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--mb", type=float, default=19.0, help="size of the file (default 19)")
    parser.add_argument("--skip-before", action="store_true", help="measure the limits only")
    parser.add_argument("--json", help="write the figures to this file")
    args = parser.parse_args()
    settings.INGEST_MAX_BYTES = max(settings.INGEST_MAX_BYTES, int(args.mb * 1024 * 1024) + 1)
    data = big_text(args.mb)
    print(
        f"file: {len(data) / 1048576:.1f} MB of text; limits: "
        f"{settings.INGEST_MAX_CHARS:,} characters, {settings.INGEST_MAX_SECONDS:g} s, "
        f"review shows {settings.INGEST_REVIEW_CHARS:,} characters",
        flush=True,
    )
    results = {"megabytes": args.mb}
    results["after"] = after(data)
    print("after: ", results["after"], flush=True)
    # The capped file as a real factsheet would be: under the cap, read in full.
    small = data[: settings.INGEST_MAX_CHARS - 1000]
    results["after_largest_accepted"] = after(small)
    print("after, largest text accepted: ", results["after_largest_accepted"], flush=True)
    if not args.skip_before:
        results["before"] = before(data)
        print("before:", results["before"], flush=True)
    if args.json:
        Path(args.json).write_text(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
