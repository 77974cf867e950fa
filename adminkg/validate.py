"""SHACL validation of adminkg graphs, and a report a person can read.

The shapes are ``ontology/shapes.ttl``; the ontology and vocabularies are merged into the data
graph, so ``sh:targetClass`` and ``sh:class`` reach instances of subclasses (``rdfs:subClassOf`` in
the data graph, as SHACL defines it) and concepts referred to by the data are visible. Only
``sh:Violation`` results make a graph non-conforming; warnings are reported and do not fail.

Two engines give the same results (focus node, path, component, severity, value, source shape
and messages): pySHACL, and the Rust engine of the ``shacl`` wheel (:mod:`adminkg.shacl_rust`),
some thirty times faster. ``engine="auto"`` runs the Rust engine when it is installed and trusted
with every SHACL term the shapes use (a declared list), else pySHACL; the report says which ran.
"""
from __future__ import annotations

import functools
from dataclasses import dataclass, field
from importlib import metadata

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF, RDFS, SKOS

from . import paths, shacl_rust
from .errors import AdminKGError, InputError
from .graphio import load_files
from .namespaces import SH, bind_prefixes

ENGINES = ("auto", "rust", "pyshacl")
BLANK_DATA = "the data has blank nodes, which the Rust engine cannot report as the data's own"
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
    # The graph that was validated (data, ontology and vocabularies). None when the Rust engine read
    # the files itself (:func:`validate`): building an rdflib graph would cost more than validating.
    data: Graph | None = None
    engine: str = ""  # which engine ran, with its version ("rust (shacl 0.3.4)", "pyshacl 0.40.1")
    engine_reason: str = ""  # why "auto" chose it
    # skos:prefLabel (else rdfs:label) of the results' focus nodes, for :func:`format_report`
    labels: dict = field(default_factory=dict)

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


def choose_engine(shapes: Graph, engine: str = "auto") -> tuple[str, str]:
    """``("rust" | "pyshacl", why)``: the engine that runs *shapes* when *engine* is asked for.

    ``auto`` takes the Rust engine when the ``shacl`` wheel is installed and trusted with every
    SHACL term of *shapes* (:func:`adminkg.shacl_rust.untrusted`), else pySHACL. Asking for
    ``rust`` when it cannot run these shapes is an :class:`AdminKGError` that says why.
    """
    if engine not in ENGINES:
        raise AdminKGError(f"unknown SHACL engine {engine!r}: choose one of {', '.join(ENGINES)}")
    if engine == "pyshacl":
        return "pyshacl", "asked for"
    installed = shacl_rust.version()
    untrusted = shacl_rust.untrusted(shapes)
    if installed is None:
        why = f"the Rust engine (the {shacl_rust.DISTRIBUTION!r} wheel) is not installed"
    elif untrusted:
        why = f"the shapes use {', '.join(untrusted)}, which the Rust engine is not trusted with"
    else:
        return "rust", "asked for" if engine == "rust" else "installed and trusted with every term of the shapes"
    if engine == "rust":
        raise AdminKGError(f"--engine rust: {why}")
    return "pyshacl", why


@functools.cache
def _engine_name(engine: str) -> str:
    if engine == "rust":
        return f"rust ({shacl_rust.DISTRIBUTION} {shacl_rust.version()})"
    return f"pyshacl {metadata.version('pyshacl')}"


def _messages(shapes: Graph, shape) -> tuple[Literal, ...]:
    return tuple(sorted(shapes.objects(shape, SH.message), key=lambda m: (m.language or "", str(m))))


def _sorted(results: list[Result]) -> list[Result]:
    return sorted(results, key=lambda r: (SEVERITY_ORDER.get(r.severity, 9), str(r.focus), str(r.component),
                                          str(r.path), str(r.source_shape), str(r.value)))


