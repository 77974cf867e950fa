"""Namespaces of the vocabularies adminkg uses, and the IRIs it mints.

Ontology terms live in a fixed namespace (``akg:``). Resources (agencies, events, cases …) are
minted under one configurable base, ``https://w3id.org/adminkg/`` by default; the files shipped
in ``data/ttl`` use the default and :func:`rebase` moves a graph to another base.
"""
from __future__ import annotations

from rdflib import Graph, Namespace, URIRef
from rdflib.namespace import DCTERMS, OWL, PROV, RDF, RDFS, SKOS, XSD

DEFAULT_BASE = "https://w3id.org/adminkg/"

AKG = Namespace("https://w3id.org/adminkg/ontology#")
AKGSH = Namespace("https://w3id.org/adminkg/shapes#")
ORG = Namespace("http://www.w3.org/ns/org#")
SCHEMA = Namespace("https://schema.org/")
OA = Namespace("http://www.w3.org/ns/oa#")
GEO = Namespace("http://www.w3.org/2003/01/geo/wgs84_pos#")
SPDX = Namespace("http://spdx.org/rdf/terms#")
VOID = Namespace("http://rdfs.org/ns/void#")
DCAT = Namespace("http://www.w3.org/ns/dcat#")
SH = Namespace("http://www.w3.org/ns/shacl#")

# Vocabulary schemes (fixed: part of the published vocabulary, not of the instance data).
VOCAB = Namespace("https://w3id.org/adminkg/vocab/")
TECH = Namespace(VOCAB + "technology/")
TECH_SCHEME = URIRef(VOCAB + "technology")  # the skos:ConceptScheme of the TECH concepts
ATYPE = Namespace(VOCAB + "agency-type/")

PREFIXES = {
    "akg": AKG, "akgsh": AKGSH, "org": ORG, "schema": SCHEMA, "oa": OA, "geo": GEO, "spdx": SPDX,
    "void": VOID, "dcat": DCAT, "sh": SH, "skos": SKOS, "dcterms": DCTERMS, "prov": PROV, "owl": OWL,
    "rdf": RDF, "rdfs": RDFS, "xsd": XSD, "tech": TECH, "atype": ATYPE, "vocab": VOCAB,
    "sector": VOCAB + "sector/", "collab": VOCAB + "collaboration/", "change": VOCAB + "change/",
    "grade": VOCAB + "grade/", "ben": VOCAB + "beneficiary/", "dom": VOCAB + "domain/",
}

# Kinds of minted resources: BASE + kind + "/" + id (also the Turtle prefixes of generated files).
MINTED_KINDS = ("agency", "event", "case", "document", "evidence", "org", "unit", "award", "contest", "dataset")


class Terms:
    """The terms of an rdflib namespace, each made once: ``Terms(AKG).Evidence == AKG.Evidence``.

    rdflib makes a new ``URIRef`` at every attribute look-up of a namespace (a Python call, and for
    the closed namespaces a check); an emitter that writes millions of triples looks its few terms up
    once through this instead.
    """

    def __init__(self, namespace):
        self._namespace = namespace

    def __getattr__(self, name: str):
        if name.startswith("__"):  # copy, pickle and the like ask for special names: not terms
            raise AttributeError(name)
        term = getattr(self._namespace, name)
        self.__dict__[name] = term  # found without __getattr__ from now on
        return term

    def __getitem__(self, name: str):
        return self._namespace[name]


class Minter:
    """Mints the IRIs of resources under one base: ``Minter(base).agency("11680")``."""

    def __init__(self, base: str = DEFAULT_BASE):
        if not base.endswith(("/", "#")):
            base += "/"
        self.base = base

    def iri(self, kind: str, ident: str) -> URIRef:
        return URIRef(f"{self.base}{kind}/{ident}")

    def agency(self, ident: str) -> URIRef:
        return self.iri("agency", ident)

    def event(self, ident: str) -> URIRef:
        return self.iri("event", ident)

    def dataset(self, ident: str) -> URIRef:
        return self.iri("dataset", ident)


def bind_prefixes(graph: Graph, base: str = DEFAULT_BASE) -> Graph:
    """Bind the usual prefixes (and ``agency:`` / ``event:`` under *base*) on *graph*."""
    for prefix, ns in PREFIXES.items():
        graph.bind(prefix, ns, override=True)
    minter = Minter(base)
    graph.bind("agency", minter.base + "agency/", override=True)
    graph.bind("event", minter.base + "event/", override=True)
    return graph


def rebase(graph: Graph, old: str = DEFAULT_BASE, new: str = DEFAULT_BASE) -> Graph:
    """Return a copy of *graph* with every IRI under resource base *old* moved under *new*.

    Ontology and vocabulary IRIs (``…/ontology#``, ``…/vocab/``, ``…/shapes#``) are not
    resources and are left alone.
    """
    if old == new:
        return graph
    fixed = (str(AKG), str(AKGSH), str(VOCAB), old + "ontology")

    def move(term):
        if isinstance(term, URIRef) and term.startswith(old) and not term.startswith(fixed):
            return URIRef(new + term[len(old):])
        return term

    out = Graph()
    for s, p, o in graph:
        out.add((move(s), p, move(o)))
    return bind_prefixes(out, new)
