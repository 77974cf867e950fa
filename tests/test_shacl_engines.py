"""The Rust SHACL engine and pySHACL give identical results — focus node, path, component, severity,
value, source shape and messages — on ``data/ttl`` and on a graph seeded with violations of every
shape; ``auto`` falls back to pySHACL where the Rust engine is not trusted, and says so.
"""
from __future__ import annotations

import re
from pathlib import Path

import pytest
from rdflib import BNode, Graph, Literal, URIRef

from adminkg import shacl_rust
from adminkg.errors import AdminKGError
from adminkg.namespaces import AKGSH, SH
from adminkg.validate import Validator, choose_engine, format_report, validate, validate_graph
from tests.conftest import run_cli

SHAPE_FIXTURES = Path(__file__).parent / "shapes"

pytestmark = pytest.mark.skipif(shacl_rust.version() is None, reason="the Rust SHACL engine is not installed")


def rows(report) -> list[tuple]:
    return sorted((r.focus, r.path, r.component, r.severity, r.value, r.source_shape, r.messages)
                  for r in report.results)


def test_identical_on_data_ttl(shapes):
    """`adminkg validate` of data/ttl (with the ontology and vocabularies) by each engine."""
    rust, py = validate(engine="rust", shapes=shapes), validate(engine="pyshacl", shapes=shapes)
    assert rust.engine.startswith("rust") and py.engine.startswith("pyshacl")
    assert rust.results, "data/ttl has warnings: an empty comparison would prove nothing"
    assert rows(rust) == rows(py)
    assert format_report(rust).replace(rust.engine, "") == format_report(py).replace(py.engine, "")


def _seeded() -> Graph:
    """Every fixture of tests/shapes (conforming and violating) in one graph, each file's example.org
    nodes renamed apart so that fixtures do not merge, and its blank nodes named (the Rust engine
    runs only data without blank nodes)."""
    graph = Graph()
    for path in sorted(SHAPE_FIXTURES.glob("*/*.ttl")):
        tag = f"http://example.org/{path.parent.name}/{path.stem}/"

        def rename(t, tag=tag):
            if isinstance(t, BNode):
                return URIRef(f"{tag}blank-{t}")
            return URIRef(str(t).replace("http://example.org/", tag)) if isinstance(t, URIRef) else t

        for triple in Graph().parse(path):
            graph.add(tuple(map(rename, triple)))
    return graph


def _belongs(source, shape, shapes) -> bool:
    return source == shape or (source, SH.node, shape) in shapes or source in set(shapes.objects(shape, SH.property))


def test_identical_on_a_graph_with_violations_of_every_shape(ontology, shapes):
    seeded = _seeded()
    assert not shacl_rust.has_blank_nodes(seeded)
    rust = validate_graph(seeded, shapes=shapes, ontology=ontology, engine="rust")
    py = validate_graph(seeded, shapes=shapes, ontology=ontology, engine="pyshacl")
    node_shapes = {s for s in shapes.subjects(None, SH.NodeShape) if str(s).startswith(str(AKGSH))}
    violated = {s for s in node_shapes if any(_belongs(r.source_shape, s, shapes) for r in py.results)}
    assert violated == node_shapes, f"shapes with no result: {sorted(node_shapes - violated)}"
    components = {r.component for r in py.results}
    assert {SH.OrConstraintComponent, SH.QualifiedMinCountConstraintComponent, SH.LessThanConstraintComponent,
            SH.DisjointConstraintComponent, SH.UniqueLangConstraintComponent} <= components
    assert rows(rust) == rows(py)
    assert format_report(rust).replace(rust.engine, "") == format_report(py).replace(py.engine, "")


def test_auto_runs_rust_on_the_adminkg_shapes(shapes):
    assert shacl_rust.untrusted(shapes) == []
    assert choose_engine(shapes)[0] == "rust"


def _with(shapes: Graph, *triples) -> Graph:
    g = Graph()
    g += shapes
    for t in triples:
        g.add(t)
    return g


@pytest.mark.parametrize("term", [SH.xone, SH.sparql, SH.closed, SH.qualifiedMaxCount, SH.equals])
def test_a_shape_with_an_untrusted_term_goes_to_pyshacl(shapes, ontology, term):
    changed = _with(shapes, (AKGSH.AwardShape, term, Literal(True)))
    engine, why = choose_engine(changed)
    assert engine == "pyshacl" and term.n3() in why
    with pytest.raises(AdminKGError, match="--engine rust"):
        choose_engine(changed, "rust")


def test_a_complex_path_goes_to_pyshacl(shapes):
    path = BNode()
    changed = _with(shapes, (AKGSH.KoreanPrefLabel, SH.path, path), (path, SH.inversePath, URIRef("urn:p")))
    changed.remove((AKGSH.KoreanPrefLabel, SH.path, None))
    changed.add((AKGSH.KoreanPrefLabel, SH.path, path))
    assert choose_engine(changed) == ("pyshacl", choose_engine(changed)[1])
    assert "complex path" in choose_engine(changed)[1]


def test_without_the_wheel_auto_is_pyshacl(shapes, monkeypatch):
    monkeypatch.setattr(shacl_rust, "version", lambda: None)
    engine, why = choose_engine(shapes)
    assert engine == "pyshacl" and "not installed" in why
    with pytest.raises(AdminKGError, match="not installed"):
        choose_engine(shapes, "rust")


def test_data_with_a_blank_node_goes_to_pyshacl(ontology, shapes):
    data = Graph().parse(data="""@prefix akg: <https://w3id.org/adminkg/ontology#> .
        [] a akg:Award ; akg:rank 0 .""", format="turtle")
    report = Validator(shapes=shapes, ontology=ontology).validate_graph(data)
    assert report.engine.startswith("pyshacl") and "blank nodes" in report.engine_reason
    assert any(isinstance(r.focus, BNode) and r.component == SH.MinInclusiveConstraintComponent
               for r in report.results)
    with pytest.raises(AdminKGError, match="blank nodes"):
        Validator(shapes=shapes, ontology=ontology, engine="rust").validate_graph(data)


def test_the_command_says_which_engine_ran(tmp_path):
    bad = SHAPE_FIXTURES / "AwardShape" / "bad-rank-zero.ttl"
    done = run_cli("validate", "--engine", "rust", str(bad))
    assert done.returncode == 1, done.stderr
    assert re.search(r"^engine: rust \(shacl [0-9.]+\) \(asked for\)$", done.stdout, re.M)
    assert "sh:MinInclusiveConstraintComponent" in done.stdout
    done = run_cli("validate", "--engine", "nope", str(bad))
    assert done.returncode == 2 and "--engine" in done.stderr