def _labels_from_graph(graph: Graph, results: list[Result]) -> dict:
    out = {}
    for focus in {r.focus for r in results if isinstance(r.focus, URIRef)}:
        labels = tuple(graph.objects(focus, SKOS.prefLabel)) or tuple(graph.objects(focus, RDFS.label))
        if labels:
            out[focus] = labels
    return out


def _pyshacl_results(merged: Graph, shapes: Graph) -> list[Result]:
    from pyshacl import validate as shacl_validate

    _conforms, rg, _text = shacl_validate(
        merged, shacl_graph=shapes, inference="none",
        allow_warnings=True, advanced=True, abort_on_first=False)
    # Only the report's own results: nested sh:detail results explain a parent result (sh:node)
    # and would count one failure twice.
    top = [node for report in rg.subjects(RDF.type, SH.ValidationReport) for node in rg.objects(report, SH.result)]
    return [Result(
        severity=rg.value(node, SH.resultSeverity),
        focus=rg.value(node, SH.focusNode),
        component=rg.value(node, SH.sourceConstraintComponent),
        path=rg.value(node, SH.resultPath),
        value=rg.value(node, SH.value),
        source_shape=rg.value(node, SH.sourceShape),
        messages=tuple(sorted(rg.objects(node, SH.resultMessage), key=lambda m: (m.language or "", str(m)))),
    ) for node in top]


def _rust_results(compiled: shacl_rust.CompiledShapes, shapes: Graph, data_ntriples: bytes) -> list[Result]:
    return [Result(**r, messages=_messages(shapes, r["source_shape"])) for r in compiled.validate(data_ntriples)]


class Validator:
    """The shapes made ready once for one engine, to validate many graphs — such as one graph per
    document as a build produces them. Each :meth:`validate_graph` gives the same report as
    :func:`validate_graph` with the same shapes, ontology and engine."""

    def __init__(self, *, shapes: Graph | None = None, ontology: Graph | None = None, engine: str = "auto"):
        self.shapes = shapes if shapes is not None else shapes_graph()
        self._ontology = ontology
        self.asked = engine
        self.engine, self.reason = choose_engine(self.shapes, engine)
        self._compiled = shacl_rust.CompiledShapes(self.shapes) if self.engine == "rust" else None

    @property
    def ontology(self) -> Graph:
        """The ontology and vocabularies added to every graph (read when first needed)."""
        if self._ontology is None:
            self._ontology = ontology_graph()
        return self._ontology

    def _engine(self, blank) -> tuple[str, str]:
        """(engine, why) for data where *blank()* says whether it has blank nodes, which the Rust
        engine cannot report as the data's own: then pySHACL, or an error when Rust was asked for."""
        if self._compiled is not None and blank():
            if self.asked == "rust":
                raise AdminKGError(f"--engine rust: {BLANK_DATA}")
            return "pyshacl", BLANK_DATA
        return self.engine, self.reason

    def validate_graph(self, data: Graph) -> Report:
        """Validate *data* with the ontology and vocabularies added (they are validated too)."""
        merged = Graph()
        merged += self.ontology
        merged += data
        engine, reason = self._engine(lambda: shacl_rust.has_blank_nodes(merged))
        if engine == "rust":
            results = _rust_results(self._compiled, self.shapes, shacl_rust.ntriples(merged))
        else:
            results = _pyshacl_results(merged, self.shapes)
        results = _sorted(results)
        return Report(results=results, data=merged, engine=_engine_name(engine), engine_reason=reason,
                      labels=_labels_from_graph(merged, results))

    def validate_data(self, data: bytes) -> Report:
        """Validate the graph of N-Triples *data* as it is: nothing is added (the caller puts in the
        ontology, or the part of the reference data the shapes read). Data with a blank node goes to
        pySHACL, as in :meth:`validate_graph`. The report has no ``data`` graph."""
        engine, reason = self._engine(lambda: shacl_rust.ntriples_have_blank_nodes(data))
        if engine == "rust":
            results = _sorted(_rust_results(self._compiled, self.shapes, data))
            labels = _labels_from_ntriples(data, results)
        else:
            graph = Graph().parse(data=data.decode("utf-8"), format="nt")
            results = _sorted(_pyshacl_results(graph, self.shapes))
            labels = _labels_from_graph(graph, results)
        return Report(results=results, engine=_engine_name(engine), engine_reason=reason, labels=labels)

    def validate_ntriples(self, data: bytes) -> list[Result]:
        """Results for a whole graph given as N-Triples (the ontology included) without blank nodes.
        Rust engine only."""
        if self._compiled is None:
            raise AdminKGError("validate_ntriples needs the Rust engine")
        return _sorted(_rust_results(self._compiled, self.shapes, data))


