"""SHACL validation of adminkg graphs with pySHACL, and a report a person can read.

The shapes are ``ontology/shapes.ttl``; the ontology and vocabularies are given to pySHACL as
the ontology graph, so ``sh:targetClass`` reaches instances of subclasses and concepts referred to
by the data are visible. Only ``sh:Violation`` results make a graph non-conforming; warnings are
reported and do not fail.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from pyshacl import validate as shacl_validate
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF, RDFS, SKOS

from . import paths
from .errors import InputError
from .graphio import load_files
from .namespaces import SH, bind_prefixes

SEVERITY_ORDER = {SH.Violation: 0, SH.Warning: 1, SH.Info: 2}


@dataclass(frozen=True)
class Result:
    """One SHACL validation result."""

    severity: URIRef
    focus: object
    component: URIRef
    path: object | None
    value: object | None
    source_shape: object
    messages: tuple[Literal, ...]

    def message(self, lang: str = "en") -> str:
        for m in self.messages:
            if m.language == lang:
                return str(m)
        return str(self.messages[0]) if self.messages else ""


@dataclass
class Report:
    """What :func:`validate` returns: results ordered by severity, focus node and component."""

    results: list[Result] = field(default_factory=list)
    load_errors: list[InputError] = field(default_factory=list)
    data: Graph | None = None

    @property
    def violation_count(self) -> int:
        return sum(r.severity == SH.Violation for r in self.results)

    @property
    def warning_count(self) -> int:
        return sum(r.severity == SH.Warning for r in self.results)

    @property
    def conforms(self) -> bool:
        """True when there is no sh:Violation (warnings allowed) and every input file loaded."""
        return self.violation_count == 0 and not self.load_errors


def shapes_graph() -> Graph:
    graph, errors = load_files([paths.SHAPES_FILE])
    if errors:
        raise errors[0]
    return graph


def ontology_graph() -> Graph:
    graph, errors = load_files(paths.ontology_files())
    if errors:
        raise errors[0]
    return graph


def validate_graph(data: Graph, *, shapes: Graph | None = None, ontology: Graph | None = None) -> Report:
    """Validate *data* against the adminkg shapes.

    The ontology and vocabularies (*ontology*, loaded when not given) are added to the data
    first, so class hierarchy and referenced concepts are visible — and are validated too.
    """
    shapes = shapes if shapes is not None else shapes_graph()
    ontology = ontology if ontology is not None else ontology_graph()
    merged = Graph()
    merged += ontology
    merged += data
    _conforms, results_graph, _text = shacl_validate(
        merged, shacl_graph=shapes, inference="none",
        allow_warnings=True, advanced=True, abort_on_first=False)
    results = []
    rg = results_graph
    # Only the report's own results: nested sh:detail results explain a parent result (sh:node)
    # and would count one failure twice.
    top = [node for report in rg.subjects(RDF.type, SH.ValidationReport) for node in rg.objects(report, SH.result)]
    for node in top:
        results.append(Result(
            severity=rg.value(node, SH.resultSeverity),
            focus=rg.value(node, SH.focusNode),
            component=rg.value(node, SH.sourceConstraintComponent),
            path=rg.value(node, SH.resultPath),
            value=rg.value(node, SH.value),
            source_shape=rg.value(node, SH.sourceShape),
            messages=tuple(sorted(rg.objects(node, SH.resultMessage), key=lambda m: (m.language or "", str(m)))),
        ))
    results.sort(key=lambda r: (SEVERITY_ORDER.get(r.severity, 9), str(r.focus), str(r.component), str(r.path)))
    return Report(results=results, data=merged)


def validate(files=None) -> Report:
    """Validate *files* (RDF files, or folders such as a build folder: their Turtle files), or by
    default the ontology, vocabularies and ``data/ttl``.

    Given files are validated together with the ontology, vocabularies and gazetteer, so a data
    file may refer to concepts, classes and gazetteer bodies without repeating them. A file that
    cannot be read is reported in ``Report.load_errors``; the others are still validated.
    """
    files = paths.expand_folders(files) if files else paths.data_files()
    given = {x.resolve() for x in files if x.exists()}
    reference = [f for f in [paths.GAZETTEER_TTL] if f.resolve() not in given]
    data, errors = load_files([*files, *reference])
    report = validate_graph(data)
    report.load_errors = errors
    return report


def _short(graph: Graph | None, term) -> str:
    if term is None:
        return "-"
    if isinstance(term, URIRef) and graph is not None:
        try:
            return graph.namespace_manager.normalizeUri(term)
        except Exception:
            return f"<{term}>"
    return repr(str(term)) if isinstance(term, Literal) else str(term)


def _label(graph: Graph | None, term, lang: str) -> str:
    if graph is None or not isinstance(term, URIRef):
        return ""
    labels = list(graph.objects(term, SKOS.prefLabel)) or list(graph.objects(term, RDFS.label))
    for label in labels:
        if label.language == lang:
            return f" ({label})"
    return f" ({labels[0]})" if labels else ""


def format_report(report: Report, *, lang: str = "en", limit: int = 200) -> str:
    """A human-readable report: one block per result, worst first, then a summary line."""
    g = bind_prefixes(report.data) if report.data is not None else None
    lines = []
    for err in report.load_errors:
        lines.append(f"ERROR  {err}")
    for r in report.results[:limit]:
        sev = _short(g, r.severity).split(":")[-1].upper()
        lines.append(f"{sev:<9} {_short(g, r.focus)}{_label(g, r.focus, lang)}")
        lines.append(f"          {r.message(lang)}")
        detail = f"path {_short(g, r.path)}" if r.path is not None else "node"
        if r.value is not None:
            detail += f", value {_short(g, r.value)}"
        lines.append(f"          {detail}; {_short(g, r.component)}")
    if len(report.results) > limit:
        lines.append(f"… {len(report.results) - limit} more result(s) not shown (use --limit)")
    verdict = "conforms" if report.conforms else "does NOT conform"
    lines.append(f"{verdict}: {report.violation_count} violation(s), {report.warning_count} warning(s)"
                 + (f", {len(report.load_errors)} unreadable file(s)" if report.load_errors else ""))
    return "\n".join(lines)
