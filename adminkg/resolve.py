"""Resolve the names people write (서울시 관악구, 인천 동구, 강원도, 안행부 …) to gazetteer bodies.

Every label of a body counts: its official name (skos:prefLabel), aliases (skos:altLabel) and
former official names (akg:formerName). A date narrows the answer to the bodies that existed
then, so a 2014 document's 전라북도 is the body now called 전북특별자치도, and its 안전행정부 is
the ministry of that name (2013–2014), not today's 행정안전부. A name of two or more words whose
first part names a parent body (광역 or 기초) is resolved inside that parent: 인천 동구 →
인천광역시 동구, 수원시 장안구 → the 일반구 of 수원시.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from rdflib import Graph, URIRef
from rdflib.namespace import SKOS

from . import paths
from .graphio import load_files
from .namespaces import AKG, ORG

_SQUASH = re.compile(r"[\s·ㆍ]+")


def normalise(name: str) -> str:
    """The lookup key of a name: no spaces or middle dots."""
    return _SQUASH.sub("", name or "")


@dataclass
class Body:
    iri: URIRef
    name: str
    parent: URIRef | None
    founded: date | None
    dissolved: date | None
    keys: set[str] = field(default_factory=set)

    def existed_on(self, day: date) -> bool:
        return (self.founded is None or self.founded <= day) and (self.dissolved is None or day < self.dissolved)


def _day(term) -> date | None:
    return date.fromisoformat(str(term)) if term is not None else None


class Gazetteer:
    """Name lookup over a gazetteer graph (see the module docstring)."""

    def __init__(self, graph: Graph):
        self.bodies: dict[URIRef, Body] = {}
        self.index: dict[str, set[URIRef]] = {}
        for iri in set(graph.subjects(AKG.fromGazetteer, None)):
            ko = [lab for lab in graph.objects(iri, SKOS.prefLabel) if lab.language == "ko"]
            parent = graph.value(iri, ORG.subOrganizationOf) or graph.value(iri, ORG.unitOf)
            body = Body(iri, str(ko[0]) if ko else "", parent,
                        _day(graph.value(iri, AKG.founded)), _day(graph.value(iri, AKG.dissolved)))
            for prop in (SKOS.prefLabel, SKOS.altLabel, AKG.formerName):
                for label in graph.objects(iri, prop):
                    body.keys.add(normalise(label))
            self.bodies[iri] = body
            for key in body.keys:
                self.index.setdefault(key, set()).add(iri)

    @classmethod
    def load(cls, path: Path | str = paths.GAZETTEER_TTL) -> Gazetteer:
        graph, errors = load_files([path])
        if errors:
            raise errors[0]
        return cls(graph)

    def _alive(self, iris, on: date | None) -> list[URIRef]:
        iris = sorted(iris)
        if on is not None:
            return [i for i in iris if self.bodies[i].existed_on(on)]
        current = [i for i in iris if self.bodies[i].dissolved is None]
        return current or iris

    def lookup(self, name: str, on: date | None = None) -> list[URIRef]:
        """Every body *name* may denote (on date *on*, when given); [] when none.

        More than one answer means the name is ambiguous (중구, 고성군): the caller decides by
        context.
        """
        hits = self._alive(self.index.get(normalise(name), ()), on)
        if hits:
            return hits
        words = (name or "").split()
        if len(words) > 4:
            return []
        for cut in range(len(words) - 1, 0, -1):
            parents = self._alive(self.index.get(normalise(" ".join(words[:cut])), ()), on)
            if not parents:
                continue
            children = self._alive(self.index.get(normalise(" ".join(words[cut:])), ()), on)
            inside = [c for c in children if self._within(c, set(parents))]
            if inside:
                return inside
        return []

    def _within(self, iri: URIRef, parents: set[URIRef]) -> bool:
        seen = set()
        parent = self.bodies[iri].parent
        while parent is not None and parent not in seen:
            if parent in parents:
                return True
            seen.add(parent)
            parent = self.bodies[parent].parent if parent in self.bodies else None
        return False

    def resolve(self, name: str, on: date | None = None) -> URIRef | None:
        """The one body *name* denotes, or None when it is unknown or ambiguous."""
        hits = self.lookup(name, on)
        return hits[0] if len(hits) == 1 else None


def edition_key(name: str, year: int | None) -> str:
    """What tells one contest from another: its name, normalised, and its year where the name
    carries none ("적극행정 우수사례" of 2023 and of 2025 are two editions, two contests)."""
    key = normalise(name)
    if key and year and str(year) not in name and f"{year % 100:02d}년" not in name:
        key += f"@{year}"
    return key
