"""Awards: the contest a document names and who runs it, the grades its cases received in the
prize names the document uses, the tiers that rank (최우수 above 우수 above 장려), and each case's
award (contest, year, half year, round, rank, grade). Words and patterns come from the lexicon
([awards], [document]) and the award-grade vocabulary."""
from __future__ import annotations

from datetime import date

from rdflib.namespace import RDF

from adminkg.namespaces import AKG

from .. import regex as re
from ..documents import Document
from ..records import AwardRecord, OrgRef, Span
from .analysis import Analysis, Candidate, Sentence, component
from .mentions import contest, grade_in, grade_mentions, heads, unyeared_contest
from .orgs import is_agency


@component("awards", reads=("cands", "sents", "orgs", "main"),
           writes=("contest", "contest_unyeared", "organizer", "tiers", "cands"))
def awards_pass(ex, a: Analysis) -> None:
    """The contest and its organiser (a body just before its name, or the document's subject when
    its opening says it runs one; a central body's own cases then give way to the other bodies');
    each case's grade by the name the document equates with a tier; grades the text counts but does
    not give; the tiers that rank."""
    win = ex.cfg["windows"]
    text, sents, main, cands = a.text, a.sents, a.main, a.cands
    named = contest(ex, a.doc, sents)
    organizer = None
    if named:
        before = [
            o
            for o in a.orgs
            if o.span.end <= named[1].start
            and named[1].start - o.span.end < win["organiser_before_contest"]
            and is_agency(ex, o)
        ]
        organizer = before[-1] if before else None
    if organizer is None and main is not None and main.span is not None:
        # "미래창조과학부가 … 경진대회를 개최했다": the document's subject runs the contest
        first = next((x for x in sents if x.start <= main.span.start < x.end), None)
        if first is not None and re.search(ex.cfg["awards"]["runs_contest"], first.text):
            organizer = main
    if organizer is not None and organizer.iri is not None and main is not None and organizer.iri == main.iri:
        # a central body writing about the contest it runs: the cases are the other bodies'
        central = (organizer.iri, RDF.type, AKG.CentralGovernmentBody) in ex.lex.gaz_graph
        others = [c for c in cands if c.agency is not None and c.agency.iri != main.iri]
        if central and others:
            cands = [c for c in cands if c.agency is None or c.agency.iri != main.iri]
    if len(cands) == 1 and cands[0].grade is None:
        # a document about one case: the prize its opening says was received (…에서 최우수상을 수상했다)
        lone_prize(ex, cands[0], sents)
    aliases = grade_aliases(ex, text)
    for cand in cands:
        if cand.grade and ex.lex.canonical_grade(cand.grade) in aliases:
            cand.grade = aliases[ex.lex.canonical_grade(cand.grade)]
    fill_counted(ex, text, cands)
    tiers = tiers_in(ex, text, cands, sents)
    top = ex.cfg["awards"]["top_tiers"]
    best = re.compile(ex.cfg["awards"]["best_prize"] + f"({ex.lex.grade_pattern.pattern})")
    highest = {ex.lex.canonical_grade(m.group(1)) for m in best.finditer(text)}
    if own_prizes(ex, text, sents, cands, main, tiers):
        # only a tier nothing stands above ranks; one the text calls the highest (최고상인 최우수상) alone
        tiers = [f if f[0] in top else f[:1] for f in tiers]
    # a lone tier ranks only when nothing can stand above it (대상) or the text says so
    a.tiers = [f for f in tiers if len(f) > 1 or f[0] in top or f[0] in highest]
    a.contest, a.organizer, a.cands = named, organizer, cands
    a.contest_unyeared = None if named else unyeared_contest(ex, a.doc, sents)


