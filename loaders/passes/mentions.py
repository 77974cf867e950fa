"""Mentions: the organisations a document names (``loaders.passes.orgs``), resolved, and the body it
is about; award grades (with the words that make one head what follows), the contest, technology
and beneficiary-group words. Grades, the contest and technologies are read where a later pass asks
for them, with the lexicon's patterns ([awards], [technology]) and the SKOS vocabularies."""
from __future__ import annotations

from .. import regex as re
from ..documents import Document
from ..records import Span
from .analysis import Analysis, Sentence, component
from .layout import document_date, quoted
from .orgs import find_orgs, fullest_forms, main_agency, resolve


@component("mentions", reads=("on",), writes=("orgs", "fullest", "main"))
def mentions(ex, a: Analysis) -> None:
    """Organisations named in the text, each resolved to one gazetteer body where it can be; the
    fullest form each body is written in; the body the document is about."""
    a.orgs = find_orgs(ex, a.text, a.on)
    resolve(ex, a.orgs)
    a.fullest = fullest_forms(a.orgs)
    a.main = main_agency(ex, a.orgs, a.text, a.doc, a.on)


def grade_in(ex, text: str, offset: int) -> tuple[str | None, Span | None]:
    """The last grade word of *text* (which starts at *offset*) and its span."""
    found = list(ex.lex.grade_pattern.finditer(text))
    if not found:
        return None, None
    m = found[-1]
    word = re.sub(r"(?:상|사례)$", "", m.group()) if m.group() not in ex.lex.grade_words else m.group()
    if word not in ex.lex.grade_words:
        word = m.group()
    return word, Span(offset + m.start(), offset + m.end(), m.group())


def heads(ex, s: Sentence, m: re.Match) -> bool:
    """The grade word *m* of *s* heads what follows it (최우수상에는 …, 장려상은 …)."""
    return bool(re.match(ex.cfg["awards"]["grade_heads"], s.text[m.end() :]))


def grade_mentions(ex, s: Sentence) -> list[re.Match]:
    """The grade words of a sentence outside its quotations; the generic 우수사례 only as a heading."""
    inside = [(x.start - 1, x.end + 1) for x in quoted(ex, s)]
    return [
        m
        for m in ex.lex.grade_pattern.finditer(s.text)
        if (heads(ex, s, m) or not re.fullmatch(ex.cfg["awards"]["generic_phrase"], m.group()))
        and not any(a <= s.start + m.start() < b for a, b in inside)
    ]


def grade_of_quote(ex, s: Sentence, q: Span) -> tuple[str | None, Span | None]:
    """The grade a sentence gives one of its quoted titles: the first grade word after it unless
    that word heads what follows (우수상에는 ‘…’), else the last heading grade before it."""
    graded = grade_mentions(ex, s)
    after = [m for m in graded if s.start + m.start() >= q.end]
    if after and not heads(ex, s, after[0]):
        chosen = after[0]
    else:
        before = [m for m in graded if s.start + m.end() <= q.start and heads(ex, s, m)]
        chosen = before[-1] if before else None
    if chosen is None:
        return None, None
    return grade_in(ex, chosen.group(), s.start + chosen.start())


def contest(ex, doc: Document, sents: list[Sentence]) -> tuple[str, Span] | None:
    """The contest the document names (its full name with a year, else a short year)."""
    return contest_by(ex, doc, sents, ex.cfg["awards"]["contest_pattern"]) or contest_by(
        ex, doc, sents, ex.cfg["awards"]["contest_pattern_short_year"]
    )


def unyeared_contest(ex, doc: Document, sents: list[Sentence]) -> tuple[str, Span] | None:
    """A contest named without a year, quoted or in the document's opening: the name of the prizes
    the cases received, where no dated name is found (it says neither the year nor who runs it)."""
    return contest_by(ex, doc, sents, ex.cfg["awards"]["contest_pattern_unyeared"], within=ex.cfg["windows"]["opening"])


