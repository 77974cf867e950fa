"""One document's RDF as a *trace*, and the merge of traces in the order of the files.

The emitter (:class:`adminkg.build.Emitter`) writes a document's triples into a sink. Written into a
:class:`Trace` (in a worker, one document at a time), they keep what the merge needs to give the
graph a one-process build gives:

* the triples written every time (a graph is a set: the same triple from two documents is one);
* *first-wins groups*: triples written only the first time a resource is met (a document's
  description, an organisation's or unit's labels, a case's title and lead agency, a contest's name
  and year), under a guard; a group may hold groups (a contest's organiser), met only when it is;
* *confidences*: an evidence's ``akg:confidence``, of which the highest wins;
* the cases it minted and what each IRI was made from (lead agency, title, place), so the merge can
  tell whether an earlier document told the same case (then the document is emitted again with the
  IRIs of the earlier cases, see :func:`adminkg.build.emit_document`).

Each triple travels as an *entry*: a key (a string that sorts like
:func:`adminkg.graphio.serialize_turtle` sorts triples) and the triple's N-Triples line. The merge
(:class:`Merge`) is set unions, first-wins look-ups and a maximum per evidence, in the order of the
files; its output is the N-Triples of the sorted, distinct entries, which Oxigraph turns into the
Turtle of :func:`adminkg.graphio.serialize_turtle` without building an rdflib graph.
"""
from __future__ import annotations

import re
from contextlib import contextmanager
from decimal import Decimal

import pyoxigraph
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import XSD

from .graphio import to_oxigraph
from .namespaces import AKG

FIELD, TERM = "\x00\x01", "\x00\x02"  # separators that sort below every character of a key
CASE_GUARD = "case\x1f"
CONFIDENCE = AKG.confidence
# In a key, the characters U+0000..U+000A (U+000A ends an entry's lines) are written as U+0001 and
# one more character, in their order: a key holds no U+0000 but its separators and no line break.
_LOW = re.compile("[\x00-\x0a]")
_ESCAPE = str.maketrans({c: "\x01" + chr(0x20 + c) for c in range(0x0B)})


def _escaped(text: str) -> str:
    return text.translate(_ESCAPE) if _LOW.search(text) else text


def _term_key(term) -> str:
    """The key of :func:`adminkg.graphio._sort_key` for one term, as a string that sorts the same."""
    if isinstance(term, URIRef):
        return f"0{FIELD}{_escaped(str(term))}{FIELD}{FIELD}"
    language = getattr(term, "language", None) or ""
    datatype = getattr(term, "datatype", None) or ""
    return f"1{FIELD}{_escaped(str(term))}{FIELD}{language}{FIELD}{_escaped(str(datatype))}"


def term(t) -> tuple[str, str]:
    """(sort key, N-Triples) of one term."""
    return _term_key(t), str(to_oxigraph(t))


def entry(triple, terms: dict | None = None) -> tuple[str, str]:
    """*triple* (rdflib terms) as an entry: (its sort key, its N-Triples line). *terms* keeps the
    IRIs already written (an IRI is written the same wherever it stands)."""
    keys, written = [], []
    for t in triple:
        done = terms.get(t) if terms is not None and isinstance(t, URIRef) else None
        if done is None:
            done = term(t)
            if terms is not None and isinstance(t, URIRef):
                terms[t] = done
        keys.append(done[0])
        written.append(done[1])
    return TERM.join(keys), f"{written[0]} {written[1]} {written[2]} ."


class GraphSink:
    """The emitter writes into an rdflib graph (what curation edits afterwards)."""

    def __init__(self, graph: Graph):
        self.g = graph

    def add(self, triple) -> None:
        self.g.add(triple)

    @contextmanager
    def first(self, guard: str, pattern):
        """Yields whether *pattern* is new to the graph: the group's triples are written only then."""
        yield pattern not in self.g

    def confidence(self, ev: URIRef, value: Decimal) -> None:
        old = self.g.value(ev, CONFIDENCE)
        if old is not None and old.toPython() >= value:
            return
        self.g.set((ev, CONFIDENCE, Literal(value, datatype=XSD.decimal)))


