"""``adminkg build --validate``: each document's triples validated where they are emitted, the
cross-document shapes once on the merged graph — and the combined results identical (focus node,
path, component, severity, value, source shape, messages) to ``validate()`` of the build's output.

The corpus holds what makes a document's own view differ from the merged graph: the examples and
generated documents, a document whose case an earlier one told (the merge emits it again with that
case's IRI), a file with the same bytes as an earlier one (one document node, described by the
first), and a table whose first row repeats a document's case (its year is dropped: first wins) and
whose second row has a year out of range (a violation). The split of the shapes is checked against
the data: a per-document shape's focus nodes, and the nodes it follows, are described by one
document alone.
"""
from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from rdflib import Graph, URIRef
from rdflib.namespace import RDF, RDFS

from adminkg import buildvalidation as bv
from adminkg import paths, shacl_rust
from adminkg.build import build
from adminkg.emission import Trace
from adminkg.errors import AdminKGError
from adminkg.namespaces import AKG, AKGSH, SH
from adminkg.synthetic import generate
from adminkg.validate import format_report, validate

from .conftest import ROOT, run_cli

pytestmark = pytest.mark.skipif(shacl_rust.version() is None, reason="the Rust SHACL engine is not installed")

# Shapes of our own beside the adminkg ones, to provoke results in both parts: per document on the
# document node (a file name starting with z, no date), evidence (no value) and metrics; across
# documents on cases told twice (two sources) and organisations (a shape without a declared scope).
STRICT = """
@prefix sh: <http://www.w3.org/ns/shacl#> . @prefix akgsh: <https://w3id.org/adminkg/shapes#> .
@prefix t: <urn:test:> . @prefix akg: <https://w3id.org/adminkg/ontology#> .
@prefix dcterms: <http://purl.org/dc/terms/> . @prefix prov: <http://www.w3.org/ns/prov#> .
@prefix org: <http://www.w3.org/ns/org#> .
t:Doc a sh:NodeShape ; sh:targetClass akg:SourceDocument ; akgsh:validationScope akgsh:PerDocument ;
  sh:property [ sh:path akg:fileName ; sh:pattern "^[^z]" ; sh:message "no z"@en ] ;
  sh:property [ sh:path dcterms:date ; sh:minCount 1 ; sh:message "a date"@en ] .
t:Evidence a sh:NodeShape ; sh:targetClass akg:Evidence ; akgsh:validationScope akgsh:PerDocument ;
  sh:property [ sh:path akg:assertedValue ; sh:minCount 1 ; sh:severity sh:Warning ; sh:message "a value"@en ] .
t:Metric a sh:NodeShape ; sh:targetClass akg:Metric ; akgsh:validationScope akgsh:PerDocument ;
  sh:property [ sh:path akg:valueBefore ; sh:minCount 1 ; sh:message "a value before"@en ] .
t:Case a sh:NodeShape ; sh:targetClass akg:InnovationCase ; akgsh:validationScope akgsh:CrossDocument ;
  sh:property [ sh:path prov:wasDerivedFrom ; sh:maxCount 1 ; sh:message "one source"@en ] ;
  sh:property [ sh:path akg:year ; sh:minCount 1 ; sh:message "a year"@en ] .
t:Org a sh:NodeShape ; sh:targetClass org:Organization ;
  sh:property [ sh:path akg:agencyType ; sh:minCount 1 ; sh:message "a type"@en ] .
"""


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("validated")
    generated = generate(root / "synthetic", docs=12, seed=5)
    docs = root / "docs"
    shutil.copytree(ROOT / "examples" / "corpus", docs / "examples")
    shutil.copytree(generated, docs / "synthetic")
    folder = docs / "synthetic" / "0000"
    gold = json.loads((root / "synthetic" / "gold.json").read_text(encoding="utf-8"))
    # a single-practice release told again, its title longer: the merge gives it the earlier case
    single = next(d for d in gold if len(d["cases"]) == 1 and d["cases"][0]["metrics"] is not None
                  and f"'{d['cases'][0]['title']}'" in (folder / d["doc"]).read_text(encoding="utf-8"))
    case = single["cases"][0]
    text = (folder / single["doc"]).read_text(encoding="utf-8")
    (folder / "zz-again.txt").write_text(text.replace(case["title"], case["title"] + " 고도화"), encoding="utf-8")
    # the bytes of another document under another name (not in the manifest)
    other = next(d["doc"] for d in gold if d["doc"] != single["doc"])
    shutil.copyfile(folder / other, folder / "zz-copy.txt")
    (root / "table.csv").write_text(
        "agency,title,year\n"
        f"{case['agency']},{case['title']},1800\n"  # the document's case: its year is the document's
        "경기도 과천시,스마트 민원 안내 로봇,2200\n", encoding="utf-8")  # out of range: a violation
    return root


