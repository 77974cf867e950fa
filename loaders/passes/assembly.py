"""Assembly: one :class:`CaseRecord` per case, with the facts its scope holds (``loaders.passes.facts``)
and its award (``loaders.passes.awards``); then each record's confidences and year."""
from __future__ import annotations

from .. import regex as re
from ..records import CaseRecord
from .analysis import Analysis, component
from .awards import awards
from .facts import adjacent_units, beneficiaries, departments, metrics, partners, statements, technologies, units_of
from .mentions import programme_technologies
from .orgs import subject_unit
from .scopes import other_titles, partner_scope, scope_text, title_modifiers
from .titles import quoted_name


@component("assemble",
           reads=("cands", "sents", "orgs", "fullest", "main", "contest", "contest_unyeared", "organizer", "tiers",
                  "on"),
           writes=("records", "record_scopes"))
def assemble(ex, a: Analysis) -> None:
    """A record per case: its title, lead body, units (those written with it first, a unit another
    case claims or one inside a title left out; the document's subject office for its own cases),
    technologies (and those a programme of the document is named after), partners (not bodies
    leading a named case of their own), beneficiaries (also from the words before its title),
    metrics, statements and award. Each record's scope is kept for the decisions on its facts."""
    doc, text, sents, orgs, main, cands = a.doc, a.text, a.sents, a.orgs, a.main, a.cands
    organisers = {a.organizer.name} if a.organizer else set()
    programme_tech = programme_technologies(ex, text)
    # bodies leading a named case of their own are none of another case's partners
    leaders = {c.agency.iri or c.agency.name for c in cands if c.agency is not None and c.title}
    office = subject_unit(ex, orgs, text, main, a.fullest)
    mods = title_modifiers(ex, text, cands)
    # a unit named with the case itself ("…(재무과)", "위생과의 ‘…’") is its department, and not a
    # neighbouring case's; units inside a case's title are part of its name
    own = {id(c): list(c.departments) or adjacent_units(ex, text, c) for c in cands}
    claimed = {name: id(c) for c in cands for name, _ in own[id(c)]}
    # (a bracket in the title, "…사례(상하수도사업소 협업)", and a title that is just the unit do not count)
    titles = [
        (c.span.start, c.span.start + len(re.sub(r"\s?[(（][^()（）]*[)）]?\s*$", "", c.span.text)))
        for c in cands
        if c.span is not None
    ]
    for cand in cands:
        parts = scope_text(text, cand)
        depts = list(own[id(cand)])
        scoped = units_of(ex, cand.agency, parts, orgs, a.fullest) + departments(ex, parts, cand.agency, text, orgs)
        for name, span in [] if depts else scoped:
            inside = any(lo <= span.start < hi and hi - lo > len(name) for lo, hi in titles)
            if claimed.get(name, id(cand)) != id(cand) or inside:
                continue
            if name not in [d[0] for d in depts]:
                depts.append((name, span))
        if not depts and cand.origin == "quote":
            # "최우수상은 스마트도시과 김 주무관에게 돌아갔다. 김 주무관은 ‘…’": the sentence before
            # names the unit, and no case of its own
            prev = [x for x in sents if x.line == cand.sentence.line and x.end <= cand.sentence.start]
            if prev and not any(c.sentence.start == prev[-1].start for c in cands):
                depts = departments(ex, [(prev[-1].start, prev[-1].text)], cand.agency)[:1]
        if office and cand.agency is not None and cand.agency.iri == main.iri:
            depts = [office] + [d for d in depts if d[0] != office[0]]
        problems, interventions = statements(ex, parts)
        pscope = partner_scope(ex, text, cand, cands, sents, orgs)
        title, span = quoted_name(ex, cand.title, cand.span)
        rec = CaseRecord(
            source=doc,
            title=title,
            title_span=span,
            agency=cand.agency,
            departments=depts[:4],
            technologies=technologies(ex, parts, programme_tech, other_titles(cand, cands)),
            partners=partners(ex, pscope, orgs, cand.agency, organisers, leaders),
            beneficiaries=beneficiaries(
                ex,
                parts,
                cand.span,
                (mods[id(cand)][0], text[slice(*mods[id(cand)])]) if id(cand) in mods else None,
                [m for k, m in mods.items() if k != id(cand)],
            )[:4],
            metrics=metrics(parts),
            problems=problems,
            interventions=interventions,
            awards=awards(ex, doc, sents, cand, a.tiers, a.contest, a.organizer, a.on, a.contest_unyeared),
        )
        a.records.append(rec)
        a.record_scopes.append((cand, parts, pscope))


@component("finish", reads=("records", "record_scopes", "on"), writes=("records",))
def finish(ex, a: Analysis) -> None:
    """Each record's confidence that it is a case and in its lead body (a body awarded by name: the
    case decision was about that body), and its year: its award's, else the document's."""
    for rec, (cand, _parts, _pscope) in zip(a.records, a.record_scopes):
        if cand.confidence is not None:
            rec.confidence["case"] = round(cand.confidence, 4)
        if cand.agency_confidence is not None:
            rec.confidence["agency"] = round(cand.agency_confidence, 4)
        elif cand.confidence is not None and not cand.title:
            rec.confidence["agency"] = round(cand.confidence, 4)
        if rec.awards and rec.awards[0].year:
            rec.year = rec.awards[0].year
        elif a.on is not None:
            rec.year = a.on.year
