"""Decisions: which candidates are cases, which body leads each, which bodies lead a case no
candidate tells, and which facts belong to each case — the model's (``loaders.model``, on the
features of ``loaders.features``), with its probability kept as confidence; without a model the
rules' choices stand. ``ex.observe`` (training) sees every candidate with its features."""
from __future__ import annotations

from datetime import date

from .. import regex as re
from ..documents import Document
from ..features import agency_features, award_features, body_features, case_features, fact_features, metric_features
from ..records import CaseRecord, OrgRef, Span
from .analysis import Analysis, Candidate, Sentence, component
from .candidates import document_case, worth_a_case
from .facts import partner_form_mentions
from .mentions import fact_mentions, grade_in, grade_mentions
from .orgs import bodies_in_row, body_key, leading_bodies, same_body
from .scopes import other_titles


@component("decide_cases", reads=("cands", "n_rule"), writes=("cands", "dropped"))
def decide_cases_pass(ex, a: Analysis) -> None:
    """The candidates the model keeps as cases (:func:`decide_cases`)."""
    a.cands, a.dropped = decide_cases(ex, a.doc, a.cands, a.n_rule)


@component("decide_agencies", reads=("cands", "orgs", "main"), writes=("cands",))
def decide_agencies_pass(ex, a: Analysis) -> None:
    """The body the model ranks first as each titled case's lead (:func:`decide_agencies`)."""
    decide_agencies(ex, a.doc, a.cands, a.orgs, a.main)


@component("decide_bodies", reads=("cands", "dropped", "orgs", "main", "sents", "n_rule"), writes=("cands",))
def decide_bodies_pass(ex, a: Analysis) -> None:
    """Cases of bodies no kept candidate tells (:func:`decide_bodies`)."""
    a.cands += decide_bodies(ex, a.doc, a.cands, a.dropped, a.orgs, a.main, a.sents, a.n_rule)


@component("document_case", reads=("cands", "main", "sents"), writes=("cands",))
def document_case_pass(ex, a: Analysis) -> None:
    """A document where no case is left but which is about a practice of its body (a grade or a
    technology word) tells one: its first quoted title, else its headline; scored by the model."""
    if a.cands or a.main is None or not worth_a_case(ex, a.text):
        return
    cand = document_case(ex, a.text, a.sents, a.main)
    if cand is not None:
        a.cands = [cand]
        if ex.model is not None and ex.model.decides("case"):  # the rules' last word, scored
            p = ex.model.probability("case", case_features(ex, a.text, cand, n_rule=0, rule=True))
            cand.confidence = cand.agency_confidence = p


@component("decide_facts", reads=("records", "record_scopes", "cands", "orgs", "on"), writes=("records",))
def decide_facts_pass(ex, a: Analysis) -> None:
    """The facts the model keeps for each case (:func:`decide_facts`); the document's technology and
    group mentions are read once for all its cases."""
    mentions = fact_mentions(ex, a.text) if decides_facts(ex) else None
    for rec, (cand, parts, pscope) in zip(a.records, a.record_scopes):
        decide_facts(ex, a.doc, cand, rec, parts, pscope, a.on, len(a.cands), a.orgs, a.cands, mentions)


def decide_cases(
    ex, doc: Document, cands: list[Candidate], n_rule: int
) -> tuple[list[Candidate], list[Candidate]]:
    """Which candidates are cases: the model's decision (its probability kept), or the rules'
    (every candidate they proposed) when there is no model. Returns the kept candidates and those
    the model turned down (scored: :func:`decide_bodies` takes titles from them)."""
    if ex.model is None and ex.observe is None:
        return cands, []
    deciding = ex.model is not None and "case" in ex.model.decisions
    dropped: list[Candidate] = []
    kept = []
    ruled = [(c.span.start, c.span.end) for c in cands[:n_rule] if c.span is not None]
    by_origin: dict[str, int] = {}
    for c in cands:
        by_origin[c.origin] = by_origin.get(c.origin, 0) + 1
    for i, cand in enumerate(cands):
        overlaps = i >= n_rule and cand.span is not None and any(
            a < cand.span.end and cand.span.start < b for a, b in ruled
        )
        feats = case_features(ex, doc.text, cand, n_rule=n_rule, rule=i < n_rule, overlaps=overlaps,
                              same_origin=by_origin[cand.origin])
        if ex.observe is not None:
            ex.observe("case", doc, cand, feats)
            if not deciding:  # learning this decision: every candidate goes on
                kept.append(cand)
                continue
        p = ex.model.probability("case", feats)
        if p is None:  # a model without this decision: the rules' candidates stand
            if i < n_rule:
                kept.append(cand)
            continue
        cand.confidence = p
        if ex.model.accepts("case", p):
            kept.append(cand)
        else:
            dropped.append(cand)
    return kept, dropped