def rows(report) -> list[tuple]:
    return sorted((r.focus, r.path, r.component, r.severity, r.value, r.source_shape, r.messages)
                  for r in report.results)


@pytest.fixture(scope="module")
def strict(shapes) -> Graph:
    graph = Graph()
    graph += shapes
    graph.parse(data=STRICT, format="turtle")
    return graph


def _build(corpus: Path, out: Path, shapes: Graph, **kw):
    """A validated build, and the emissions it merged (document, as merged) in order."""
    merged = []
    add = bv.BuildValidation.add

    def keep(self, trace, checked):
        merged.append(trace)
        add(self, trace, checked)

    bv.BuildValidation.add = keep
    try:
        report = build([corpus / "docs"], out, tables=[corpus / "table.csv"], store=False, validate=True,
                       shapes=shapes, **kw)
    finally:
        bv.BuildValidation.add = add
    return report, merged


@pytest.fixture(scope="module")
def adminkg_build(corpus, shapes, tmp_path_factory):
    return _build(corpus, tmp_path_factory.mktemp("adminkg") / "out", shapes, jobs=1)


@pytest.fixture(scope="module")
def strict_build(corpus, strict, tmp_path_factory):
    out = tmp_path_factory.mktemp("strict") / "out"
    report, merged = _build(corpus, out, strict, jobs=1)
    return report, merged, out


def test_identical_to_validating_the_output_with_the_adminkg_shapes(adminkg_build, shapes):
    report, _ = adminkg_build
    whole = validate([Path(report.outputs["turtle"]).parent], shapes=shapes)
    checked = report.validation
    assert checked.report.violation_count == 1 and checked.report.warning_count >= 1  # the table's year 2200
    assert rows(checked.report) == rows(whole)
    assert checked.documents == report.documents and checked.emitted_again == 1 and checked.again > 0
    assert checked.cross_triples < checked.merged_triples / 2  # the cross-document step reads a part
    text = Path(report.outputs["validation"]).read_text(encoding="utf-8")
    assert text.replace(checked.report.engine, "").split("\nengine:")[0] == \
        format_report(whole, limit=len(whole.results)).split("\nengine:")[0]
    saved = json.loads(Path(report.outputs["report"]).read_text(encoding="utf-8"))["validation"]
    assert saved["violations"] == 1 and saved["conforms"] is False and saved["per_document"]["documents"] == 20


def test_identical_with_violations_per_document_and_across_documents(strict_build, strict):
    report, _, out = strict_build
    whole = validate([out], shapes=strict)
    checked = report.validation
    components = {r.component for r in whole.results}
    assert {SH.PatternConstraintComponent, SH.MinCountConstraintComponent, SH.MaxCountConstraintComponent,
            SH.MaxInclusiveConstraintComponent} <= components
    assert checked.document_results > 0 and checked.cross_results > 0
    # the duplicate file's own document node says "zz-copy.txt"; the merged graph keeps the first file's name
    assert not any(r.value is not None and str(r.value) == "zz-copy.txt" for r in whole.results)
    assert rows(checked.report) == rows(whole)


