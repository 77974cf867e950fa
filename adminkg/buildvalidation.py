"""Validation of a build as the build produces it (``adminkg build --validate``): each document's
triples where they are emitted, and what needs more than one document once, on the merged graph.

**The split** is declared in the shapes graph (``ontology/shapes.ttl``): a node shape with targets is
``akgsh:validationScope akgsh:PerDocument`` when no other document can add triples about its focus
nodes or about the nodes its constraints follow (``sh:class``, ``sh:node``…) — the focus nodes are
minted by one document (evidence, spans, selectors, metrics, outcomes, problems and the document
node: their IRIs hash the document node) and what they follow is the document's own or reference
data. Every other shape (``akgsh:CrossDocument``, or none declared) is validated once on the merged
graph: shared nodes (cases, organisations, units, contests, awards, collaborations) are described by
several documents, or by whichever document described them first (the first-wins groups of
:mod:`adminkg.emission`), and the reference data (ontology, vocabularies, gazetteer) is the same for
every document. :func:`split_shapes` cuts the shapes graph in two along the declarations.

**Per document** (:class:`DocumentCheck`, in the worker that emitted the document, the shapes compiled
once per process): the per-document shapes over the document's triples (its trace, as
:meth:`adminkg.emission.Trace.finish` gives it) with, of the reference data, the class hierarchy and
the triples of the reference nodes the document reaches within the shapes' reach (:func:`reach`).

**Across documents** (:meth:`BuildValidation.finish`, once): the cross-document shapes over the
reference data and the part of the merged graph they read — the nodes they target (instances of their
target classes, subjects and objects of their target properties), each with its triples and those of
the nodes within reach — not the whole graph.

Two cases make a document's own results differ from the merged graph's, and both are handled:

* its cases were told by an earlier document, so the merge emits it again with those cases' IRIs:
  the emission made then is checked (in this process) and its results replace the worker's;
* a file with the same bytes came earlier (the same document node, first-wins description, the
  same evidence IRIs): the later file's results are dropped, and its nodes — with every node whose
  constraints reach them — are validated again with the per-document shapes on the merged graph.

The combined results are those :func:`adminkg.validate.validate` gives on the build's output
(``tests/test_build_validation.py`` proves it).
"""
from __future__ import annotations

import io
import time
from collections import Counter
from contextlib import contextmanager
from dataclasses import dataclass

from rdflib import BNode, Graph, URIRef
from rdflib.collection import Collection
from rdflib.namespace import OWL, RDF, RDFS

from . import paths
from .errors import AdminKGError
from .graphio import to_oxigraph
from .namespaces import AKGSH, SH
from .validate import Report, Result, Validator, _oxigraph_load, _sorted, format_report, shapes_graph

SCOPE = AKGSH.validationScope
PER_DOCUMENT, CROSS_DOCUMENT = AKGSH.PerDocument, AKGSH.CrossDocument
SCOPES = (PER_DOCUMENT, CROSS_DOCUMENT)
TARGETS = (SH.targetClass, SH.targetNode, SH.targetObjectsOf, SH.targetSubjectsOf)
LISTS = (SH["and"], SH["or"], SH.xone)  # constraints whose value is a list of shapes
ON_NODE = (SH.node, SH["not"], *LISTS)  # shapes applied to the node itself
ON_VALUES = (*ON_NODE, SH.qualifiedValueShape)  # in a property shape: applied to each value
TYPE, SUBCLASS = f"<{RDF.type}>", f"<{RDFS.subClassOf}>"
VALIDATION_TXT = "validation.txt"


# -- the split ---------------------------------------------------------------------------------
def targeted(shapes: Graph) -> list:
    """The shapes of *shapes* that have targets (explicit ones, or an implicit class target), sorted."""
    found = {s for t in TARGETS for s in shapes.subjects(t, None)}
    found |= {s for s in shapes.subjects(RDF.type, SH.NodeShape)
              if (s, RDF.type, RDFS.Class) in shapes or (s, RDF.type, OWL.Class) in shapes}
    return sorted(found, key=str)