def decide_agencies(ex, doc: Document, cands: list[Candidate], orgs: list[OrgRef], main: OrgRef | None) -> None:
    """Which body leads each titled case: the model ranks every body of the document that can
    lead one (the rules' choice is one of its features); without a model the rules' choice stays."""
    deciding = ex.model is not None and "agency" in ex.model.decisions
    if not deciding and ex.observe is None:
        return
    bodies = leading_bodies(ex, orgs, doc.text)
    main_key = body_key(main) if main is not None else None
    for cand in cands:
        if not cand.title or cand.agency is None:
            continue
        chosen = body_key(cand.agency)
        options = dict(bodies)
        options.setdefault(chosen, (cand.agency, []))
        scored = []
        for key, (body, mentions) in sorted(options.items()):
            feats = agency_features(
                ex, doc.text, cand, body, mentions, chosen=key == chosen, main=key == main_key
            )
            if ex.observe is not None:
                ex.observe("agency", doc, (cand, body), feats)
            if not deciding:
                continue
            scored.append((ex.model.probability("agency", feats), key, body))
        if scored:
            p, key, body = max(scored, key=lambda x: (x[0], x[1] == chosen))
            if key != chosen:
                cand.agency = OrgRef(name=body.name, iri=body.iri, cls=body.cls, sector=body.sector, span=body.span)
            cand.agency_confidence = p


def decide_bodies(
    ex, doc: Document, cands: list[Candidate], dropped: list[Candidate], orgs: list[OrgRef],
    main: OrgRef | None, sents: list[Sentence], n_rule: int = 0,
) -> list[Candidate]:
    """Bodies leading a case no kept candidate tells (awarded by name, or described without a
    name the candidates caught): the model decides per body of the document that leads none yet;
    such a case takes the best title turned down for that body, if any scored near the threshold."""
    if ex.model is None or "case" not in ex.model.decisions:
        return []
    deciding = "body" in ex.model.decisions
    if not deciding and ex.observe is None:
        return []
    bodies = leading_bodies(ex, orgs, doc.text, actors_only=True)
    key = body_key
    leading = {key(c.agency) for c in cands if c.agency is not None}
    main_key = key(main) if main is not None else None
    out = []
    for k, (body, mentions) in sorted(bodies.items()):
        if k in leading:
            continue
        titles = sorted(
            (c for c in dropped if c.agency is not None and key(c.agency) == k and c.title),
            key=lambda c: (-(c.confidence or 0.0), c.span.start if c.span else 0),
        )
        best = titles[0].confidence or 0.0 if titles else 0.0
        feats = body_features(ex, doc.text, body, mentions, main=k == main_key, n_kept=len(cands),
                              n_bodies=len(bodies), best_title=best, n_rule=n_rule)
        first = mentions[0]
        sentence = next((x for x in sents if x.start <= first.span.start < x.end), None)
        if sentence is None:
            continue
        new = Candidate("", None, sentence, agency=body, origin="body")
        # the grade given right after it (…, 나주시가 최우수기관으로 …)
        stop = min(sentence.end, first.span.end + ex.cfg["decide"]["body_grade_reach"])
        reach = doc.text[first.span.end : stop]
        m = next(iter(grade_mentions(ex, Sentence(first.span.end, first.span.end + len(reach), reach, 0))), None)
        if m is not None:
            new.grade, new.grade_span = grade_in(ex, m.group(), first.span.end + m.start())
        else:  # a grade heading a list of bodies (최우수기관으로 가시, 나군을 …)
            new.grade, new.grade_span = heading_grade(ex, doc.text, sentence, first.span, orgs)
        if titles and best >= ex.cfg["decide"]["body_title_floor"]:
            new.title, new.span, new.sentence = titles[0].title, titles[0].span, titles[0].sentence
        if ex.observe is not None:
            ex.observe("body", doc, (new, body), feats)
        if not deciding:
            continue
        p = ex.model.probability("body", feats)
        if ex.model.accepts("body", p):
            new.confidence = p
            new.agency_confidence = p
            out.append(new)
    return out


