"""Leads: the body the rules give each candidate — one named just before its title, the body heading
its list item, else the document's subject or, where that subject is a central or metropolitan body
(often the contest's organiser), another body its sentence names; a unit gives way to its body —
and the candidate's place in a ranking written with it."""
from __future__ import annotations

from rdflib.namespace import RDF

from adminkg.namespaces import AKG

from .. import regex as re
from ..records import OrgRef
from .analysis import Analysis, Candidate, component
from .orgs import ancestors, as_agency, is_actor, is_agency


@component("leads", reads=("cands", "orgs", "main"), writes=("cands",))
def leads(ex, a: Analysis) -> None:
    """The rules' lead body of each candidate (:func:`assign_agency`) and its place in a ranking
    written next to its title (3위); a candidate no body leads goes."""
    text = a.text
    for cand in a.cands:
        assign_agency(ex, cand, a.orgs, a.main, text)
        near_start = cand.span.start - ex.cfg["windows"]["place_near"] if cand.span else cand.sentence.start
        near_end = (
            cand.scope[0][1]
            if cand.origin == "list" and cand.scope
            else (cand.span.end + ex.cfg["windows"]["place_near"] if cand.span else cand.sentence.end)
        )
        near = text[max(cand.sentence.start, near_start) : min(cand.sentence.end, near_end)]
        pm = re.search(ex.cfg["awards"]["place_pattern"], near)
        if pm and cand.origin != "card" and not re.search(ex.cfg["awards"]["place_not_after"] + pm.group(), near):
            cand.place = int(pm.group(1))
    a.cands = [c for c in a.cands if c.agency is not None]


def assign_agency(ex, cand: Candidate, orgs: list[OrgRef], main: OrgRef | None, text: str) -> None:
    """The rules' lead body of a candidate without one: a body named just before its title, the body
    heading its list item, else :func:`other_body`; a unit gives way to its body (and becomes a
    department of the case), one without a known body to the document's subject."""
    if cand.agency is not None:
        return
    start = cand.span.start if cand.span else cand.sentence.start
    before = [
        o
        for o in orgs
        if cand.sentence.start <= o.span.end <= start
        and (is_agency(ex, o) or o.iri is not None or o.cls == "Unit")  # a unit stands for its body
        and start - o.span.end <= ex.cfg["windows"]["lead_before"]
        and is_actor(ex, o, text)
    ]
    if before:
        cand.agency = before[-1]
    elif cand.origin == "list":
        # "▲경기도 김포시 ‘…’": an agency at the head of the item
        head = [
            o
            for o in orgs
            if cand.scope
            and cand.scope[0][0] <= o.span.start < (cand.span.start if cand.span else 0)
            and is_agency(ex, o)
            and is_actor(ex, o, text)
        ]
        cand.agency = head[0] if head else other_body(ex, cand, orgs, main, text)
    else:
        cand.agency = other_body(ex, cand, orgs, main, text)
    if cand.agency is not None and not is_agency(ex, cand.agency):
        unit = cand.agency
        owner = as_agency(ex, unit)
        if owner is not unit:
            if unit.span is not None:
                cand.departments.append((unit.span.text, unit.span))
            cand.agency = owner
        elif unit.iri is not None or unit.cls == "Unit":
            cand.agency = main


def other_body(ex, cand: Candidate, orgs: list[OrgRef], main: OrgRef | None, text: str) -> OrgRef | None:
    """When the document's subject is a central or metropolitan body (often the contest's
    organiser), a case whose sentence names another gazetteer body belongs to that body."""
    if main is None or main.iri is None:
        return main
    g = ex.lex.gaz_graph
    if not any((main.iri, RDF.type, cls) in g for cls in (AKG.CentralGovernmentBody, AKG.MetropolitanGovernment)):
        return main
    start = cand.span.start if cand.span else cand.sentence.start
    lo, hi = cand.scope[0] if cand.origin == "list" and cand.scope else (cand.sentence.start, cand.sentence.end)
    others = [
        o
        for o in orgs
        if lo <= o.span.start < hi
        and o.iri is not None
        and o.iri != main.iri
        and is_agency(ex, o)
        and o.iri not in ancestors(ex, main.iri)
        and is_actor(ex, o, text)
        # a body joined to the next by 과/와 is listed, not acting (통계청과 인천시 데이터를 …)
        and not re.match("(?:" + "|".join(ex.grammar["conjunctions"]) + r")\s", text[o.span.end : o.span.end + 2])
    ]
    if not others:
        return main
    before = [o for o in others if o.span.end <= start]
    return as_agency(ex, before[-1] if before else others[0])