def contest_by(
    ex, doc: Document, sents: list[Sentence], regex: str, within: int | None = None
) -> tuple[str, Span] | None:
    """The first contest *regex* finds: a quoted contest name first (not a quoted title that goes on
    past it), else one in running text (in its first *within* characters, if given), neither told
    aside as an earlier prize."""
    pattern = re.compile(regex)
    aside = re.compile(ex.cfg["awards"]["contest_aside"])
    dated = document_date(ex, doc) is not None

    def past(at: int) -> bool:
        """'한편, … 2023년 … 평가에서 … 선정된 바 있다': an earlier prize told aside, passed over where the
        document's own date can give the year instead."""
        s = next((x for x in sents if x.start <= at < x.end), None)
        return dated and s is not None and aside.search(s.text) is not None

    shortest, longest = ex.cfg["windows"]["contest_quote"]
    titles = []  # quotes that go on past the contest word name a practice (‘… 2025년 … 평가 최고 등급 달성’)
    for q in ex.lex.quote_patterns:
        for m in q.finditer(doc.text):
            hit = pattern.search(m.group(1)) if shortest <= len(m.group(1)) <= longest else None
            words = re.finditer(ex.cfg["awards"]["contest_words"], m.group(1))
            last = max((k.end() for k in words if hit and k.start() >= hit.start()), default=0)
            tail = m.group(1)[last:].strip()
            if hit and len(tail) > ex.cfg["windows"]["contest_title_tail"] and not tail.startswith(("(", "（")):
                titles.append((m.start(1), m.end(1)))
            elif hit and not past(m.start(1)):
                return m.group(1), Span(m.start(1), m.end(1), m.group(1))
    for m in pattern.finditer(doc.text, 0, len(doc.text) if within is None else within):
        if not past(m.start()) and not any(a <= m.start() < b for a, b in titles):
            return m.group(), Span(m.start(), m.end(), m.group())
    return None


def technology_mentions(ex, text: str) -> list[tuple[str, Span, set[str]]]:
    """Every technology word of the document, with what the rules say of it wherever it stands:
    negated (앱 설치 없이), or in a sentence about the contest rather than the practice."""
    tcfg = ex.cfg["technology"]
    out = []
    for code, pattern in ex.lex.technology_patterns:
        for m in pattern.finditer(text):
            if not m.group():
                continue
            flags = set()
            if re.match(tcfg["negated_after"], text[m.end() : m.end() + ex.cfg["windows"]["technology_negation"]]):
                flags.add("negated")
            head = max(text.rfind(c, 0, m.start()) for c in ".\n") + 1
            tails = [i for i in (text.find(c, m.end()) for c in ".\n") if i >= 0]
            if re.search(tcfg["meta_sentence"], text[head : min(tails, default=len(text))]):
                flags.add("meta_sentence")
            out.append((code, Span(m.start(), m.end(), m.group()), flags))
    return out


def fact_mentions(ex, text: str) -> tuple[list, list[Span]]:
    """The document's technology mentions (:func:`technology_mentions`) and beneficiary-group
    mentions, read once for all its cases."""
    return technology_mentions(ex, text), [
        Span(m.start(), m.end(), m.group()) for m in ex.lex.beneficiary_labels.finditer(text)
    ]


def programme_technologies(ex, text: str) -> dict[str, Span]:
    """Technologies a programme of the document is named after (2020년도 블록체인 공공선도 시범사업)."""
    win = ex.cfg["windows"]
    out: dict[str, Span] = {}
    programme = ex.cfg["technology"]["programme"]
    for code, pattern in ex.lex.technology_patterns:
        for m in pattern.finditer(text):
            after = text[m.end() : m.end() + win["technology_programme"]]
            if m.group() and re.match(f"[^.,\n]{{0,12}}?{programme}", after):
                out.setdefault(code, Span(m.start(), m.end(), m.group()))
                break
    return out