def heading_grade(ex, text: str, sentence: Sentence, at: Span, orgs: list[OrgRef]) -> tuple[str | None, Span | None]:
    """The grade a sentence gives a list of bodies it heads (최우수기관으로 가시, 나군을 선정):
    the last grade word before the body at *at* when only other bodies and separators stand between
    the heading (``[decide] body_grade_heading``) and it."""
    before = [m for m in grade_mentions(ex, sentence) if sentence.start + m.end() <= at.start]
    if not before:
        return None, None
    m = before[-1]
    _bodies, gaps = bodies_in_row(text, sentence.start + m.end(), at.start, orgs)
    decide = ex.cfg["decide"]
    if not re.fullmatch(decide["body_grade_heading"], gaps[0]) or \
            any(not re.fullmatch(decide["body_list_separator"], gap) for gap in gaps[1:]):
        return None, None
    return grade_in(ex, m.group(), sentence.start + m.start())


def decides_facts(ex) -> bool:
    """Facts are decided (and learned) once cases are: a model with a case decision."""
    return ex.model is not None and "case" in ex.model.decisions


def fact_candidates(
    ex, text: str, cand: Candidate, rec: CaseRecord, parts, pscope, mentions, orgs, cands
) -> list:
    """Every fact the case's scope could hold, whatever the rules decided: (kind, value, spans,
    chosen, flags, item) — item is what goes into the record when the fact is kept."""
    win = ex.cfg["windows"]
    out = []
    foreign = [(o.start, o.end) for o in other_titles(cand, cands)]
    kept_tech = {code for code, _ in rec.technologies}
    hits: dict[str, list] = {}
    flags: dict[str, set] = {}
    inside = [(a, a + len(t)) for a, t in parts]
    # the whole document: a mention outside the case's scope is a candidate too, flagged
    tech_mentions, group_mentions = mentions
    for code, span, static in tech_mentions:
        hits.setdefault(code, []).append(span)
        fl = flags.setdefault(code, set())
        fl.update(static)
        fl.add("in_scope" if any(a <= span.start < b for a, b in inside) else "out_of_scope")
        if any(a <= span.start < b for a, b in foreign):
            fl.add("other_title")
    rule_spans = dict(rec.technologies)
    for code in sorted(set(hits) | kept_tech):
        spans = hits.get(code, [])
        item = (code, rule_spans.get(code) or (spans[0] if spans else None))
        out.append(("technology", code, spans, code in kept_tech, sorted(flags.get(code, ())), item))
    kept_ben = {surface for _c, surface, _s in rec.beneficiaries}
    by_label = ex.lex.beneficiary_pattern[1]
    generic = ex.lex.generic_beneficiaries
    bhits: dict[str, list] = {}
    bflags: dict[str, set] = {}
    for span in group_mentions:
        bhits.setdefault(span.text, []).append(span)
        inside_scope = any(a <= span.start < b for a, b in inside)
        bflags.setdefault(span.text, set()).add("in_scope" if inside_scope else "out_of_scope")
    rule_ben = {surface: (concept, surface, span) for concept, surface, span in rec.beneficiaries}
    for label in sorted(set(bhits) | kept_ben):
        spans = bhits.get(label, [])
        concept = by_label.get(label)
        if concept is None and label not in rule_ben:
            continue
        item = rule_ben.get(label) or (concept, label, spans[0])
        fl = (["generic"] if concept in generic else []) + sorted(bflags.get(label, ()))
        out.append(("beneficiary", label, spans, label in kept_ben, fl, item))
    kept_dep = {name for name, _ in rec.departments}
    dhits: dict[str, list] = {}
    for base, chunk in parts:
        for m in ex.lex.unit_pattern.finditer(chunk):
            dhits.setdefault(m.group(), []).append(Span(base + m.start(), base + m.end(), m.group()))
    rule_dep = dict(rec.departments)
    for name in sorted(set(dhits) | kept_dep):
        spans = dhits.get(name, [])
        item = (name, rule_dep.get(name) or (spans[0] if spans else None))
        out.append(("department", name, spans, name in kept_dep, [], item))
    kept_par = {o.name for o, _k in rec.partners}
    rule_par = {o.name: (o, k) for o, k in rec.partners}
    lo_hi = [(a, a + len(t)) for a, t in pscope]
    phits: dict[str, list] = {}
    pref: dict[str, OrgRef] = {}
    named = [o for o in orgs if o.span is not None]
    for base, chunk in pscope:  # bodies named with their legal form, partners only (㈜하늘길)
        named += [o for o in partner_form_mentions(ex, chunk, base)
                  if not any(x.span.start < o.span.end and o.span.start < x.span.end for x in named)]
    for o in named:
        if not any(a <= o.span.start < b for a, b in lo_hi):
            continue
        if cand.agency is not None and same_body(ex, o, cand.agency):
            continue
        phits.setdefault(o.name, []).append(o.span)
        pref.setdefault(o.name, o)
    collab = ex.cfg["orgs"]["collaboration"]
    reach = ex.cfg["orgs"]["cue_reach"]
    for name in sorted(set(phits) | kept_par):
        spans = phits.get(name, [])
        org = rule_par[name][0] if name in rule_par else pref[name]
        fl = [f"class={org.cls if org.iri is None else 'gaz'}"]
        if any(w in text[max(0, s.start - reach) : s.end + reach] for s in spans for w in collab):
            fl.append("collab_cue")
        after = win["organiser_after"]
        if any(w in text[s.end : s.end + after] for s in spans for w in ex.cfg["orgs"]["organiser_words"]):
            fl.append("organiser")
        item = rule_par.get(name) or (org, None)
        out.append(("partner", name, spans, name in kept_par, fl, item))
    return out