def test_a_shape_in_the_wrong_part_gives_other_results(corpus, strict, tmp_path):
    """Cases told by two documents: validated per document, "one source" is never broken."""
    wrong = Graph()
    wrong += strict
    wrong.set((URIRef("urn:test:Case"), bv.SCOPE, bv.PER_DOCUMENT))
    report, _ = _build(corpus, tmp_path / "out", wrong, jobs=1)
    assert rows(report.validation.report) != rows(validate([tmp_path / "out"], shapes=wrong))


def test_two_workers_and_the_cache_give_the_same_report(corpus, strict, strict_build, tmp_path):
    expected = (strict_build[2] / bv.VALIDATION_TXT).read_text(encoding="utf-8")
    out = tmp_path / "out"
    first, _ = _build(corpus, out, strict, jobs=2)
    again, _ = _build(corpus, out, strict, jobs=2)
    assert again.cache["reused"] == first.cache["extracted"] > 0
    for report in (first, again):
        assert Path(report.outputs["validation"]).read_text(encoding="utf-8") == expected


def test_pyshacl_checks_each_document_as_the_rust_engine_does(strict_build, strict):
    _, merged, _ = strict_build
    rust = bv.DocumentCheck.make(strict, engine="rust")
    py = bv.DocumentCheck(rust.split, rust.reference, engine="pyshacl")
    found = 0
    for trace in merged[:8]:
        a, b = rust(trace), py(trace)
        assert a["engine"].startswith("rust") and b["engine"].startswith("pyshacl")
        assert a["results"] == b["results"]
        found += len(a["results"])
    assert found


# -- the split -----------------------------------------------------------------------------------
def test_every_targeted_shape_declares_where_it_is_validated(shapes):
    undeclared = [s for s in bv.targeted(shapes) if not set(shapes.objects(s, bv.SCOPE))]
    assert not undeclared, f"declare akgsh:validationScope on {undeclared} (see ontology/shapes.ttl)"
    split = bv.split_shapes(shapes)
    assert split.document_roots and split.cross_roots
    assert AKGSH.EvidenceShape in split.document_roots and AKGSH.InnovationCaseShape in split.cross_roots
    assert split.document_reach == split.cross_reach == 1


def test_an_unknown_scope_is_named(shapes):
    wrong = Graph()
    wrong += shapes
    wrong.add((AKGSH.AwardShape, bv.SCOPE, AKGSH.Sometimes))
    with pytest.raises(AdminKGError, match="AwardShape"):
        bv.split_shapes(wrong)


def _classes(shapes, roots, reference: Graph) -> dict:
    """Root → its target classes and every class below them."""
    out = {}
    for root in roots:
        found, todo = set(), list(shapes.objects(root, SH.targetClass))
        while todo:
            c = todo.pop()
            if c not in found:
                found.add(c)
                todo += reference.subjects(RDFS.subClassOf, c)
        out[root] = found
    return out


def misplaced(shapes: Graph, merged: list[dict]) -> list[str]:
    """Why the per-document shapes of *shapes* could not be decided per document on the emissions
    *merged*: a focus node, or a node it follows, that another document or the reference data
    describes too. Files with the same bytes as an earlier one are left out (the build validates
    their nodes again on the merged graph)."""
    split = bv.split_shapes(shapes)
    reference = Graph()
    for f in [*paths.ontology_files(), paths.GAZETTEER_TTL]:
        reference.parse(f)
    described: dict[str, set[int]] = {}
    lines: dict[tuple[int, str], list] = {}
    seen: set[str] = set()
    for i, trace in enumerate(merged):
        nodes = set(trace["documents"].values())
        if nodes & seen:
            continue
        seen |= nodes
        for line in bv.trace_lines(trace):
            s, p, o = bv._spo(line)
            described.setdefault(s, set()).add(i)
            lines.setdefault((i, s), []).append((p, o))
    problems = []
    for root, classes in _classes(shapes, split.document_roots, reference).items():
        if any((root, t, None) in shapes for t in bv.TARGETS if t != SH.targetClass):
            problems.append(f"{root.n3()}: only targetClass is checked here; think its other targets through")
        problems += [f"{root.n3()}: the reference data has instances of {c.n3()}" for c in sorted(classes)
                     if (None, RDF.type, c) in reference]
        types = {f"<{c}>" for c in classes}
        for s, docs in described.items():
            if not any(p == bv.TYPE and o in types for d in docs for p, o in lines[(d, s)]):
                continue
            if len(docs) > 1:
                problems.append(f"{root.n3()}: {s} is described by {len(docs)} documents")
            if (URIRef(s[1:-1]), None, None) in reference:
                problems.append(f"{root.n3()}: {s} is described by the reference data")
            for d in docs:
                for p, o in lines[(d, s)]:
                    if split.document_follows is not None and p not in split.document_follows:
                        continue
                    if described.get(o, {d}) != {d}:
                        problems.append(f"{root.n3()}: {s} follows {p} to {o}, which another document describes")
    return problems


