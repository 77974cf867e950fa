"""``adminkg info``: what a graph holds — triples, resources per class, vocabularies, bodies, sources."""
from __future__ import annotations

from dataclasses import dataclass, field

from rdflib import Graph

from . import paths
from .errors import InputError
from .graphio import load_files
from .namespaces import bind_prefixes
from .queries import get_query

SECTIONS = ("report-class-counts", "report-vocabularies", "report-agencies-by-type", "report-sources")


@dataclass
class Summary:
    """Triples and one table per report query: ``{name: (variables, rows)}``."""

    triples: int
    tables: dict[str, tuple[list[str], list[list[str]]]] = field(default_factory=dict)
    load_errors: list[InputError] = field(default_factory=list)


def _text(graph: Graph, term) -> str:
    if term is None:
        return ""
    try:
        return graph.namespace_manager.normalizeUri(term) if term.__class__.__name__ == "URIRef" else str(term)
    except Exception:
        return str(term)


def summarize(graph: Graph) -> Summary:
    """Run the report queries on *graph*."""
    bind_prefixes(graph)
    summary = Summary(triples=len(graph))
    for name in SECTIONS:
        result = graph.query(get_query(name).text)
        names = [str(v) for v in result.vars]
        rows = [[_text(graph, row[v]) for v in result.vars] for row in result]
        summary.tables[name] = (names, rows)
    return summary


def info(files=None) -> Summary:
    """Summarise *files* (RDF files, or folders such as a build folder: their Turtle files), or by
    default the ontology, vocabularies and ``data/ttl``."""
    graph, errors = load_files(paths.expand_folders(files) if files else paths.ontology_files() + paths.data_files())
    summary = summarize(graph)
    summary.load_errors = errors
    return summary
