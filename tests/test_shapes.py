"""Every SHACL shape has conforming and violating fixtures, and pySHACL reports exactly the
expected focus nodes and constraint components.

Fixtures live in ``tests/shapes/<ShapeName>/``: ``ok-*.ttl`` must produce no result at all;
``bad-*.ttl`` start with one ``# expect: FOCUS COMPONENT [PATH]`` line per expected result
(CURIEs with the prefixes of adminkg.namespaces plus ``ex:`` = http://example.org/), and the set
of results must be exactly those. Data is validated with the ontology and vocabularies mixed in,
as ``adminkg validate`` does.
"""
from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import Graph, URIRef

from adminkg.graphio import parse_into
from adminkg.namespaces import AKGSH, PREFIXES, SH
from adminkg.validate import validate_graph

HERE = Path(__file__).parent / "shapes"
CURIES = {**{k: str(v) for k, v in PREFIXES.items()}, "ex": "http://example.org/",
          "agency": "https://w3id.org/adminkg/agency/"}


def expand(curie: str) -> URIRef:
    if curie.startswith("<") and curie.endswith(">"):
        return URIRef(curie[1:-1])
    prefix, _, local = curie.partition(":")
    return URIRef(CURIES[prefix] + local)


def expectations(path: Path) -> set[tuple]:
    out = set()
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith("# expect:"):
            parts = line.split(":", 1)[1].split()
            focus, component = expand(parts[0]), expand(parts[1])
            out.add((focus, component, expand(parts[2]) if len(parts) > 2 else None))
    return out


def fixture_files(kind: str) -> list[Path]:
    return sorted(HERE.glob(f"*/{kind}-*.ttl"))


def _validate(path: Path, ontology, shapes):
    return validate_graph(parse_into(Graph(), path), shapes=shapes, ontology=ontology)


def _shape_dirs() -> set[str]:
    return {p.name for p in HERE.iterdir() if p.is_dir()}


def test_every_node_shape_has_ok_and_bad_fixtures(shapes):
    node_shapes = {str(s)[len(str(AKGSH)):] for s in shapes.subjects(None, SH.NodeShape)
                   if str(s).startswith(str(AKGSH))}
    missing_ok = {s for s in node_shapes if not list((HERE / s).glob("ok-*.ttl"))}
    missing_bad = {s for s in node_shapes if not list((HERE / s).glob("bad-*.ttl"))}
    assert not missing_ok, f"shapes without a conforming fixture: {sorted(missing_ok)}"
    assert not missing_bad, f"shapes without a violating fixture: {sorted(missing_bad)}"
    assert _shape_dirs() <= node_shapes, f"fixture folders naming no shape: {sorted(_shape_dirs() - node_shapes)}"


@pytest.mark.parametrize("path", fixture_files("ok"), ids=lambda p: f"{p.parent.name}/{p.name}")
def test_conforming_fixture(path, ontology, shapes):
    report = _validate(path, ontology, shapes)
    found = [(str(r.focus), str(r.component), str(r.path), r.message("en")) for r in report.results]
    assert found == [], f"{path.name} should conform"


@pytest.mark.parametrize("path", fixture_files("bad"), ids=lambda p: f"{p.parent.name}/{p.name}")
def test_violating_fixture(path, ontology, shapes):
    expected = expectations(path)
    assert expected, f"{path.name} has no '# expect:' line"
    report = _validate(path, ontology, shapes)
    found = {(r.focus, r.component, r.path if expected_has_path(expected, r) else None) for r in report.results}
    assert found == expected
    shape = AKGSH[path.parent.name]
    assert any(_belongs(r.source_shape, shape, shapes) for r in report.results), \
        f"no result comes from {path.parent.name}"


def expected_has_path(expected: set[tuple], result) -> bool:
    return any(f == result.focus and c == result.component and p is not None for f, c, p in expected)


def _belongs(source, shape, shapes) -> bool:
    """True when *source* is *shape*, one of its property shapes, or a shape that uses it by sh:node."""
    if source == shape or (source, SH.node, shape) in shapes:
        return True
    return source in set(shapes.objects(shape, SH.property))