def awards(
    ex,
    doc: Document,
    sents,
    cand: Candidate,
    tiers_in_doc: list[list[str]],
    named: tuple[str, Span] | None,
    organizer: OrgRef | None,
    on: date | None,
    unyeared: tuple[str, Span] | None = None,
) -> list[AwardRecord]:
    """The case's award: its grade (the generic 우수 dropped where no tier of it ranks), the contest
    named (its year, half year and round), else the one named without a year (*unyeared*: it names
    the prize of a case the text grades, the generic 우수사례 included, and makes none), its rank (a
    place written with it, else its tier's)."""
    if cand.grade is None and named is None:
        return []
    aw = ex.cfg["awards"]
    if (
        cand.grade == ex.cfg["awards"]["generic_grade"]
        and cand.grade_span
        and re.fullmatch(ex.cfg["awards"]["generic_phrase"], cand.grade_span.text)
        and not any(cand.grade in fam and len(fam) > 1 for fam in tiers_in_doc)
    ):
        cand.grade, cand.grade_span = None, None
    if cand.grade is None and named is None and unyeared is None:
        return []
    rec = AwardRecord(grade=cand.grade, grade_span=cand.grade_span, organizer=organizer)
    if named or unyeared:
        rec.contest, rec.contest_span = named or unyeared
        for word, half in aw["half_year"].items():
            if word in rec.contest:
                rec.half_year = half
        rm = re.search(aw["contest_round"], rec.contest)
        if rm:
            rec.round = int(rm.group(1))
    if named:
        ym = re.search(aw["contest_year"], named[0])  # 2025년, `25년
        year = (int(ym.group(1)) if ym.group(1) else 2000 + int(ym.group(2))) if ym else None
        if year and (on is None or year <= on.year + 1) and year <= date.today().year + 1:
            rec.year = year
    if rec.year is None and on is not None and any(w in doc.text for w in ex.cfg["document"]["this_year"]):
        rec.year = on.year
    if cand.place is not None:
        rec.rank = cand.place
    elif cand.grade:
        grade = ex.lex.canonical_grade(cand.grade)
        for family in tiers_in_doc:
            if grade in family:  # extract keeps a lone tier only where it ranks by itself
                rec.rank = family.index(grade) + 1
                break
    if rec.grade is None and rec.contest == "":
        return []
    return [rec]


def grade_aliases(ex, text: str) -> dict[str, str]:
    """Prize names the document equates with a tier: 대상(대통령상) → {대통령상: 대상}."""
    aw = ex.cfg["awards"]
    tier = "|".join(re.escape(w) for fam in aw["tiers"][:1] for w in fam)
    named = "|".join(re.escape(w) for w in sorted(aw["named"] + aw["tiers"][-1][1:], key=len, reverse=True))
    out = {}
    for m in re.finditer(f"({tier})상?\\s?[(（]\\s?({named})\\s?[)）]", text):
        out[ex.lex.canonical_grade(m.group(2))] = m.group(1)
    for m in re.finditer(f"({named})\\s?[(（]\\s?({tier})상?\\s?[)）]", text):
        out[ex.lex.canonical_grade(m.group(1))] = m.group(2)
    return out


def counted_tiers(ex, text: str) -> dict[str, int]:
    """How many winners the text gives each tier (최우수 1건, 우수 2건, 장려 3건), the largest count
    where a tier is counted twice (the agency's own prizes, then the whole contest's)."""
    aw = ex.cfg["awards"]
    out: dict[str, int] = {}
    for m in re.finditer(f"(?:{ex.lex.grade_pattern.pattern}){aw['tier_count']}", text):
        word = ex.lex.grade_pattern.match(m.group()).group()
        if re.fullmatch(aw["generic_phrase"], word):
            continue
        grade = ex.lex.canonical_grade(word)
        n = int(re.search(r"\d{1,2}", m.group()[len(word) :]).group())
        out[grade] = max(out.get(grade, 0), n)
    return out


def fill_counted(ex, text: str, cands: list[Candidate]) -> None:
    """Where the text counts each tier's winners, the cases it lists after the graded ones without
    a grade of their own (the sentence that would give it is cut off, or "이 외에도 ▲…") fill the
    tiers' places left over, best tier first."""
    counts = counted_tiers(ex, text)
    if not counts:
        return
    family = next((f for f in ex.cfg["awards"]["tiers"] if set(counts) <= set(f)), None)
    if family is None:
        return
    ordered = sorted(cands, key=lambda c: c.span.start if c.span else c.sentence.start)
    first = next((i for i, c in enumerate(ordered) if c.grade), None)
    if first is None:
        return
    left = dict(counts)
    for c in ordered:
        grade = ex.lex.canonical_grade(c.grade) if c.grade else None
        if grade in left:
            left[grade] -= 1
    for c in ordered[first + 1 :]:
        if c.grade or not c.title:
            continue
        tier = next((t for t in family if left.get(t, 0) > 0), None)
        if tier is None:
            break
        c.grade, left[tier] = tier, left[tier] - 1


