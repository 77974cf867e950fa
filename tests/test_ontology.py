"""The ontology, vocabularies and gazetteer: OWL 2 RL consistency, conformance to the shapes,
the technology codes of the specification, and Turtle that an independent parser accepts."""
from __future__ import annotations

import csv
import shutil
import subprocess

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import OWL, RDF, SKOS

from adminkg import paths
from adminkg.graphio import load_files
from adminkg.namespaces import AKG, TECH
from adminkg.validate import validate

from .conftest import ROOT

TECH_SCHEME = URIRef("https://w3id.org/adminkg/vocab/technology")


def owl_rl_problems(graph: Graph) -> list[str]:
    """Expand *graph* with the OWL 2 RL rules; return inconsistencies and owl:Nothing members."""
    owlrl = pytest.importorskip("owlrl")
    from owlrl.Namespaces import ERRNS

    owlrl.DeductiveClosure(owlrl.OWLRL_Semantics, axiomatic_triples=False, datatype_axioms=False).expand(graph)
    problems = [str(graph.value(e, ERRNS.error)) for e in graph.subjects(RDF.type, ERRNS.ErrorMessage)]
    problems += [f"{s} is an owl:Nothing" for s in graph.subjects(RDF.type, OWL.Nothing)]
    return problems


@pytest.fixture(scope="module")
def everything():
    graph, errors = load_files(paths.ontology_files() + [paths.GAZETTEER_TTL])
    assert not errors
    return graph


def test_owl_rl_consistent(everything):
    """Ontology + vocabularies + gazetteer (the extracted cases are checked by SHACL)."""
    graph = Graph()
    graph += everything
    assert owl_rl_problems(graph) == []


def test_owl_rl_check_can_fail(ontology):
    """Negative control: a body typed both central and local contradicts the disjointness axioms."""
    graph = Graph()
    graph += ontology
    bad = URIRef("http://example.org/both")
    graph.add((bad, RDF.type, AKG.CentralGovernmentBody))
    graph.add((bad, RDF.type, AKG.MetropolitanGovernment))
    assert owl_rl_problems(graph)


def test_default_graph_conforms():
    report = validate()
    assert report.conforms, [(str(r.focus), r.message("en")) for r in report.results[:10]]
    # in the gazetteer, the only warnings are the new 인천 districts whose codes are not confirmed yet
    gazetteer_warnings = {str(r.focus).rsplit("/", 1)[1] for r in report.results if "/agency/" in str(r.focus)}
    assert gazetteer_warnings == {"incheon-jemulpo-gu", "incheon-yeongjong-gu", "incheon-geomdan-gu"}


def test_every_specified_technology_code_is_a_concept(ontology, shared):
    with (shared / "spec" / "technologies.csv").open(encoding="utf-8") as fh:
        spec = list(csv.DictReader(fh))
    assert spec
    for row in spec:
        concept = TECH[row["code"]]
        assert (concept, SKOS.notation, Literal(row["code"])) in ontology, row["code"]
        assert (concept, SKOS.inScheme, TECH_SCHEME) in ontology
        assert (concept, SKOS.prefLabel, Literal(row["label_en"], lang="en")) in ontology, row["code"]
        ko = {str(label) for label in ontology.objects(concept, SKOS.prefLabel) if label.language == "ko"}
        assert ko, row["code"]


def test_technology_altlabels_match_the_usual_forms(ontology):
    def labels(code):
        return {str(x) for p in (SKOS.prefLabel, SKOS.altLabel) for x in ontology.objects(TECH[code], p)}

    assert {"AI", "인공지능"} <= labels("AI")
    assert {"IoT", "사물인터넷"} <= labels("IOT")
    assert "누리집" in labels("WEB")
    assert "알림톡" in labels("SMS")


def shipped_turtle() -> list:
    listed = subprocess.run(["git", "ls-files", "*.ttl"], cwd=ROOT, capture_output=True, text=True)
    files = [ROOT / f for f in listed.stdout.split()] if listed.returncode == 0 else []
    return files or sorted(ROOT.glob("ontology/**/*.ttl")) + paths.data_files()


@pytest.mark.parametrize("path", shipped_turtle(), ids=lambda p: str(p.relative_to(ROOT)))
def test_independent_parser_oxigraph(path):
    pyoxigraph = pytest.importorskip("pyoxigraph")
    with path.open("rb") as fh:
        triples = list(pyoxigraph.parse(fh, format=pyoxigraph.RdfFormat.TURTLE, base_iri="http://example.org/"))
    assert triples


@pytest.mark.skipif(shutil.which("rapper") is None, reason="rapper (Debian raptor2-utils) not installed")
@pytest.mark.parametrize("path", shipped_turtle(), ids=lambda p: str(p.relative_to(ROOT)))
def test_independent_parser_rapper(path):
    done = subprocess.run(["rapper", "-i", "turtle", "-c", str(path)], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