def decide_facts(ex, doc: Document, cand: Candidate, rec: CaseRecord, parts, pscope, on: date | None, n_cases,
                 orgs, cands, mentions):
    """Which facts belong to the case: the model decides each fact the scope could hold (its
    probability kept on the record); without a model the rules' facts stand."""
    if not decides_facts(ex):
        return  # facts are decided (and learned) once cases are
    if ex.observe is None and "technology" not in ex.model.decisions:
        return
    kept: dict[str, list] = {"technology": [], "beneficiary": [], "department": [], "partner": []}
    for kind, value, spans, chosen, flags, item in fact_candidates(
        ex, doc.text, cand, rec, parts, pscope, mentions, orgs, cands
    ):
        feats = fact_features(kind, value, chosen=chosen, spans=spans, title_span=cand.span,
                              n_cases=n_cases, origin=cand.origin, flags=flags)
        p = ex.model.probability(kind, feats) if ex.model is not None else None
        if ex.observe is not None:
            ex.observe(kind, doc, (cand, value), feats)
        if p is None:
            if chosen:
                kept[kind].append(item)
            continue
        if ex.model.accepts(kind, p) if ex.model.decides(kind) else chosen:
            kept[kind].append(item)
            rec.confidence[f"{kind}:{value}"] = round(p, 4)
    rec.technologies = kept["technology"]
    rec.beneficiaries = kept["beneficiary"][:4]
    rec.departments = kept["department"][:4]
    rec.partners = kept["partner"]
    for kind, items, features in (
        ("award", rec.awards, lambda a: award_features(a, on_year=on.year if on else None, origin=cand.origin,
                                                       n_cases=n_cases, n_awards=len(rec.awards))),
        ("metric", rec.metrics, lambda m: metric_features(m, origin=cand.origin, n_cases=n_cases,
                                                          title_span=cand.span)),
    ):
        kept_items = []
        for item in items:
            feats = features(item)
            if ex.observe is not None:
                ex.observe(kind, doc, (cand, item), feats)
            p = ex.model.probability(kind, feats)
            if p is None:
                kept_items.append(item)
            elif ex.model.accepts(kind, p):
                rec.confidence[f"{kind}:{len(kept_items)}"] = round(p, 4)
                kept_items.append(item)
        items[:] = kept_items
