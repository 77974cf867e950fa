"""Organisations: gazetteer bodies named in a text (every label, longest first, at Hangul word
boundaries) and bodies known by the form of their name (…공단, …재단, ㈜…); an ambiguous name
resolved by the province the document speaks of; what a body is (one that can lead a case, a unit
of another, a place phrase rather than an actor); units by their names. Words and patterns come
from the lexicon ([orgs], [units], [grammar]) and the gazetteer."""
from __future__ import annotations

from datetime import date

from rdflib import URIRef
from rdflib.namespace import RDF, SKOS

from adminkg.namespaces import AKG, ORG
from adminkg.resolve import normalise

from .. import regex as re
from ..documents import Document
from ..records import OrgRef, Span

HANGUL = re.compile(r"[가-힣]")


def find_orgs(ex, text: str, on: date | None) -> list[OrgRef]:
    """Organisations named in *text*: gazetteer bodies (those existing *on* the date) and bodies known by
    the form of their name, in text order; ``candidates`` on each holds its gazetteer bodies."""
    found: list[OrgRef] = []
    taken = [False] * (len(text) + 1)
    # a body named after its place (여수시도시관리공단, 경기도교육청): the whole name, not the place
    forms = [(m, cls, sector) for pattern, cls, sector in ex.lex.form_patterns for m in pattern.finditer(text)]
    named_after: dict[int, int] = {}
    for m, _cls, _sector in forms:
        named_after.setdefault(m.start(), m.end())
    for m in ex.lex.org_pattern.finditer(text):
        surface = m.group()
        if named_after.get(m.start(), 0) > m.end() and not ex.lex.gazetteer.lookup(
            text[m.start() : named_after[m.start()]], on
        ):
            continue
        before = text[m.start() - 1] if m.start() else " "
        after = text[m.end()] if m.end() < len(text) else " "
        if len(normalise(surface)) <= 3 and HANGUL.match(before):
            continue
        if (
            re.match(ex.cfg["orgs"]["neighbourhood_after"], text[m.end() : m.end() + 4])
            and surface[-1] not in ex.cfg["orgs"]["government_endings"]
        ):
            continue  # 거제1동, 남원읍, 종로3가: a neighbourhood named after the place, not the body
        if (
            surface[-1] not in ex.grammar["admin_endings"]
            and HANGUL.match(after)
            and after not in ex.grammar["particles"]
        ):
            continue
        hits = ex.lex.gazetteer.lookup(surface, on)
        org = OrgRef(name=surface, span=Span(m.start(), m.end(), surface))
        org.candidates = hits  # type: ignore[attr-defined]
        found.append(org)
        taken[m.start() : m.end()] = [True] * (m.end() - m.start())
    for m, cls, sector in forms:
        if any(taken[m.start() : m.end()]):
            continue
        name = m.group()
        org = OrgRef(name=name, cls=cls, sector=sector, span=Span(m.start(), m.end(), name))
        org.candidates = []  # type: ignore[attr-defined]
        found.append(org)
        taken[m.start() : m.end()] = [True] * (m.end() - m.start())
    found.sort(key=lambda o: o.span.start)
    return found


def resolve(ex, orgs: list[OrgRef]) -> None:
    """Pick one body for each ambiguous name: the one inside a province the document names."""
    context: dict[URIRef, int] = {}
    for org in orgs:
        hits = org.candidates  # type: ignore[attr-defined]
        if len(hits) == 1:
            for anc in ancestors(ex, hits[0]):
                context[anc] = context.get(anc, 0) + 1
            context[hits[0]] = context.get(hits[0], 0) + 1
    for org in orgs:
        hits = org.candidates  # type: ignore[attr-defined]
        if len(hits) == 1:
            org.iri = hits[0]
        elif len(hits) > 1:
            scored = sorted(hits, key=lambda h: -sum(context.get(a, 0) for a in ancestors(ex, h)))
            best = scored[0]
            if sum(context.get(a, 0) for a in ancestors(ex, best)) > 0:
                org.iri = best
            else:
                # no province named: the one top-level body among them (광주시 → 광주광역시,
                # not 경기도 광주시, which a document names with its province)
                top = [h for h in hits if not ancestors(ex, h)]
                if len(top) == 1:
                    org.iri = top[0]
        if org.iri is not None:
            org.name = label(ex, org.iri)