def scope_of(shapes: Graph, shape) -> URIRef:
    """The declared scope of *shape*: ``akgsh:PerDocument`` or ``akgsh:CrossDocument`` (the default)."""
    declared = set(shapes.objects(shape, SCOPE))
    if not declared:
        return CROSS_DOCUMENT
    if len(declared) > 1 or not declared <= set(SCOPES):
        raise AdminKGError(f"{paths.SHAPES_FILE}: {shape.n3()} declares {SCOPE.n3()} "
                           f"{', '.join(sorted(d.n3() for d in declared))}: give one of "
                           f"{', '.join(s.n3() for s in SCOPES)}")
    return next(iter(declared))


def _members(shapes: Graph, node, predicate):
    for value in shapes.objects(node, predicate):
        yield from (Collection(shapes, value) if predicate in LISTS else (value,))


def _reads(shapes: Graph, shape, seen: frozenset = frozenset()) -> int:
    """How far from the node a shape is applied to it reads triples: -1 the node's term alone, 0 the
    node's own triples (its values, its types), k the triples of nodes k steps away."""
    if shape in seen:  # a recursive shape: SHACL leaves it undefined, and adminkg has none
        return 0
    seen = seen | {shape}
    if (shape, SH.path, None) in shapes:  # a property shape: its values are among the node's triples
        value = 0 if (shape, SH["class"], None) in shapes else -1
        for predicate in ON_VALUES:
            for member in _members(shapes, shape, predicate):
                value = max(value, _reads(shapes, member, seen))
        return 1 + value if value >= 0 else 0
    depth = 0 if (shape, SH["class"], None) in shapes or (shape, SH.closed, None) in shapes else -1
    for member in shapes.objects(shape, SH.property):
        depth = max(depth, _reads(shapes, member, seen))
    for predicate in ON_NODE:
        for member in _members(shapes, shape, predicate):
            depth = max(depth, _reads(shapes, member, seen))
    return depth


def reach(shapes: Graph, roots) -> int:
    """How many steps from a focus node of *roots* the shapes read: 0 the focus node's triples
    alone, 1 those of its values too (the type of a value ``sh:class`` checks), and so on."""
    return max([0, *(_reads(shapes, r) for r in roots)])


def follows(part: Graph) -> frozenset | None:
    """The predicates along which the shapes of *part* read their values' triples (the paths of the
    property shapes that check a value's class or shape), as N-Triples terms; None when a path is not
    a plain predicate (then every predicate is followed)."""
    found = set()
    for shape, path in part.subject_objects(SH.path):
        if _reads(part, shape) > 0:
            if not isinstance(path, URIRef):
                return None
            found.add(f"<{path}>")
    return frozenset(found)


def _part(shapes: Graph, roots) -> Graph:
    """The triples of *roots* and of every shape, list and blank node they use, with the targets of
    *roots* only: a shape of the other part used here (``sh:node``) applies without its targets."""
    part = Graph()
    for prefix, ns in shapes.namespaces():
        part.bind(prefix, ns, override=True)
    own, seen, todo = set(roots), set(), list(roots)
    while todo:
        node = todo.pop()
        if node in seen:
            continue
        seen.add(node)
        for p, o in shapes.predicate_objects(node):
            if p in TARGETS and node not in own:
                continue
            part.add((node, p, o))
            if p not in (RDF.type, SCOPE) and (isinstance(o, BNode) or (o, None, None) in shapes):
                todo.append(o)
    return part


@dataclass(frozen=True)
class Split:
    """The shapes graph cut along its declared scopes (:func:`split_shapes`)."""

    shapes: Graph           # the whole
    document: Graph         # the per-document shapes and what they use
    cross: Graph            # the cross-document shapes and what they use
    document_roots: tuple
    cross_roots: tuple
    document_reach: int
    cross_reach: int
    document_follows: frozenset | None  # see :func:`follows`
    cross_follows: frozenset | None
    # what the cross-document shapes target, as N-Triples terms (to cut the merged graph)
    classes: frozenset
    nodes: frozenset
    subjects_of: frozenset
    objects_of: frozenset


