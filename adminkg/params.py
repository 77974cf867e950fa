"""Parameters a person would type. A library query says what a parameter accepts in its header
(``# accepts: NAME KIND``): ``agency`` (a body of the gazetteer, given by its official name, a
short form such as 인천 or 인천시, a former name or its IRI; bound as its Korean official name), or
a SKOS concept scheme of ``ontology/vocab`` by its local name (``technology``, ``grade`` …: a
concept given by its code, its Korean or English label or an alternative label, in any case;
bound as its code, ``skos:notation``). An empty value matches anything and is left as it is. A
value that matches nothing — or more than one thing — is an :class:`InputError` saying what is
accepted.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache

from rdflib import URIRef
from rdflib.namespace import SKOS

from . import paths
from .errors import InputError
from .graphio import load_files
from .namespaces import VOCAB
from .queries import NamedQuery
from .resolve import Gazetteer, normalise

AGENCY = "agency"


@dataclass
class Concept:
    notation: str
    iri: str
    ko: str = ""
    en: str = ""
    alt: list[str] = field(default_factory=list)


def _key(text: str) -> str:
    return normalise(text).casefold()


@cache
def scheme(name: str) -> list[Concept]:
    """The concepts of the scheme ``VOCAB + name`` that have a code, by code."""
    graph, errors = load_files(paths.ontology_files())
    if errors:
        raise errors[0]
    out = []
    for iri in set(graph.subjects(SKOS.inScheme, URIRef(VOCAB + name))):
        notation = graph.value(iri, SKOS.notation)
        if notation is None:
            continue
        labels = {lab.language: str(lab) for lab in graph.objects(iri, SKOS.prefLabel)}
        out.append(Concept(str(notation), str(iri), labels.get("ko", ""), labels.get("en", ""),
                           sorted({str(a) for a in graph.objects(iri, SKOS.altLabel)})))
    return sorted(out, key=lambda c: c.notation)


@cache
def gazetteer() -> Gazetteer:
    return Gazetteer.load()


def resolve_concept(kind: str, value: str) -> str:
    """The code of the concept of scheme *kind* that *value* names (code, label, alternative label,
    any case); :class:`InputError` listing the accepted values otherwise."""
    concepts = scheme(kind)
    if not concepts:
        raise InputError(kind, "no such concept scheme in ontology/vocab")
    key = _key(value)
    for tier in (lambda c: [c.notation, c.iri], lambda c: [c.ko, c.en], lambda c: c.alt):
        hits = {c.notation for c in concepts if key in {_key(t) for t in tier(c) if t}}
        if len(hits) == 1:
            return hits.pop()
        if len(hits) > 1:
            raise InputError(value, f"names more than one {kind}: {', '.join(sorted(hits))}; give the code")
    raise InputError(value, f"matches no {kind}; accepted: " + "; ".join(describe_concept(c) for c in concepts))


def describe_concept(concept: Concept) -> str:
    return f"{concept.notation} ({' / '.join(x for x in (concept.ko, concept.en) if x)})"


def resolve_agency(value: str) -> str:
    """The Korean official name of the gazetteer body *value* names (official name, short form,
    former name or IRI); :class:`InputError` when it names none or several."""
    gaz = gazetteer()
    if value.startswith(("http://", "https://")):
        body = gaz.bodies.get(URIRef(value))
        if body is None:
            raise InputError(value, "is no body of the gazetteer (data/ttl/gazetteer.ttl)")
        return body.name
    hits = gaz.lookup(value)
    if len(hits) == 1:
        return gaz.bodies[hits[0]].name
    if hits:
        names = ", ".join(f"{gaz.bodies[h].name} ({h})" for h in hits[:12])
        raise InputError(value, f"names {len(hits)} bodies: {names}{' …' if len(hits) > 12 else ''}; "
                                "give the official name or the IRI")
    raise InputError(value, f"matches no body of the gazetteer ({len(gaz.bodies)} bodies): give an official "
                            "name (인천광역시, 서울특별시 관악구, 행정안전부), a short form (인천, 인천시, "
                            "서울 관악구, 행안부) or an IRI (https://w3id.org/adminkg/agency/28)")


def resolve(query: NamedQuery, values: dict[str, str] | None) -> dict[str, str]:
    """*values* with every parameter the query declares (``# accepts:``) resolved to the form the
    query compares; an empty value stays empty (it matches anything). The error names the
    parameter."""
    out = dict(values or {})
    for name, kind in query.accepts.items():
        value = out.get(name, query.params.get(name, "")).strip()
        if not value:
            continue
        try:
            out[name] = resolve_agency(value) if kind == AGENCY else resolve_concept(kind, value)
        except InputError as exc:
            raise InputError(f"{query.name}: --param {name}={value}", exc.problem) from exc
    return out


def accepted(query: NamedQuery, name: str) -> list[str]:
    """Lines saying what parameter *name* of *query* accepts (for ``adminkg queries NAME``)."""
    kind = query.accepts.get(name)
    if kind is None:
        return []
    if kind == AGENCY:
        return [f"a body of the gazetteer ({len(gazetteer().bodies)}): official name (인천광역시), short form "
                "(인천, 인천시), former name, or IRI (https://w3id.org/adminkg/agency/28)"]
    return [f"a {kind}, by code or Korean or English label, any case:"] + [
        f"  {describe_concept(c)}" for c in scheme(kind)]