def test_per_document_shapes_read_what_one_document_alone_describes(adminkg_build, shapes):
    _, merged = adminkg_build
    assert misplaced(shapes, merged) == []


@pytest.mark.parametrize("shape", [AKGSH.InnovationCaseShape, AKGSH.OrganizationShape,
                                   AKGSH.OrganizationalUnitShape, AKGSH.ContestShape])
def test_a_shared_node_shape_marked_per_document_is_found(adminkg_build, shapes, shape):
    _, merged = adminkg_build
    wrong = Graph()
    wrong += shapes
    wrong.set((shape, bv.SCOPE, bv.PER_DOCUMENT))
    assert any(shape.n3() in problem for problem in misplaced(wrong, merged))


def test_trace_lines_are_every_triple_of_the_trace():
    ex = "https://example.org/"
    a, b, c = URIRef(ex + "a"), URIRef(ex + "b"), URIRef(ex + "c")
    trace = Trace()
    trace.add((a, RDF.type, AKG.Evidence))
    with trace.first("g", (b, RDF.type, None)):
        trace.add((b, RDF.type, AKG.Contest))
        with trace.first("h", (c, RDF.type, None)):
            trace.add((c, RDFS.label, AKG.x))
    from decimal import Decimal

    trace.confidence(a, Decimal("0.5"))
    got = Graph().parse(data="\n".join(bv.trace_lines(trace.finish())), format="nt")
    assert set(got) == {(a, RDF.type, AKG.Evidence), (b, RDF.type, AKG.Contest), (c, RDFS.label, AKG.x),
                        (a, AKG.confidence, got.value(a, AKG.confidence))}
    assert str(got.value(a, AKG.confidence)) == "0.5"


# -- the command -----------------------------------------------------------------------------------
def test_the_command_reports_writes_and_gates(corpus, tmp_path):
    out = tmp_path / "out"
    args = ["build", "--corpus", str(corpus / "docs"), "--table", str(corpus / "table.csv"), "--out", str(out),
            "--no-store", "--jobs", "1"]
    done = run_cli(*args, "--validate")
    assert done.returncode == 1, done.stderr
    assert done.stdout.splitlines()[-1].startswith("does NOT conform: 1 violation(s), ")
    text = (out / bv.VALIDATION_TXT).read_text(encoding="utf-8")
    assert "sh:MaxInclusiveConstraintComponent" in text and (out / "cases.ttl").exists()

    def state():
        ttl = (out / "cases.ttl").stat()
        return ttl.st_ino, ttl.st_mtime_ns, (out / bv.VALIDATION_TXT).read_text(encoding="utf-8")

    before = state()
    gated = run_cli(*args, "--gate")
    assert gated.returncode == 1 and "nothing was written" in gated.stdout and "does not conform" in gated.stderr
    assert "sh:MaxInclusiveConstraintComponent" in gated.stdout
    assert state() == before
    plain = run_cli(*args)
    assert plain.returncode == 0, plain.stderr
    assert not (out / bv.VALIDATION_TXT).exists() and "removed the validation report" in plain.stderr