def split_shapes(shapes: Graph | None = None) -> Split:
    """*shapes* (default: the adminkg shapes) in a per-document and a cross-document part."""
    shapes = shapes if shapes is not None else shapes_graph()
    roots = targeted(shapes)
    document = tuple(r for r in roots if scope_of(shapes, r) == PER_DOCUMENT)
    cross = tuple(r for r in roots if r not in document)

    def terms(predicate):
        return frozenset(str(to_oxigraph(o)) for r in cross for o in shapes.objects(r, predicate))

    implicit = frozenset(f"<{r}>" for r in cross if (r, SH.targetClass, None) not in shapes and isinstance(r, URIRef)
                         and ((r, RDF.type, RDFS.Class) in shapes or (r, RDF.type, OWL.Class) in shapes))
    document_part, cross_part = _part(shapes, document), _part(shapes, cross)
    return Split(shapes=shapes, document=document_part, cross=cross_part,
                 document_roots=document, cross_roots=cross,
                 document_reach=reach(shapes, document), cross_reach=reach(shapes, cross),
                 document_follows=follows(document_part), cross_follows=follows(cross_part),
                 classes=terms(SH.targetClass) | implicit, nodes=terms(SH.targetNode),
                 subjects_of=terms(SH.targetSubjectsOf), objects_of=terms(SH.targetObjectsOf))


# -- N-Triples lines ---------------------------------------------------------------------------
def _spo(line: str) -> tuple[str, str, str]:
    """Subject, predicate and object of an N-Triples line (``<s> <p> o .``; IRIs hold no space)."""
    i = line.index(" ")
    j = line.index(" ", i + 1)
    return line[:i], line[i + 1:j], line[j + 1:-2]


def trace_lines(trace: dict) -> list[str]:
    """The N-Triples lines of one document's emission (:meth:`adminkg.emission.Trace.finish`): its
    triples, every first-wins group as the document wrote it, and its confidences; each once."""
    out: list[str] = []

    def take(text: str) -> None:
        if text:
            out.extend(text.split("\n")[1::2])  # key, line, key, line, …

    def groups(items) -> None:
        for _guard, text, inner in items:
            take(text)
            groups(inner)

    take(trace["triples"])
    groups(trace["groups"])
    out += [line for _value, _key, line in trace["confidences"].values()]
    return list(dict.fromkeys(out))


def _term(term) -> str:
    return str(to_oxigraph(term))


class Reference:
    """The reference data a build's graph is validated with — the ontology, the vocabularies and the
    gazetteer, as :func:`adminkg.validate.validate` adds them — as N-Triples lines by subject."""

    def __init__(self, files=None):
        files = list(files) if files is not None else [*paths.ontology_files(), paths.GAZETTEER_TTL]
        triples, errors = _oxigraph_load(files)
        if errors:
            raise errors[0]
        self.lines = [f"{t} ." for t in triples]
        self.data = ("\n".join(self.lines) + "\n").encode("utf-8")
        self.by_subject: dict[str, list[str]] = {}
        for line in self.lines:
            self.by_subject.setdefault(_spo(line)[0], []).append(line)
        self.schema = [line for line in self.lines if _spo(line)[1] == SUBCLASS]

    def around(self, lines: list[str], steps: int, along: frozenset | None = None) -> list[str]:
        """The class hierarchy, and the triples of the reference nodes *lines* reach in at most *steps*
        steps along the predicates *along* (None: any but ``rdf:type``, whose classes need their
        hierarchy alone)."""
        out = list(self.schema)
        seen: set[str] = set()
        frontier = lines
        for _ in range(steps):
            reached = set()
            for line in frontier:
                _s, p, rest = line.split(" ", 2)
                if (p in along if along is not None else p != TYPE) and rest[:-2] in self.by_subject:
                    reached.add(rest[:-2])
            reached -= seen
            if not reached:
                break
            seen |= reached
            frontier = [line for node in sorted(reached) for line in self.by_subject[node]]
            out += frontier
        return out