def ancestors(ex, iri: URIRef) -> list[URIRef]:
    """The bodies *iri* belongs to, nearest first (org:subOrganizationOf, org:unitOf)."""
    out, seen = [], set()
    g = ex.lex.gaz_graph
    cur = g.value(iri, ORG.subOrganizationOf) or g.value(iri, ORG.unitOf)
    while cur is not None and cur not in seen:
        out.append(cur)
        seen.add(cur)
        cur = g.value(cur, ORG.subOrganizationOf) or g.value(cur, ORG.unitOf)
    return out


def label(ex, iri: URIRef) -> str:
    """The Korean preferred label of a gazetteer body."""
    for lab in ex.lex.gaz_graph.objects(iri, SKOS.prefLabel):
        if lab.language == "ko":
            return str(lab)
    return str(iri)


def is_org_name(ex, name: str) -> bool:
    """A name the gazetteer knows or that has the form of a body's name."""
    if ex.lex.gazetteer.lookup(name):
        return True
    return any(p.fullmatch(name) for p, _cls, _sector in ex.lex.form_patterns)


def unit_owner(ex, name: str) -> URIRef | None:
    """The body a unit's name begins with: 전북소방본부 → 전북특별자치도, 서귀포보건소 → 서귀포시;
    or the owner the lexicon gives its form: 연수경찰서 → 경찰청."""
    for pattern, owner in ex.lex.owned_forms:
        if pattern.fullmatch(name):
            hits = ex.lex.gazetteer.lookup(owner)
            return hits[0] if len(hits) == 1 else None
    for cut in range(len(name) - 2, 1, -1):
        hits = [h for h in ex.lex.gazetteer.lookup(name[:cut]) if is_agency(ex, OrgRef(name="", iri=h))]
        if len(hits) == 1:
            return hits[0]
    return None


def is_agency(ex, org: OrgRef) -> bool:
    """A body that can lead a case (not a unit such as an 일반구)."""
    if org.iri is None:
        return org.cls in ("PublicInstitution", "CentralGovernmentBody")  # a "Unit" is not
    if org.iri not in ex.can_lead:
        g = ex.lex.gaz_graph
        units = (AKG.GeneralDistrict, ORG.OrganizationalUnit)
        ex.can_lead[org.iri] = not any((org.iri, RDF.type, cls) in g for cls in units)
    return ex.can_lead[org.iri]


def is_actor(ex, org: OrgRef, text: str) -> bool:
    """Not a place phrase (인천 최초, 충남 유일, 서울시 전역): such a mention names where, not who."""
    return org.span is None or not names_a_place(ex, org.span.end, text)


def names_a_place(ex, end: int, text: str) -> bool:
    """The words after a name ending at *end* make it a place phrase (인천 최초, 서울시 전역)."""
    return bool(re.match(ex.cfg["orgs"]["place_phrase"], text[end : end + ex.cfg["windows"]["place_phrase"]]))


def main_agency(ex, orgs: list[OrgRef], text: str, doc: Document, on: date | None) -> OrgRef | None:
    """The body the document is about: the first body its (manifest) title names, else the
    subject of its opening, else the body it names most. A unit stands for its parent."""
    if doc.title:
        titled = find_orgs(ex, doc.title, on)
        resolve(ex, titled)
        for o in titled:
            if o.iri is not None:
                same = next((x for x in orgs if x.iri == o.iri), None)
                return as_agency(ex, OrgRef(name=o.name, iri=o.iri, span=same.span if same else None))
    known = [o for o in orgs if o.iri is not None] or [o for o in orgs if is_agency(ex, o)]
    if not known:
        return None
    for o in known:
        if o.span.start < ex.cfg["windows"]["opening"] and is_subject(ex, o, text):
            return as_agency(ex, o)
    counts: dict[str, int] = {}
    for o in known:
        counts[o.name] = counts.get(o.name, 0) + 1
    best = max(counts.values())
    return as_agency(ex, next(o for o in known if counts[o.name] == best))


def subject_unit(
    ex, orgs: list[OrgRef], text: str, main: OrgRef | None, fullest: dict[URIRef, str]
) -> tuple[str, Span] | None:
    """The regional office a document is about (인천본부세관은 … 경진대회를 개최): a gazetteer unit of
    the main agency that is the subject of the opening; its cases are that office's."""
    if main is None or main.iri is None:
        return None
    g = ex.lex.gaz_graph
    for o in orgs:
        if o.span.start >= ex.cfg["windows"]["opening"]:
            break
        if o.iri is None or g.value(o.iri, ORG.unitOf) != main.iri:
            continue
        if is_subject(ex, o, text) or text[o.span.end : o.span.end + 1] in "(（":  # 인천본부세관(세관장 …)은
            return fullest.get(o.iri, o.name), o.span
    return None


