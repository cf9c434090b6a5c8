"""A factsheet's text with each extracted field marked where it was found.

Every character of the document is escaped here, in Python, before it meets the page: an HTML
factsheet full of scripts shows as text. Spans may nest (a country inside an organisation's
name) or cross; nested spans become nested ``<mark>`` elements, and where two spans cross, the
inner one is closed and reopened around the other's end, so the markup is always well formed.
The first element of each span carries its id (``hl-title-0``) for the form's links.
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
    """The well-formed spans of the given fields, clipped to the text."""
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
    return spans


def highlight(text: str, provenance: dict, fields: dict) -> tuple[SafeString, dict[str, str]]:
    """Escaped text with ``<mark>`` around found values, and each field's first anchor.

    ``fields`` maps provenance keys to their labels, in the order a reader expects them; keys
    not listed are left unmarked.
    """
    order = {name: i for i, name in enumerate(fields)}
    # Outer spans open first: earlier start, then longer, then in the form's order.
    spans = sorted(
        spans_of(text, provenance, fields), key=lambda s: (s.start, -s.end, order[s.field])
    )
    first = {}
    for span in spans:
        first.setdefault(span.field, span.anchor)
    cuts = sorted({0, len(text), *(s.start for s in spans), *(s.end for s in spans)})

    def opening(span: Span, continued: bool) -> SafeString:
        return format_html(
            '<mark class="hl hl-{}"{} title="{}" aria-describedby="legend-{}">',
            span.field,
            "" if continued else format_html(' id="{}"', span.anchor),
            fields[span.field],
            span.field,
        )

    parts, stack, next_span = [], [], 0
    for left, right in zip(cuts, cuts[1:], strict=False):
        # Close what ends here; spans opened inside it that go on are closed and reopened.
        ending = [depth for depth, span in enumerate(stack) if span.end == left]
        if ending:
            reopen = [span for span in stack[ending[0] :] if span.end > left]
            parts.extend("</mark>" for _span in stack[ending[0] :])
            stack = stack[: ending[0]] + reopen
            parts.extend(opening(span, continued=True) for span in reopen)
        while next_span < len(spans) and spans[next_span].start == left:
            stack.append(spans[next_span])
            parts.append(opening(spans[next_span], continued=False))
            next_span += 1
        parts.append(escape(text[left:right]))
    parts.extend("</mark>" for _span in stack)
    return mark_safe("".join(parts)), first  # noqa: S308 - every piece is escaped above