# -- per document --------------------------------------------------------------------------------
class DocumentCheck:
    """The per-document shapes, made ready once per process (the Rust engine compiles them), checking
    each document's emission; :attr:`last` is the last (trace, results) checked in this process."""

    def __init__(self, split: Split, reference: Reference, *, engine: str = "auto"):
        self.split, self.reference, self.engine = split, reference, engine
        self.validator = Validator(shapes=split.document, ontology=Graph(), engine=engine)
        self.last: tuple[dict, dict] | None = None

    @classmethod
    def make(cls, shapes: Graph | None = None, *, engine: str = "auto") -> DocumentCheck:
        """The check of the adminkg shapes (or *shapes*) with the reference data of ``adminkg validate``."""
        return cls(split_shapes(shapes), Reference(), engine=engine)

    def __call__(self, trace: dict) -> dict:
        """The results of one document's emission (:meth:`adminkg.emission.Trace.finish`'s dict), as
        plain data to send with the trace."""
        started = time.process_time()  # CPU seconds: what the check costs, whatever else runs
        lines = trace_lines(trace)
        if self.split.document_roots:
            data = lines + self.reference.around(lines, self.split.document_reach, self.split.document_follows)
            report = self.validator.validate_data(("\n".join(data) + "\n").encode("utf-8"))
        else:  # no shape is decided per document
            report = Report(engine="none", engine_reason="no per-document shape")
        checked = {"results": report.results, "labels": report.labels, "engine": report.engine,
                   "reason": report.engine_reason, "triples": len(lines),
                   "seconds": time.process_time() - started}
        self.last = (trace, checked)
        return checked


# -- across documents ---------------------------------------------------------------------------
def _triples(data: bytes):
    """(subject, predicate, object, line) of each line of N-Triples *data* (IRIs hold no space)."""
    for line in io.BytesIO(data):
        if len(line) > 4:
            s, p, rest = line.split(b" ", 2)
            yield s, p, rest[:-3], line  # rest: b"o .\n"


def _merged_triples(merged):
    """:func:`_triples` of the merged graph: N-Triples bytes, or a function giving them anew in chunks
    of whole lines each time it is called (a merge that streams from its runs: never all in memory)."""
    if not callable(merged):
        yield from _triples(merged)
        return
    for chunk in merged():
        yield from _triples(chunk if chunk.endswith(b"\n") else chunk + b"\n")


def _subclasses(classes: frozenset, schema_lines) -> set[bytes]:
    """*classes* and every class below them (``rdfs:subClassOf``, transitively)."""
    below: dict[bytes, set[bytes]] = {}
    for s, _p, o, _line in _triples(b"".join(schema_lines)):
        below.setdefault(o, set()).add(s)
    found = {c.encode("utf-8") for c in classes}
    todo = list(found)
    while todo:
        for sub in below.get(todo.pop(), ()):
            if sub not in found:
                found.add(sub)
                todo.append(sub)
    return found


@dataclass
class Cut:
    """The part of the merged graph the cross-document step validates."""

    data: bytes
    triples: int          # in data
    merged_triples: int   # in the merged graph
    again: set[bytes]     # nodes validated again with the per-document shapes