def own_prizes(
    ex, text: str, sents: list[Sentence], cands: list[Candidate], main: OrgRef | None, tiers: list[list[str]]
) -> bool:
    """The document is one body's report of the prizes it won at a contest run by others (여수시가 …
    우수상과 장려상을 수상했다) and lays out no more tiers than its own: where its best is 최우수, a
    대상 may still stand above it, so the tiers give no rank."""
    if main is None or main.span is None:
        return False
    graded = [c for c in cands if c.grade]
    if not graded or any(c.agency is None or c.agency.iri != main.iri for c in cands):
        return False
    first = next((x for x in sents if x.start <= main.span.start < x.end), None)
    if first is None or not re.search(ex.cfg["awards"]["receives_prize"], first.text):
        return False
    own = {ex.lex.canonical_grade(c.grade) for c in graded}
    return {w for family in tiers for w in family} <= own


def tiers_in(ex, text: str, cands: list[Candidate], sents: list[Sentence]) -> list[list[str]]:
    """The tiers of each family the document lays out: the grades its cases received and the
    grades it counts (최우수 1건, 우수 2건). "우수사례" alone is the generic word for a good
    practice, not a tier."""
    aw = ex.cfg["awards"]
    found = set()
    words = [c.grade_span.text for c in cands if c.grade and c.grade_span]
    counted = re.compile(f"(?:{ex.lex.grade_pattern.pattern}){aw['tier_count']}")
    words += [ex.lex.grade_pattern.match(m.group()).group() for m in counted.finditer(text)]
    generic = False
    for word in words:
        if re.fullmatch(aw["generic_phrase"], word):
            generic = True
            continue
        found.add(ex.lex.canonical_grade(word))
    if generic and any(aw["generic_grade"] in fam and set(fam) & found for fam in aw["tiers"]):
        found.add(aw["generic_grade"])  # 최우수 … 우수사례로는 …: here 우수 is a tier
    # A prize the text names above every grade its cases got is a tier whose winner is no case
    # here (대상 사례로 선정된 …, 최우수 기관으로 선정): the cases rank below it.
    named = re.compile(aw["named_tier"])
    above = set()
    for s in sents:
        for m in grade_mentions(ex, s):
            if not (named.match(s.text[m.end() :]) or heads(ex, s, m)):
                continue
            near = s.text[m.end() : m.end() + ex.cfg["windows"]["heading_grade_near"]]
            if any(len(c.title) >= 6 and c.title[:6] in near for c in cands):
                continue  # it heads a case of the document: that case's own grade, named another way
            word = ex.lex.canonical_grade(m.group())
            for family in aw["tiers"]:
                ranks = [family.index(w) for w in found if w in family]
                if word in family and ranks and family.index(word) < min(ranks):
                    above.add(word)
    found |= above
    out = []
    for family in ex.cfg["awards"]["tiers"]:
        present = [w for w in family if w in found]
        if present:
            out.append(present)
    return out


def lone_prize(ex, cand: Candidate, sents: list[Sentence]) -> None:
    """The grade of a document's only case: the first grade word of a sentence of its opening that
    tells a prize received, not one told aside as earlier."""
    receives = re.compile(ex.cfg["awards"]["receives_prize"])
    aside = re.compile(ex.cfg["awards"]["contest_aside"])
    for s in sents:
        if s.start >= ex.cfg["windows"]["opening"]:
            break
        if not receives.search(s.text) or aside.search(s.text):
            continue
        found = grade_mentions(ex, s)
        if found:
            cand.grade, cand.grade_span = grade_in(ex, found[0].group(), s.start + found[0].start())
            return
