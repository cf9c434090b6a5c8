"""A factsheet's text with each extracted field marked where it was found.

Every character of the document is escaped here, in Python, before it meets the page: an HTML
factsheet full of scripts shows as text. Spans may overlap or nest (a country inside an
organisation's name), so the text is cut at every span boundary and each piece is wrapped in at
most one ``<mark>`` naming all the fields that cover it; the markup can never interleave.
"""

from dataclasses import dataclass

from django.utils.html import escape, format_html
from django.utils.safestring import SafeString, mark_safe


@dataclass(frozen=True)
class Span:
    start: int
    end: int
    field: str
    index: int

    @property
    def anchor(self) -> str:
        return f"hl-{self.field}-{self.index}"


def spans_of(text: str, provenance: dict, fields: dict) -> list[Span]:
    """The well-formed spans of the given fields, clipped to the text, in document order."""
    spans = []
    for name in fields:
        for index, pair in enumerate((provenance or {}).get(name) or []):
            try:
                start, end = (int(value) for value in pair)
            except (TypeError, ValueError):
                continue
            start, end = max(start, 0), min(end, len(text))
            if start < end:
                spans.append(Span(start, end, name, index))
    return sorted(spans, key=lambda s: (s.start, -s.end))


def highlight(text: str, provenance: dict, fields: dict) -> tuple[SafeString, dict[str, str]]:
    """Escaped text with ``<mark>`` around found values, and each field's first anchor.

    ``fields`` maps provenance keys to their labels, in the order a reader expects them; keys
    not listed are left unmarked.
    """
    spans = spans_of(text, provenance, fields)
    first = {}
    for span in spans:
        first.setdefault(span.field, span.anchor)
    cuts = sorted({0, len(text), *(s.start for s in spans), *(s.end for s in spans)})
    order = list(fields)
    parts, active, next_span = [], [], 0
    for left, right in zip(cuts, cuts[1:], strict=False):
        active = [s for s in active if s.end > left]
        while next_span < len(spans) and spans[next_span].start == left:
            active.append(spans[next_span])
            next_span += 1
        piece = escape(text[left:right])
        if not active:
            parts.append(piece)
            continue
        names = sorted({s.field for s in active}, key=order.index)
        anchors = [s.anchor for s in active if s.start == left]
        # One element carries one id; spans that start at the same place get empty anchors.
        for extra in anchors[1:]:
            parts.append(format_html('<span class="hl-anchor" id="{}"></span>', extra))
        parts.append(
            format_html(
                '<mark class="hl {}"{} title="{}" aria-describedby="{}">{}</mark>',
                " ".join(f"hl-{name}" for name in names),
                format_html(' id="{}"', anchors[0]) if anchors else "",
                ", ".join(str(fields[name]) for name in names),
                " ".join(f"legend-{name}" for name in names),
                piece,
            )
        )
    return mark_safe("".join(parts)), first  # noqa: S308 - every piece is escaped above