def cut(merged, split: Split, reference: Reference, again: set[bytes] = frozenset()) -> Cut:
    """The triples of *merged* (N-Triples, or a function giving them in chunks: :func:`_merged_triples`)
    the cross-document shapes read — those of their focus nodes and of the nodes within reach, and
    those of their target properties — and, for the nodes *again* and every node whose per-document
    constraints reach them, those the per-document shapes read. A pass over *merged* finds the focus
    nodes, one more per step of reach collects the triples."""
    if not callable(merged) and merged and not merged.endswith(b"\n"):
        merged += b"\n"  # every line ends with one (_triples)
    subclass, type_ = SUBCLASS.encode(), TYPE.encode()
    schema = [f"{line}\n".encode() for line in reference.schema]
    if callable(merged) or subclass in merged:
        schema += [line for _s, p, _o, line in _merged_triples(merged) if p == subclass]
    classes = _subclasses(split.classes, schema)
    nodes = {n.encode("utf-8") for n in split.nodes}
    subjects_of = {p.encode("utf-8") for p in split.subjects_of}
    objects_of = {p.encode("utf-8") for p in split.objects_of}
    kept: list[bytes] = []
    focus: set[bytes] = set()
    total = 0
    reverse = split.document_reach if again else 0  # steps back from `again`: who reads their triples
    back = None if split.document_follows is None else {p.encode() for p in split.document_follows}
    before, again = set(again), set(again)
    for s, p, o, line in _merged_triples(merged):
        total += 1
        if p == type_:
            if o in classes:
                focus.add(s)
        elif p in objects_of:
            kept.append(line)
            focus.add(o)
        elif p in subjects_of:
            focus.add(s)
        if s in nodes:
            focus.add(s)
        if reverse and o in before and (back is None or p in back):
            again.add(s)
    for _ in range(1, reverse):
        before = set(again)
        again.update(s for s, p, o, _line in _merged_triples(merged) if o in before and (back is None or p in back))
    steps = max(split.cross_reach, split.document_reach if again else 0)
    follows = [split.cross_follows, *([split.document_follows] if again else [])]
    along = None if None in follows else {p.encode("utf-8") for f in follows for p in f}
    frontier, described = focus | again, set()
    for _ in range(steps + 1):
        frontier -= described
        if not frontier:
            break
        described |= frontier
        reached: set[bytes] = set()
        for s, p, o, line in _merged_triples(merged):
            if s in frontier:
                kept.append(line)
                if (p in along if along is not None else p != type_) and o[:1] == b"<":
                    reached.add(o)
        frontier = reached
    kept = list(dict.fromkeys(kept))
    return Cut(data=b"".join(kept), triples=len(kept), merged_triples=total, again=again)


@dataclass
class BuildValidationReport:
    """What a build's validation found (:meth:`BuildValidation.finish`)."""

    report: Report
    documents: int = 0            # documents validated where they were emitted
    emitted_again: int = 0        # of which emitted again by the merge, and checked then
    document_results: int = 0     # results found there (kept)
    document_seconds: float = 0.0  # CPU seconds spent there, summed over the processes
    again: int = 0                # nodes of files with the same bytes, validated again on the merged graph
    cross_results: int = 0
    cross_triples: int = 0        # of the merged graph, read by the cross-document step
    merged_triples: int = 0
    cross_seconds: float = 0.0
    whole: str = ""               # why the whole graph was validated instead (a curated build)

    @property
    def conforms(self) -> bool:
        return self.report.conforms

    def text(self) -> str:
        """:func:`adminkg.validate.format_report` with every result."""
        return format_report(self.report, limit=len(self.report.results))

    def summary(self) -> str:
        return self.text().splitlines()[-1]

    def as_dict(self) -> dict:
        return {"conforms": self.report.conforms, "violations": self.report.violation_count,
                "warnings": self.report.warning_count, "engine": self.report.engine,
                "per_document": {"documents": self.documents, "emitted_again": self.emitted_again,
                                 "results": self.document_results, "seconds": round(self.document_seconds, 2)},
                "cross_document": {"results": self.cross_results, "triples_read": self.cross_triples,
                                   "merged_triples": self.merged_triples, "validated_again": self.again,
                                   "seconds": round(self.cross_seconds, 2)},
                **({"whole_graph": self.whole} if self.whole else {})}


