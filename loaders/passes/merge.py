"""Merge: the same practice told twice (a list, then its description; a headline and its body
awarded by name) is one case, which keeps both tellings' scopes, units, place and the better grade."""
from __future__ import annotations

from adminkg.resolve import normalise

from .. import regex as re
from ..align import dice
from ..records import OrgRef
from .analysis import Analysis, Candidate, component
from .orgs import ancestors


@component("merge", reads=("cands", "main"), writes=("cands",))
def merge_pass(ex, a: Analysis) -> None:
    """The same practice told twice is one case (:func:`merge`), in text order."""
    a.cands = merge(ex, sorted(a.cands, key=lambda c: c.span.start if c.span else c.sentence.start), a.main)


def merge(ex, cands: list[Candidate], main: OrgRef | None = None) -> list[Candidate]:
    """The same practice mentioned twice (a list, then its description) is one case. Told once
    under the document's subject and once under another body (도 … ‘가’ / 서귀포시 서홍동 ‘가’),
    it is the other body's."""
    win = ex.cfg["windows"]
    kept: list[Candidate] = []
    main_iri = main.iri if main is not None else None
    for cand in cands:
        twin = None
        for k in kept:
            same_agency = (k.agency.iri == cand.agency.iri) if (k.agency and cand.agency) else True
            if not same_agency and main_iri is not None and main_iri in (k.agency.iri, cand.agency.iri):
                a, b = normalise(k.title), normalise(cand.title)
                other = cand.agency if k.agency.iri == main_iri else k.agency
                if a and a == b and other.iri is not None and main_iri in ancestors(ex, other.iri):
                    k.agency = other  # 서귀포시 under 제주특별자치도
                    same_agency = True
            a, b = normalise(k.title), normalise(cand.title)
            if not a or not b:
                if (
                    same_agency
                    and k.agency is not None
                    and "awarded" in (k.origin, cand.origin)
                    and (a or b)
                    and (
                        k.sentence.start == cand.sentence.start
                        or ex.lex.canonical_grade(k.grade) == ex.lex.canonical_grade(cand.grade)
                        or (k.grade if a else cand.grade) is None
                    )
                ):
                    # "공단은 ‘…’로 대상을 받았다", or a headline "공단, … 대상 수상": the body awarded
                    # by name is the titled case of the same body and grade (or of no grade yet)
                    twin = k
                    break
                continue  # untitled cases (bodies or units awarded by name) are told apart by who
            contained = min(len(a), len(b)) >= win["merge_contained"] and (a in b or b in a)
            if same_agency and (dice(a, b) >= win["merge_dice"] or contained):
                twin = k
                break
        if twin is None:
            kept.append(cand)
        else:
            if not normalise(twin.title) and normalise(cand.title):
                cand.scope += twin.scope  # the titled telling stands for the case
                cand.grade, cand.grade_span = cand.grade or twin.grade, cand.grade_span or twin.grade_span
                kept[kept.index(twin)] = twin = cand
                continue
            twin.scope += cand.scope
            if cand.confidence is not None:
                twin.confidence = max(twin.confidence or 0.0, cand.confidence)
            twin.departments += [d for d in cand.departments if d not in twin.departments]
            twin.place = twin.place if twin.place is not None else cand.place  # a table row's place
            generic = twin.grade_span is not None and re.fullmatch(
                ex.cfg["awards"]["generic_phrase"], twin.grade_span.text
            )
            if cand.grade and (twin.grade is None or generic):  # "우수사례는 ▲…" says less than "최우수상으로"
                twin.grade, twin.grade_span = cand.grade, cand.grade_span
    return kept