def validate_graph(data: Graph, *, shapes: Graph | None = None, ontology: Graph | None = None,
                   engine: str = "auto") -> Report:
    """Validate *data* against the adminkg shapes (or *shapes*) with *engine* (see :data:`ENGINES`).

    The ontology and vocabularies (*ontology*, loaded when not given) are added to the data
    first, so class hierarchy and referenced concepts are visible — and are validated too.
    """
    return Validator(shapes=shapes, ontology=ontology, engine=engine).validate_graph(data)


def _oxigraph_load(files) -> tuple[list, list[InputError]]:
    """The triples of *files* as pyoxigraph terms (each once), and the files that could not be read.

    Oxigraph's parser reads Turtle, N-Triples and RDF/XML (its parser, not its store, which would
    rewrite ``"3"^^xsd:nonNegativeInteger`` as an ``xsd:integer``). Any other format, a missing file,
    or a file Oxigraph rejects is read by rdflib (:func:`adminkg.graphio.load_files`) exactly as
    pySHACL's run reads it, so both engines see the same triples and report the same unreadable files.
    """
    import pyoxigraph
    from rdflib.util import guess_format

    from .graphio import to_oxigraph

    formats = {"turtle": pyoxigraph.RdfFormat.TURTLE, "nt": pyoxigraph.RdfFormat.N_TRIPLES,
               "xml": pyoxigraph.RdfFormat.RDF_XML}
    triples: dict = {}
    errors = []
    for path in files:
        fmt = formats.get(guess_format(str(path)) or "turtle")
        if fmt is not None and path.is_file():
            try:
                parsed = list(pyoxigraph.parse(path.read_bytes(), format=fmt, base_iri=path.resolve().as_uri()))
            except (SyntaxError, ValueError, OSError):
                pass
            else:
                triples.update(dict.fromkeys(parsed))
                continue
        graph, errs = load_files([path])
        errors += errs
        try:
            triples.update(dict.fromkeys(pyoxigraph.Triple(*map(to_oxigraph, t)) for t in graph))
        except ValueError as exc:  # a term rdflib let through and Oxigraph refuses (a malformed IRI)
            errors.append(InputError(path, f"cannot be validated by the Rust engine: {exc}"))
    return list(triples), errors


def _labels_from_triples(triples: list, results: list[Result]) -> dict:
    focus = {str(r.focus) for r in results if isinstance(r.focus, URIRef)}
    props = (str(SKOS.prefLabel), str(RDFS.label))
    found: dict = {}
    for t in triples:
        if t.predicate.value in props and t.subject.value in focus:
            found.setdefault((t.predicate.value, t.subject.value), []).append(shacl_rust.from_oxigraph(t.object))
    out = {}
    for f in focus:
        labels = found.get((props[0], f)) or found.get((props[1], f))
        if labels:
            out[URIRef(f)] = tuple(labels)
    return out


def _labels_from_ntriples(data: bytes, results: list[Result]) -> dict:
    """:func:`_labels_from_triples` of N-Triples *data*, reading only the lines that can be labels."""
    if not results:
        return {}
    import pyoxigraph

    props = (f"<{SKOS.prefLabel}>".encode(), f"<{RDFS.label}>".encode())
    lines = b"\n".join(line for line in data.split(b"\n") if any(p in line for p in props))
    return _labels_from_triples(list(pyoxigraph.parse(lines, format=pyoxigraph.RdfFormat.N_TRIPLES)), results)


