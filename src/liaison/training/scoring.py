"""Scoring of quiz answers, kept free of the database so the rules can be read and tested alone.

Points are ``Decimal`` so that a result shown as 70.0% is exactly the one compared with the pass
mark, without float rounding deciding who passes.
"""

import unicodedata
from decimal import ROUND_DOWN, ROUND_HALF_UP, Decimal

ZERO = Decimal("0")


def normalise(text: str) -> str:
    """A short answer as compared: without case, accents or extra spaces.

    Accents are dropped because officers across the region type on keyboards that lack some
    letters (č, ş, ğ…); "Schengen Borders Code" and "schengen  borders code" are the same answer.
    """
    decomposed = unicodedata.normalize("NFKD", str(text or ""))
    bare = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(bare.casefold().split())


def score_short(accepted: list[str], answer: str, points) -> Decimal:
    """Full points when the answer matches one of the accepted answers, else nothing."""
    given = normalise(answer)
    if given and any(given == normalise(a) for a in accepted):
        return Decimal(points)
    return ZERO


def score_single(correct_ids, chosen_ids, points) -> Decimal:
    """Single choice and true/false: full points when exactly the one chosen choice is right."""
    chosen = set(chosen_ids)
    if len(chosen) == 1 and chosen <= set(correct_ids):
        return Decimal(points)
    return ZERO


def score_multiple(correct_ids, chosen_ids, points, *, partial: bool = False) -> Decimal:
    """Multiple choice.

    The quizzes use all-or-nothing (``partial=False``): the points only when the chosen set is
    exactly the set of right choices. Ticking every box must not earn anything, and a learner
    reading "2 of 3 points" on a question about which documents a border guard checks would
    take a half-right answer for a safe one.

    With ``partial=True`` a share is given: (right chosen − wrong chosen) / number of right
    choices, never below zero, so guessing everything still scores nothing.
    """
    correct, chosen = set(correct_ids), set(chosen_ids)
    if not correct:
        return ZERO
    if not partial:
        return Decimal(points) if chosen == correct else ZERO
    right = len(chosen & correct)
    wrong = len(chosen - correct)
    share = max(Decimal(0), Decimal(right - wrong) / Decimal(len(correct)))
    return (Decimal(points) * share).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def percent(score, max_score) -> Decimal:
    """The result as shown, to one decimal place, rounded down: 69.96% shows as 69.9%, so the
    figure a learner reads never looks like a pass that ``passed`` refuses."""
    if not max_score:
        return ZERO
    value = Decimal(score) * 100 / Decimal(max_score)
    return value.quantize(Decimal("0.1"), rounding=ROUND_DOWN)


def passed(score, max_score, pass_mark) -> bool:
    """Reaching the pass mark exactly passes. Compared on the exact share, not on the rounded
    percentage."""
    if not max_score:
        return False
    return Decimal(score) * 100 >= Decimal(pass_mark) * Decimal(max_score)