class Trace:
    """One document's emission as the merge needs it (see the module's docstring)."""

    def __init__(self):
        self.triples: set = set()
        self.groups: list = []       # [guard, triples, groups within]
        self._open: list = []
        self.confidences: dict[URIRef, Decimal] = {}
        self.cases: list[tuple[str, str, str, int, str]] = []  # agency, title, document node, place, IRI

    def add(self, triple) -> None:
        (self._open[-1][1] if self._open else self.triples).add(triple)

    @contextmanager
    def first(self, guard: str, pattern):
        """Always yields True: whether the group is new is for the merge to say."""
        group = [guard, set(), []]
        self._open.append(group)
        try:
            yield True
        finally:
            self._open.pop()
            (self._open[-1][2] if self._open else self.groups).append(group)

    def confidence(self, ev: URIRef, value: Decimal) -> None:
        old = self.confidences.get(ev)
        if old is None or value > old:
            self.confidences[ev] = value

    def case(self, agency: URIRef, title: str, doc_node: URIRef, index: int, iri: URIRef) -> None:
        self.cases.append((str(agency), title, str(doc_node), index, str(iri)))

    def finish(self, **counts) -> dict:
        """The trace as plain data to send between processes: each set of triples as one string of
        lines, key then N-Triples, sorted by key (one string is cheap to send; sorted runs are cheap
        to merge)."""
        terms: dict = {}

        def lines(triples) -> str:
            return "\n".join(f"{key}\n{line}" for key, line in sorted(entry(t, terms) for t in triples))

        def groups(items):
            return [(guard, lines(triples), groups(inner)) for guard, triples, inner in items]

        return {"triples": lines(self.triples), "groups": groups(self.groups),
                "confidences": {str(ev): (str(v), *entry((ev, CONFIDENCE, Literal(v, datatype=XSD.decimal)), terms))
                                for ev, v in self.confidences.items()},
                "cases": self.cases, **counts}


class Merge:
    """Traces merged in the order they are given: the graph of emitting their documents in that order.
    With *fresh*, the lines of the triples new to the merge are kept for :meth:`take_fresh` too (a
    store loaded while the build goes on)."""

    def __init__(self, *, fresh: bool = False):
        self.entries: dict[str, str] = {}  # key → line
        self.seen: set[str] = set()
        self.confidences: dict[str, tuple[Decimal, str, str]] = {}  # evidence → (value, key, line)
        self.cases = 0  # cases met first
        self.fresh: list[str] | None = [] if fresh else None  # strings of N-Triples lines
        self.fresh_count = 0

    def add(self, trace: dict) -> None:
        self._take(trace["triples"])
        self._groups(trace["groups"])
        for ev, (value, key, line) in trace["confidences"].items():
            value = Decimal(value)
            old = self.confidences.get(ev)
            if old is None or value > old[0]:
                self.confidences[ev] = (value, key, line)

    def _take(self, text: str) -> None:
        if not text:
            return
        parts = text.split("\n")
        self.entries.update(zip(parts[0::2], parts[1::2]))
        if self.fresh is not None:  # a triple loaded twice is one triple in the store
            self.fresh.append("\n".join(parts[1::2]))
            self.fresh_count += len(parts) // 2

    def _groups(self, groups) -> None:
        for guard, pairs, inner in groups:
            if guard in self.seen:
                continue
            self.seen.add(guard)
            if guard.startswith(CASE_GUARD):
                self.cases += 1
            self._take(pairs)
            self._groups(inner)

    def take_fresh(self, *, final: bool = False) -> bytes:
        """N-Triples of the triples merged since the last call; *final*: with the confidences (which
        only the last document can settle)."""
        lines, self.fresh, self.fresh_count = self.fresh, [], 0
        if final:
            lines += [line for _, _, line in self.confidences.values()]
        lines.append("")
        return "\n".join(lines).encode("utf-8")

    def ntriples(self) -> bytes:
        """The merged graph as N-Triples, in the order of :func:`adminkg.graphio.serialize_turtle`."""
        items = dict(self.entries)  # the confidences join a copy: more documents may still come
        items.update((key, line) for _, key, line in self.confidences.values())
        lines = list(map(items.__getitem__, sorted(items)))
        lines.append("")
        return "\n".join(lines).encode("utf-8")

    def graph(self) -> Graph:
        """The merged graph in rdflib (for curation, which edits it)."""
        return Graph(store="SimpleMemory").parse(data=self.ntriples().decode("utf-8"), format="nt")


def turtle_of_ntriples(data: bytes, prefixes: dict[str, str], header: bytes) -> bytes:
    """Turtle of sorted N-Triples *data*: the bytes :func:`adminkg.graphio.serialize_turtle` gives."""
    # our own N-Triples, written by Oxigraph: no need to check them again (twice as fast); streamed,
    # never a list (a million triple objects at once cost more than writing them)
    triples = pyoxigraph.parse(data, format=pyoxigraph.RdfFormat.N_TRIPLES, lenient=True)
    return header + pyoxigraph.serialize(triples, format=pyoxigraph.RdfFormat.TURTLE, prefixes=prefixes)


__all__ = ["GraphSink", "Merge", "Trace", "entry", "turtle_of_ntriples"]