def validate(files=None, *, engine: str = "auto", shapes: Graph | None = None) -> Report:
    """Validate *files* (RDF files, or folders such as a build folder: their Turtle files), or by
    default the ontology, vocabularies and ``data/ttl``, with *engine* (see :data:`ENGINES`) and the
    adminkg shapes (or *shapes*).

    Given files are validated together with the ontology, vocabularies and gazetteer, so a data
    file may refer to concepts, classes and gazetteer bodies without repeating them. A file that
    cannot be read is reported in ``Report.load_errors``; the others are still validated.
    The Rust engine reads the files with Oxigraph rather than rdflib (the larger part of the time
    pySHACL takes), so its report has no ``data`` graph.
    """
    files = paths.expand_folders(files) if files else paths.data_files()
    given = {x.resolve() for x in files if x.exists()}
    reference = [f for f in [paths.GAZETTEER_TTL] if f.resolve() not in given]
    validator = Validator(shapes=shapes, engine=engine)
    if validator.engine == "pyshacl":
        data, errors = load_files([*files, *reference])
        report = validator.validate_graph(data)
        report.load_errors = errors
        return report
    triples, errors = _oxigraph_load([*paths.ontology_files(), *files, *reference])
    data_ntriples = shacl_rust.serialize(triples)
    if shacl_rust.ntriples_have_blank_nodes(data_ntriples):
        if engine == "rust":
            raise AdminKGError(f"--engine rust: {BLANK_DATA}")
        data, errors = load_files([*files, *reference])
        report = Validator(shapes=validator.shapes, ontology=validator.ontology, engine="pyshacl").validate_graph(data)
        report.load_errors, report.engine_reason = errors, BLANK_DATA
        return report
    results = validator.validate_ntriples(data_ntriples)
    return Report(results=results, load_errors=errors, engine=_engine_name("rust"),
                  engine_reason=validator.reason, labels=_labels_from_triples(triples, results))


def _short(graph: Graph | None, term) -> str:
    if term is None:
        return "-"
    if isinstance(term, URIRef) and graph is not None:
        try:
            return graph.namespace_manager.normalizeUri(term)
        except Exception:
            return f"<{term}>"
    return repr(str(term)) if isinstance(term, Literal) else str(term)


def _label(report: Report, term, lang: str) -> str:
    labels = report.labels.get(term, ())
    for label in labels:
        if label.language == lang:
            return f" ({label})"
    return f" ({labels[0]})" if labels else ""


def format_report(report: Report, *, lang: str = "en", limit: int = 200) -> str:
    """A human-readable report: one block per result, worst first, then which engine ran and a
    summary line."""
    g = bind_prefixes(Graph())
    lines = []
    for err in report.load_errors:
        lines.append(f"ERROR  {err}")
    for r in report.results[:limit]:
        sev = _short(g, r.severity).split(":")[-1].upper()
        lines.append(f"{sev:<9} {_short(g, r.focus)}{_label(report, r.focus, lang)}")
        lines.append(f"          {r.message(lang)}")
        detail = f"path {_short(g, r.path)}" if r.path is not None else "node"
        if r.value is not None:
            detail += f", value {_short(g, r.value)}"
        lines.append(f"          {detail}; {_short(g, r.component)}")
    if len(report.results) > limit:
        lines.append(f"… {len(report.results) - limit} more result(s) not shown (use --limit)")
    if report.engine:
        lines.append(f"engine: {report.engine} ({report.engine_reason})")
    verdict = "conforms" if report.conforms else "does NOT conform"
    lines.append(f"{verdict}: {report.violation_count} violation(s), {report.warning_count} warning(s)"
                 + (f", {len(report.load_errors)} unreadable file(s)" if report.load_errors else ""))
    return "\n".join(lines)
