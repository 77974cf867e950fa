"""The analysis as RDF: network positions (centralities, constraint, community) and first-adopter
flags in their own named graph, with the run's provenance (PROV-O), so that SPARQL can filter by
them; and adding that graph to a build's store (``adminkg analyze --into DIR``).
"""
from __future__ import annotations

import hashlib
from datetime import datetime
from decimal import Decimal
from pathlib import Path

import pyoxigraph as ox
from rdflib.namespace import PROV, RDF, RDFS, XSD

from . import __version__
from .errors import InputError
from .graphio import atomic_write_bytes
from .namespaces import AKG, DEFAULT_BASE, PREFIXES, Minter

GRAPH = ox.NamedNode(DEFAULT_BASE + "analysis/graph")
SOFTWARE = ox.NamedNode(f"https://w3id.org/adminkg/software/adminkg/{__version__}")
MEASURES = {"degree": (AKG.degree, XSD.integer), "weighted_degree": (AKG.weightedDegree, XSD.decimal),
            "betweenness": (AKG.betweenness, XSD.decimal), "constraint": (AKG.constraint, XSD.decimal),
            "eigenvector": (AKG.eigenvectorCentrality, XSD.decimal), "community": (AKG.community, XSD.integer)}


def _key(*parts: str) -> str:
    return hashlib.sha1("\x1f".join(parts).encode()).hexdigest()[:12]


def _iri(term) -> ox.NamedNode:
    return ox.NamedNode(str(term))


def _typed(value, datatype) -> ox.Literal:
    """A literal of *datatype*; a decimal in plain notation (``0.000001``, never ``1e-06``)."""
    if datatype == XSD.decimal:
        text = format(Decimal(str(value)), "f")
    elif datatype == XSD.integer:
        text = str(int(float(value)))
    else:
        text = str(value)
    return ox.Literal(text, datatype=_iri(datatype))


def analysis_dataset(tables: dict[str, list[dict]], first_adopters: list[dict], concepts: dict[str, str], *,
                     started: datetime, ended: datetime, seed: int, min_confidence: float,
                     source: str) -> list[ox.Quad]:
    """The quads of the named graph :data:`GRAPH`: one ``akg:NetworkPosition`` per node and network
    of *tables* (network name → rows of :func:`adminkg.measures.node_table`) whose node is an IRI,
    the ``akg:firstAdopterOf`` flags, and the ``akg:AnalysisRun`` that generated them. Built in
    pyoxigraph (rdflib took a minute for the 750,000 quads of 76,000 positions)."""
    quads: list[ox.Quad] = []

    def add(s, p, o) -> None:
        quads.append(ox.Quad(s, _iri(p), o, GRAPH))

    run = ox.NamedNode(DEFAULT_BASE + "analysis/run/" + _key(started.isoformat(), str(seed), source))
    add(run, RDF.type, _iri(AKG.AnalysisRun))
    add(run, RDFS.label, ox.Literal(f"adminkg analyze {started.isoformat(timespec='seconds')}", language="en"))
    add(run, PROV.startedAtTime, _typed(started.isoformat(timespec="seconds"), XSD.dateTime))
    add(run, PROV.endedAtTime, _typed(ended.isoformat(timespec="seconds"), XSD.dateTime))
    add(run, PROV.wasAssociatedWith, SOFTWARE)
    add(run, AKG.seed, _typed(seed, XSD.integer))
    add(run, AKG.minConfidence, _typed(min_confidence, XSD.decimal))
    add(run, PROV.used, ox.Literal(source))
    add(GRAPH, PROV.wasGeneratedBy, run)
    position_type, measures = _iri(AKG.NetworkPosition), {c: (_iri(p), d) for c, (p, d) in MEASURES.items()}
    for network, rows in tables.items():
        name = ox.Literal(network)
        for row in rows:
            node = str(row["node"])
            if not node.startswith(("http://", "https://")):
                continue  # technologies are named by their notation: positions are written for organisations
            pos = ox.NamedNode(DEFAULT_BASE + f"analysis/position/{network}/{_key(node)}")
            add(pos, RDF.type, position_type)
            add(pos, PROV.agent, ox.NamedNode(node))
            add(pos, AKG.network, name)
            add(pos, PROV.wasGeneratedBy, run)
            for column, (prop, datatype) in measures.items():
                value = row.get(column)
                if value is not None and value != "":
                    quads.append(ox.Quad(pos, prop, _typed(value, datatype), GRAPH))
    seen = set()
    for row in first_adopters:
        concept = concepts.get(row["technology"])
        for agency in filter(None, row["first_adopter_iris"].split("|")):
            if concept and (agency, concept) not in seen:
                seen.add((agency, concept))
                add(ox.NamedNode(agency), AKG.firstAdopterOf, ox.NamedNode(concept))
    return quads


def write_dataset(quads: list[ox.Quad], path: Path) -> Path:
    """Write *quads* as TriG with the usual prefixes (atomically)."""
    prefixes = {p: str(PREFIXES[p]) for p in ("akg", "prov", "rdf", "rdfs", "xsd", "tech")}
    prefixes["agency"] = Minter(DEFAULT_BASE).base + "agency/"
    atomic_write_bytes(path, ox.serialize(quads, format=ox.RdfFormat.TRIG, prefixes=prefixes))
    return path


def add_to_store(trig: Path, folder: Path) -> Path:
    """Replace the analysis graph in the store of the build *folder* by the one in *trig*."""
    store_dir = Path(folder) / "store"
    if not store_dir.is_dir():
        raise InputError(folder, "no store in this folder (adminkg build writes one; --into needs a build folder)")
    try:
        store = ox.Store(str(store_dir))
    except OSError as exc:
        raise InputError(store_dir, f"cannot open the store for writing: {exc}") from exc
    with open(trig, "rb") as fh:
        data = fh.read()

    if GRAPH in set(store.named_graphs()):
        store.remove_graph(GRAPH)
    store.load(data, format=ox.RdfFormat.TRIG)
    store.flush()
    del store
    return store_dir
