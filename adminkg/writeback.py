"""The analysis as RDF: network positions (centralities, constraint, community) and first-adopter
flags in their own named graph, with the run's provenance (PROV-O), so that SPARQL can filter by
them; and adding that graph to a build's store (``adminkg analyze --into DIR``).
"""
from __future__ import annotations

import hashlib
from datetime import datetime
from pathlib import Path

from rdflib import Dataset, Literal, URIRef
from rdflib.namespace import PROV, RDF, RDFS, XSD

from . import __version__
from .errors import InputError
from .graphio import atomic_write_bytes
from .namespaces import AKG, DEFAULT_BASE, bind_prefixes

GRAPH = URIRef(DEFAULT_BASE + "analysis/graph")
SOFTWARE = URIRef(f"https://w3id.org/adminkg/software/adminkg/{__version__}")
MEASURES = {"degree": (AKG.degree, XSD.integer), "weighted_degree": (AKG.weightedDegree, XSD.decimal),
            "betweenness": (AKG.betweenness, XSD.decimal), "constraint": (AKG.constraint, XSD.decimal),
            "eigenvector": (AKG.eigenvectorCentrality, XSD.decimal), "community": (AKG.community, XSD.integer)}


def _key(*parts: str) -> str:
    return hashlib.sha1("\x1f".join(parts).encode()).hexdigest()[:12]


def analysis_dataset(tables: dict[str, list[dict]], first_adopters: list[dict], concepts: dict[str, str], *,
                     started: datetime, ended: datetime, seed: int, min_confidence: float, source: str) -> Dataset:
    """The named graph :data:`GRAPH`: one ``akg:NetworkPosition`` per node and network of *tables*
    (network name → rows of :func:`adminkg.measures.node_table`) whose node is an IRI, the
    ``akg:firstAdopterOf`` flags, and the ``akg:AnalysisRun`` that generated them."""
    ds = Dataset()
    g = ds.graph(GRAPH)
    bind_prefixes(g)
    run = URIRef(DEFAULT_BASE + "analysis/run/" + _key(started.isoformat(), str(seed), source))
    g.add((run, RDF.type, AKG.AnalysisRun))
    g.add((run, RDFS.label, Literal(f"adminkg analyze {started.isoformat(timespec='seconds')}", lang="en")))
    g.add((run, PROV.startedAtTime, Literal(started.isoformat(timespec="seconds"), datatype=XSD.dateTime)))
    g.add((run, PROV.endedAtTime, Literal(ended.isoformat(timespec="seconds"), datatype=XSD.dateTime)))
    g.add((run, PROV.wasAssociatedWith, SOFTWARE))
    g.add((run, AKG.seed, Literal(seed, datatype=XSD.integer)))
    g.add((run, AKG.minConfidence, Literal(str(min_confidence), datatype=XSD.decimal)))
    g.add((run, PROV.used, Literal(source)))
    g.add((GRAPH, PROV.wasGeneratedBy, run))
    for network, rows in tables.items():
        for row in rows:
            node = str(row["node"])
            if not node.startswith(("http://", "https://")):
                continue  # technologies are named by their notation: positions are written for organisations
            pos = URIRef(DEFAULT_BASE + f"analysis/position/{network}/{_key(node)}")
            g.add((pos, RDF.type, AKG.NetworkPosition))
            g.add((pos, PROV.agent, URIRef(node)))
            g.add((pos, AKG.network, Literal(network)))
            g.add((pos, PROV.wasGeneratedBy, run))
            for column, (prop, datatype) in MEASURES.items():
                value = row.get(column)
                if value is not None and value != "":
                    g.add((pos, prop, Literal(value, datatype=datatype)))
    for row in first_adopters:
        concept = concepts.get(row["technology"])
        for agency in filter(None, row["first_adopter_iris"].split("|")):
            if concept:
                g.add((URIRef(agency), AKG.firstAdopterOf, URIRef(concept)))
    return ds


def write_dataset(ds: Dataset, path: Path) -> Path:
    """Write *ds* as TriG (atomically)."""
    atomic_write_bytes(path, ds.serialize(format="trig").encode("utf-8"))
    return path


def add_to_store(trig: Path, folder: Path) -> Path:
    """Replace the analysis graph in the store of the build *folder* by the one in *trig*."""
    import pyoxigraph

    store_dir = Path(folder) / "store"
    if not store_dir.is_dir():
        raise InputError(folder, "no store in this folder (adminkg build writes one; --into needs a build folder)")
    try:
        store = pyoxigraph.Store(str(store_dir))
    except OSError as exc:
        raise InputError(store_dir, f"cannot open the store for writing: {exc}") from exc
    graph = pyoxigraph.NamedNode(str(GRAPH))
    with open(trig, "rb") as fh:
        data = fh.read()

    if graph in set(store.named_graphs()):
        store.remove_graph(graph)
    store.load(data, format=pyoxigraph.RdfFormat.TRIG)
    store.flush()
    del store
    return store_dir
