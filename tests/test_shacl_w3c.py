"""W3C SHACL core test-suite cases for the SHACL terms the adminkg shapes use, run with whichever
engine ``engine="auto"`` chooses (the Rust engine where it is trusted with the case's shapes) and
with pySHACL.

The cases in ``tests/w3c-shacl/core`` are copies of the W3C data-shapes test suite as pySHACL's
source distribution ships it (see the README there). Each file is a manifest of one ``sht:Validate``
entry: data graph, shapes graph and the expected report. Like the W3C harness, results are compared
as sets of (focus node, path, component, severity, source shape, value), and messages where the
expected report gives them.
"""
from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import Graph, Namespace
from rdflib.collection import Collection
from rdflib.namespace import RDF

from adminkg import shacl_rust
from adminkg.namespaces import SH
from adminkg.validate import validate_graph

HERE = Path(__file__).parent / "w3c-shacl"
MF = Namespace("http://www.w3.org/2001/sw/DataAccess/tests/test-manifest#")
SHT = Namespace("http://www.w3.org/ns/shacl-test#")
# Known gaps, as data: case → why it fails with every engine here.
XFAIL = {
    "core/property/uniqueLang-002": "pySHACL and the Rust engine both take sh:uniqueLang \"1\"^^xsd:boolean for true "
                                    "(the suite says only true activates it); the adminkg shapes write true",
}
CASES = sorted(p for p in HERE.rglob("*.ttl") if not p.stem.endswith(("-data", "-shapes")))


def _parse(path: Path) -> Graph:
    return Graph().parse(path, format="turtle", publicID=path.resolve().as_uri())


def _manifest_nodes(graph: Graph, manifest) -> set:
    """The manifest, its entries, their actions and expected reports with their results: the
    nodes reached from *manifest* through the manifest's own links (not through sh:focusNode or
    sh:value, which name data)."""
    links = (MF.entries, RDF.first, RDF.rest, MF.action, MF.result, SH.result)
    seen, todo = set(), [manifest]
    while todo:
        n = todo.pop()
        if n not in seen and n != RDF.nil:
            seen.add(n)
            todo += [o for p in links for o in graph.objects(n, p)]
    return seen


def load_case(path: Path):
    """(data graph, shapes graph, expected result tuples, whether messages are expected) of one case."""
    whole = _parse(path)
    manifest = next(whole.subjects(RDF.type, MF.Manifest))
    (entry,) = Collection(whole, whole.value(manifest, MF.entries))
    action, expected = whole.value(entry, MF.action), whole.value(entry, MF.result)
    # the expected report is no part of the shapes: drop it, and the manifest, before validating
    own = whole - Graph()
    for node in _manifest_nodes(whole, manifest):
        own.remove((node, None, None))

    def graph_of(iri):
        return own if str(iri) == path.resolve().as_uri() else _parse(path.parent / str(iri).rsplit("/", 1)[-1])

    data, shapes = graph_of(whole.value(action, SHT.dataGraph)), graph_of(whole.value(action, SHT.shapesGraph))
    with_messages = any(whole.triples((None, SH.resultMessage, None)))
    results = set()
    for r in whole.objects(expected, SH.result):
        results.add((whole.value(r, SH.focusNode), whole.value(r, SH.resultPath),
                     whole.value(r, SH.sourceConstraintComponent), whole.value(r, SH.resultSeverity),
                     whole.value(r, SH.sourceShape), whole.value(r, SH.value),
                     frozenset(whole.objects(r, SH.resultMessage)) if with_messages else None))
    return data, shapes, results, with_messages


def _ids(path: Path) -> str:
    return str(path.relative_to(HERE)).removesuffix(".ttl")


@pytest.mark.parametrize("engine", ["auto", "pyshacl"])
@pytest.mark.parametrize("path", CASES, ids=_ids)
def test_w3c_case(path, engine):
    if _ids(path) in XFAIL:
        pytest.xfail(XFAIL[_ids(path)])
    data, shapes, expected, with_messages = load_case(path)
    report = validate_graph(data, shapes=shapes, ontology=Graph(), engine=engine)
    found = {(r.focus, r.path, r.component, r.severity, r.source_shape, r.value,
              frozenset(r.messages) if with_messages else None) for r in report.results}
    assert found == expected
    if engine == "auto":
        trusted = (shacl_rust.version() is not None and not shacl_rust.untrusted(shapes)
                   and not shacl_rust.has_blank_nodes(data))
        assert report.engine.startswith("rust") == trusted, (report.engine, report.engine_reason)


def test_cases_are_there():
    assert len(CASES) >= 50, "the W3C cases are missing"


def test_every_trusted_constraint_is_run_by_the_rust_engine_in_some_case():
    """A term is in shacl_rust.TRUSTED only when W3C cases using it are run by the Rust engine."""
    covered = set()
    for path in CASES:
        data, shapes, _expected, _m = load_case(path)
        if not shacl_rust.untrusted(shapes) and not shacl_rust.has_blank_nodes(data):
            covered |= set(shapes.predicates()) | set(shapes.objects(None, RDF.type))
    constraints = {term for term, component in shacl_rust.TRUSTED.items() if component}
    assert constraints - covered == set()