class BuildValidation:
    """The build's side: the results of each document as it is merged (:meth:`merging`), then the
    cross-document shapes once (:meth:`finish`)."""

    def __init__(self, check: DocumentCheck, *, gate: bool = False):
        self.check = check
        self.gate = gate  # the build writes nothing when the graph does not conform
        self.results: list[Result] = []
        self.labels: dict = {}
        self.engines: Counter = Counter()
        self.documents = 0
        self.emitted_again = 0  # documents the merge emitted again (checked here)
        self.seconds = 0.0
        self.described: set[str] = set()  # document nodes of the documents merged so far
        self.again: set[bytes] = set()    # nodes of later files with the same bytes

    @contextmanager
    def merging(self, trace: dict | None):
        """Around the merge of *trace* (a worker's emission; None for records emitted here, a table):
        takes the results of what was merged — the worker's, or those of the emission the merge made
        again in this process (an earlier document told its cases)."""
        self.check.last = None
        yield
        if self.check.last is not None and trace is not None:
            self.emitted_again += 1
        final, checked = self.check.last or (trace, trace["validation"])
        self.add(final, checked)

    def add(self, trace: dict, checked: dict) -> None:
        """Keep the results *checked* of the emission *trace*, as merged."""
        self.documents += 1
        self.seconds += checked["seconds"]
        self.engines[checked["engine"]] += 1
        nodes = set(trace["documents"].values())
        if nodes & self.described:  # a file with the same bytes came earlier
            self.again.update(_spo(line)[0].encode("utf-8") for line in trace_lines(trace))
        else:
            self.results += checked["results"]
            self.labels.update(checked["labels"])
        self.described |= nodes

    def finish(self, merged, *, curated: bool = False) -> BuildValidationReport:
        """The combined report: the documents' results and the cross-document step's on *merged* (the
        merged graph's N-Triples, or a function giving them in chunks, see :func:`cut`). *curated*:
        curation edited the graph after the documents were validated, so the whole of *merged* (bytes)
        is validated instead."""
        started = time.perf_counter()
        split, reference = self.check.split, self.check.reference
        if curated:
            whole = Validator(shapes=split.shapes, ontology=Graph(), engine=self.check.engine)
            report = whole.validate_data(reference.data + merged)
            report.engine_reason = f"{report.engine_reason}; the whole graph, as curation edited it"
            triples = merged.count(b"\n")
            return BuildValidationReport(report=report, documents=self.documents, emitted_again=self.emitted_again,
                                         document_seconds=self.seconds,
                                         cross_results=len(report.results), cross_triples=triples,
                                         merged_triples=triples, cross_seconds=time.perf_counter() - started,
                                         whole="curation edited the graph after its documents were validated")
        part = cut(merged, split, reference, self.again)
        data = reference.data + part.data
        cross = (Validator(shapes=split.cross, ontology=Graph(), engine=self.check.engine).validate_data(data)
                 if split.cross_roots else Report(engine="none", engine_reason="no cross-document shape"))
        results = [r for r in self.results if _term(r.focus).encode("utf-8") not in part.again]
        document_results = len(results)
        results += cross.results
        labels = {**self.labels, **cross.labels}
        engines = Counter(self.engines)
        engines[cross.engine] += 1
        if part.again:
            again = self.check.validator.validate_data(data)
            results += [r for r in again.results if _term(r.focus).encode("utf-8") in part.again]
            labels.update(again.labels)
            engines[again.engine] += 1
        results = _sorted(results)
        shown = {r.focus for r in results}
        labels = {f: v for f, v in labels.items() if f in shown}
        engine = " and ".join(sorted(engines)) or cross.engine
        why = (f"{self.documents} document(s) validated as they were emitted; the cross-document shapes once, on "
               f"{part.triples} of the merged graph's {part.merged_triples} triples with the reference data")
        if part.again:
            why += f"; {len(part.again)} node(s) of files with the same bytes again on the merged graph"
        report = Report(results=results, engine=engine, engine_reason=why, labels=labels)
        return BuildValidationReport(report=report, documents=self.documents, document_results=document_results,
                                     emitted_again=self.emitted_again, document_seconds=self.seconds,
                                     again=len(part.again), cross_results=len(results) - document_results,
                                     cross_triples=part.triples, merged_triples=part.merged_triples,
                                     cross_seconds=time.perf_counter() - started)


__all__ = ["BuildValidation", "BuildValidationReport", "CROSS_DOCUMENT", "DocumentCheck", "PER_DOCUMENT",
           "Reference", "SCOPE", "Split", "cut", "reach", "scope_of", "split_shapes", "targeted", "trace_lines"]
