"""Layout: the document's date, its lines and sentences (with offsets), the list markers that make
a sentence a list, and its quotations. Marks and patterns come from the lexicon ([cases] quotes and
markers, [document] date_patterns)."""
from __future__ import annotations

from datetime import date

from .. import regex as re
from ..documents import Document
from ..records import Span
from .analysis import Analysis, Sentence, component


@component("layout", reads=("doc",), writes=("on", "sents"))
def layout(ex, a: Analysis) -> None:
    """The document's date (its manifest's, else a byline's) and its sentences."""
    a.on = document_date(ex, a.doc)
    a.sents = sentences(ex, a.text)


def lines(text: str) -> list[tuple[int, int, str]]:
    """The non-empty lines of *text*: (start, end, line)."""
    return [(m.start(), m.end(), m.group()) for m in re.finditer(r"[^\n]+", text)]


def sentences(ex, text: str) -> list[Sentence]:
    """The lines of *text* cut into sentences at their ends (다. 요. …; outside a list line also . ? !
    before a new sentence), never inside a quotation; offsets into *text*, each with its line."""
    out = []
    for line_no, m in enumerate(re.finditer(r"[^\n]+", text)):
        line, base = m.group(), m.start()
        start = 0
        # a list item on its own line keeps its ? and ! (▲내 버스 지금 어디? 실시간 …)
        cuts = r"(?<=[다요음됨함임])\.(?=\s|$)"
        markers = ex.lex.marker_class
        if not re.match(r"\s*" + markers, line) and len(re.findall(markers, line)) < 2:
            cuts += r"|(?<=[.?!])\s+(?=[가-힣‘'\"“(▲△◇○■□◆])"
        # no cut inside a quotation (‘전국 최초! 플라즈마 …’)
        quotes = [(q.start(), q.end()) for p in ex.lex.paired_quote_patterns for q in p.finditer(line)]
        for cut in re.finditer(cuts, line):
            end = cut.end()
            if any(a < cut.start() < b for a, b in quotes):
                continue
            if line[start:end].strip():
                out.append(Sentence(base + start, base + end, line[start:end], line_no))
            start = end
        if line[start:].strip():
            out.append(Sentence(base + start, base + len(line), line[start:], line_no))
    return out


def quoted(ex, sentence: Sentence) -> list[Span]:
    """The quotations of a sentence (the lexicon's pairs of marks), their text without the marks."""
    out = []
    for pattern in ex.lex.quote_patterns:
        for m in pattern.finditer(sentence.text):
            out.append(Span(sentence.start + m.start(1), sentence.start + m.end(1), m.group(1)))
    return sorted(out, key=lambda s: s.start)


def document_date(ex, doc: Document) -> date | None:
    """The document's date: its manifest's, else the first the lexicon's patterns find in its opening."""
    for value in (doc.date, doc.text[: ex.cfg["windows"]["date_head"]]):
        for pattern in ex.cfg["document"]["date_patterns"]:
            m = re.search(pattern, value or "")
            if m:
                try:
                    return date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
                except ValueError:
                    continue
    return None


def list_markers(ex, text: str) -> list[re.Match]:
    """The list markers (▲ △ ◇ … and a hyphen) of a sentence that is a list: two or more, or one
    heading it; a hyphen counts only at its start. Empty when the sentence is no list."""
    markers = re.escape(ex.cfg["cases"]["markers"].replace("-", "")) + "\\-"
    items = list(re.finditer(f"[{markers}]\\s?", text))
    real = [m for m in items if m.group().strip() != "-" or m.start() == 0]
    if not real or (len(real) < 2 and not re.match(f"\\s*[{markers}]", text)):
        return []
    return real