def is_subject(ex, org: OrgRef, text: str) -> bool:
    """The name is marked as the subject (…는, …이, …에서)."""
    after = text[org.span.end : org.span.end + 2]
    return after[:1] in ex.grammar["subject_markers"] or after.startswith("에서")


def fullest_forms(orgs: list[OrgRef]) -> dict[URIRef, str]:
    """Each gazetteer body → the fullest form the document writes it in (인천세관 … 인천본부세관)."""
    out: dict[URIRef, str] = {}
    for o in orgs:
        if o.iri is not None and o.span is not None and len(o.span.text) > len(out.get(o.iri, "")):
            out[o.iri] = o.span.text
    return out


def as_agency(ex, org: OrgRef) -> OrgRef:
    """The body that can lead a case: a unit (일반구, regional office, 소방본부) gives way to its parent."""
    if org.iri is None and org.cls == "Unit":
        owner = unit_owner(ex, org.name)
        return OrgRef(name=label(ex, owner), iri=owner, span=org.span) if owner is not None else org
    if org.iri is None or is_agency(ex, org):
        return org
    parent = ex.lex.gaz_graph.value(org.iri, ORG.unitOf)
    return OrgRef(name=label(ex, parent), iri=parent, span=org.span) if parent is not None else org


def same_body(ex, org: OrgRef, agency: OrgRef) -> bool:
    """The mention names the lead *agency* itself, or a unit of it."""
    if org.name == agency.name:
        return True
    return agency.iri is not None and agency.iri in (org.iri, as_agency(ex, org).iri)


def body_key(org: OrgRef) -> str:
    """One key per body: its gazetteer IRI, else its name."""
    return str(org.iri) if org.iri is not None else org.name


def leading_bodies(
    ex, orgs: list[OrgRef], text: str, *, actors_only: bool = False
) -> dict[str, tuple[OrgRef, list[OrgRef]]]:
    """The bodies of the document that can lead a case (a unit stands for its parent), by
    :meth:`body_key`, each with its mentions; with *actors_only*, mentions that name a place
    (인천 최초) are left out."""
    bodies: dict[str, tuple[OrgRef, list[OrgRef]]] = {}
    for o in orgs:
        a = as_agency(ex, o)
        if is_agency(ex, a) and (not actors_only or is_actor(ex, o, text)):
            bodies.setdefault(body_key(a), (a, []))[1].append(o)
    return bodies


def is_unit_word(ex, word: str, loose: bool = False) -> bool:
    """A word that names a unit by itself (교통정책과, 문화회관; with loose, a neighbourhood: 관문동)."""
    u = ex.cfg["units"]
    if word in u["stopwords"] or re.search(u["not_unit_ending"], word) or ex.lex.gazetteer.lookup(word):
        return False
    return bool(
        ex.lex.unit_pattern.fullmatch(word)
        or re.fullmatch(u["centre_words"], word)
        or (loose and re.fullmatch(f"(?:{u['adjacent_neighbourhood']})", word))
    )


def bodies_in_row(text: str, start: int, end: int, orgs: list[OrgRef]) -> tuple[list[OrgRef], list[str]]:
    """The bodies named one after another in text[start:end] (overlapping mentions skipped) and
    the texts around them: before the first, between each two, after the last (one more than the
    bodies) — for telling a list of bodies (가시, 나군·다공단) from a sentence that names some."""
    bodies, gaps, pos = [], [], start
    for o in sorted((o for o in orgs if o.span is not None and start <= o.span.start and o.span.end <= end),
                    key=lambda o: o.span.start):
        if o.span.start >= pos:
            gaps.append(text[pos : o.span.start])
            bodies.append(o)
            pos = o.span.end
    return bodies, [*gaps, text[pos:end]]


def bracket_units(ex, inner: str) -> list[str] | None:
    """The units a bracket after a title names, or None when it says something else: units and
    centres (농업기술원), the government itself (도, 시) and a person with their post."""
    words = inner.strip().split()
    units: list[str] = []
    for i, word in enumerate(words):
        if ex.lex.unit_pattern.fullmatch(word) or re.fullmatch(ex.cfg["units"]["centre_words"], word):
            units.append(word)
        elif i == 0 and word in ex.grammar["self_reference"]:
            continue
        elif units and re.fullmatch(ex.cfg["units"]["person_after"], " ".join(words[i:])):
            break
        else:
            return None
    return units or None

