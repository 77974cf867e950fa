"""The Rust SHACL engine (the ``shacl`` wheel): which parts of SHACL it is trusted with, and running it.

The engine is trusted with a shapes graph only when every SHACL term the graph uses is in
:data:`TRUSTED` — a declared list, not a guess from failures. A term is listed only when the
W3C-format cases in ``tests/w3c-shacl`` that exercise it pass with this engine and
``tests/test_shacl_engines.py`` shows the engine's results identical to pySHACL's on the adminkg
shapes. Anything else (SPARQL-based constraints and targets, custom components, ``sh:xone``,
``sh:closed``, complex property paths, …) sends the run to pySHACL.

The engine relabels blank nodes and says nothing of which was which. Blank nodes of the shapes are
handed to it as IRIs under :data:`SKOLEM` and mapped back, so a result names the caller's own
(blank) property shape. Blank nodes of the data cannot be: written as IRIs they would change what
``sh:nodeKind``, ``sh:minLength`` and ``sh:pattern`` say of them (W3C core/property/nodeKind-001), so
data with a blank node is validated by pySHACL (:func:`has_blank_nodes`; adminkg's graphs have none).
"""
from __future__ import annotations

import re
from collections.abc import Iterable
from importlib import metadata

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import RDF, XSD

from .namespaces import SH

DISTRIBUTION = "shacl"  # the PyPI wheel (Rust, PyO3); an optional dependency, see pyproject.toml
SKOLEM = "urn:adminkg:bnode:"

# SHACL terms (predicates of the shapes graph, and the classes its nodes are typed with) that the
# engine runs exactly as pySHACL does. Value: the constraint component it drives, or "" for terms
# that are not constraints (targets, shape structure, severity, messages, annotations).
TRUSTED: dict[URIRef, str] = {
    # shape structure, targets, severity, messages, annotations
    RDF.type: "", SH.NodeShape: "", SH.PropertyShape: "", SH.property: "", SH.path: "",
    SH.targetClass: "", SH.targetObjectsOf: "", SH.targetSubjectsOf: "", SH.targetNode: "",
    SH.severity: "", SH.Violation: "", SH.Warning: "", SH.Info: "", SH.message: "",
    SH.name: "", SH.description: "", SH.order: "", SH.group: "",
    # value type
    SH["class"]: "ClassConstraintComponent", SH.datatype: "DatatypeConstraintComponent",
    SH.nodeKind: "NodeKindConstraintComponent",
    # cardinality
    SH.minCount: "MinCountConstraintComponent", SH.maxCount: "MaxCountConstraintComponent",
    # value range and string
    SH.minInclusive: "MinInclusiveConstraintComponent", SH.maxInclusive: "MaxInclusiveConstraintComponent",
    SH.minLength: "MinLengthConstraintComponent", SH.pattern: "PatternConstraintComponent",
    SH.languageIn: "LanguageInConstraintComponent", SH.uniqueLang: "UniqueLangConstraintComponent",
    # property pairs
    SH.lessThan: "LessThanConstraintComponent", SH.disjoint: "DisjointConstraintComponent",
    # logical and shape-based
    SH["or"]: "OrConstraintComponent", SH.node: "NodeConstraintComponent",
    SH.qualifiedValueShape: "QualifiedMinCountConstraintComponent",
    SH.qualifiedMinCount: "QualifiedMinCountConstraintComponent",
    # other
    SH.hasValue: "HasValueConstraintComponent", SH["in"]: "InConstraintComponent",
}
_SHAPE_TYPES = {SH.NodeShape, SH.PropertyShape}


def version() -> str | None:
    """The installed engine's version, or None when the wheel is not installed (or cannot load)."""
    try:
        import shacl  # noqa: F401
    except ImportError:
        return None
    return metadata.version(DISTRIBUTION)


def untrusted(shapes: Graph) -> list[str]:
    """The SHACL terms of *shapes* that the engine is not trusted with (sorted; empty: it may run them).

    Every predicate in the SHACL namespace, and every SHACL class a node is typed with, must be in
    :data:`TRUSTED`; a property path must be a plain predicate.
    """
    found = set()
    for _s, p, o in shapes:
        if str(p).startswith(str(SH)) and p not in TRUSTED:
            found.add(p)
        if p == RDF.type and str(o).startswith(str(SH)) and o not in TRUSTED:
            found.add(o)
        if p == SH.path and not isinstance(o, URIRef):
            found.add(f"{SH.path.n3()} with a complex path")
    return sorted(x.n3() if isinstance(x, URIRef) else x for x in found)


def skolem(term):
    import pyoxigraph

    if isinstance(term, BNode):
        return pyoxigraph.NamedNode(SKOLEM + str(term))
    from .graphio import to_oxigraph

    return to_oxigraph(term)


def serialize(triples: list) -> bytes:
    """N-Triples of pyoxigraph *triples*."""
    import pyoxigraph

    return pyoxigraph.serialize(triples, format=pyoxigraph.RdfFormat.N_TRIPLES)


def has_blank_nodes(triples: Iterable[tuple]) -> bool:
    """True when a subject or object of *triples* (rdflib or pyoxigraph terms) is a blank node."""
    import pyoxigraph

    blank = (BNode, pyoxigraph.BlankNode)
    for t in triples:
        s, o = (t.subject, t.object) if isinstance(t, pyoxigraph.Triple) else (t[0], t[2])
        if isinstance(s, blank) or isinstance(o, blank):
            return True
    return False


def ntriples_have_blank_nodes(data: bytes) -> bool:
    """True when N-Triples *data* may have a blank node: a line that starts with one, or one after an
    IRI (a literal that happens to hold "> _:" answers True too, which only costs a pySHACL run)."""
    return b"_:" in data and re.search(rb"(?m)(^|> )_:", data) is not None  # `in` first: far faster


def ntriples(triples: Iterable[tuple]) -> bytes:
    """N-Triples of rdflib *triples*, blank nodes written as IRIs under :data:`SKOLEM` (for shapes)."""
    import pyoxigraph

    return serialize([pyoxigraph.Triple(skolem(s), skolem(p), skolem(o)) for s, p, o in triples])


def from_oxigraph(term):
    import pyoxigraph

    if isinstance(term, pyoxigraph.NamedNode):
        return BNode(term.value[len(SKOLEM):]) if term.value.startswith(SKOLEM) else URIRef(term.value)
    if isinstance(term, pyoxigraph.BlankNode):
        return BNode(term.value)
    if term.language:
        return Literal(term.value, lang=term.language)
    if term.datatype.value == str(XSD.string):  # RDF 1.1: "x" is "x"^^xsd:string; rdflib writes it plain
        return Literal(term.value)
    return Literal(term.value, datatype=URIRef(term.datatype.value))


def _term(text: str | None):
    """The rdflib term of an N-Triples term the engine printed (IRIs under SKOLEM back to blank nodes)."""
    if text is None:
        return None
    import pyoxigraph

    if text.startswith("<") and text.endswith(">") and " " not in text:
        iri = text[1:-1]
        return BNode(iri[len(SKOLEM):]) if iri.startswith(SKOLEM) else URIRef(iri)
    triple = next(iter(pyoxigraph.parse(f"<urn:s> <urn:p> {text} .", format=pyoxigraph.RdfFormat.N_TRIPLES)))
    return from_oxigraph(triple.object)


class CompiledShapes:
    """A shapes graph compiled by the engine once, to validate many data graphs."""

    def __init__(self, shapes: Graph):
        import shacl

        self._compiled = shacl.Shapes.from_text(ntriples(shapes).decode("utf-8"), format="ntriples")

    def validate(self, data_ntriples: bytes) -> list[dict]:
        """Results of the data graph given as N-Triples (blank nodes skolemized as :func:`ntriples` does),
        in the caller's rdflib terms, as the fields of :class:`adminkg.validate.Result` but its
        messages (those come from the shapes)."""
        report = self._compiled.validate_text(data_ntriples.decode("utf-8"), format="ntriples", allow_warnings=True)
        return [{"severity": URIRef(r.severity_iri), "focus": _term(r.focus_node),
                 "component": URIRef(r.component_iri), "path": _term(r.path), "value": _term(r.value),
                 "source_shape": _term(r.source_shape)}
                for r in report.results]
