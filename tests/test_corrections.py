"""A curator corrects any fact the review queue lists — an award's rank, grade, contest and year, a
department, a technology, a partner, a beneficiary group, a metric's value — and the correction
survives rebuilds; the value replaced stays on record, deprecated.

Documents: tests/fixtures/documents (their awards) and tests/fixtures/curation. Targets are read
from a first build's review queue, never assumed, so the tests hold whatever the model decides.
"""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import PROV, RDF, SKOS

from adminkg.build import build
from adminkg.curation import WIKIBASE, read_overrides
from adminkg.namespaces import AKG, OA, ORG, SCHEMA
from adminkg.review import review_queue
from adminkg.validate import validate

from .conftest import ROOT
from .test_curation import FIXTURES, write_decisions

DOCUMENTS = ROOT / "tests" / "fixtures" / "documents"
TECH = "https://w3id.org/adminkg/vocab/technology/"
GRADE = "https://w3id.org/adminkg/vocab/grade/"


@pytest.fixture(scope="module")
def first(tmp_path_factory):
    """The documents' first build and its whole review queue (as CSV rows)."""
    tmp = tmp_path_factory.mktemp("corrections")
    build([DOCUMENTS], tmp / "out", store=False)
    items = review_queue(tmp / "out", max_confidence=1, corpus=[DOCUMENTS])
    return tmp / "out", [{k: " ".join(v.split()) if k == "context" else v for k, v in i.__dict__.items()
                          if k != "context_start"} for i in items]


def pick(rows: list[dict], kind: str, **match) -> dict:
    found = [r for r in rows if r["kind"] == kind and r["quote"] and all(r[k] == v for k, v in match.items())]
    assert found, f"no {kind} in the queue"
    return found[0]


def decision_about(g: Graph, case: str, value, prop: URIRef | None = None) -> URIRef:
    found = [d for d in g.subjects(RDF.type, AKG.CuratorDecision)
             if (d, OA.hasBody, URIRef(case)) in g and (d, AKG.assertedValue, value) in g
             and (prop is None or (d, AKG.correctedProperty, prop) in g)]
    assert len(found) == 1, found
    return found[0]


def conforms(out: Path) -> None:
    report = validate([out / "cases.ttl"])
    assert report.conforms, [(str(r.focus), r.message("en")) for r in report.results[:5]]


def test_an_award_rank_corrected_survives_a_rebuild(first, tmp_path):
    out, rows = first
    row = pick(rows, "award")
    award = URIRef(row["value"])
    before = Graph().parse(out / "cases.ttl").value(award, AKG.rank)
    rank = 3 if before is None or before.toPython() != 3 else 2
    decisions = write_decisions(tmp_path / "awards.csv", [{**row, "action": "correct", "correction": f"rank={rank}",
                                                           "note": "the table says so"}])
    corpus = tmp_path / "corpus"  # the corpus changes between the builds: a document arrives
    shutil.copytree(DOCUMENTS, corpus)
    for attempt, docs in enumerate(([DOCUMENTS], [corpus, FIXTURES])):
        report = build(docs, tmp_path / f"out{attempt}", store=False, curation=[decisions])
        assert report.curation.as_dict()["applied"] == {"correct": 1} and not report.curation.stale
        g = Graph().parse(tmp_path / f"out{attempt}" / "cases.ttl")
        assert list(g.objects(award, AKG.rank)) == [Literal(rank)]
        decision = decision_about(g, row["case"], award, AKG.rank)
        assert g.value(decision, AKG.correctedValue) == Literal(rank)
        assert g.value(decision, WIKIBASE.rank) == WIKIBASE.DeprecatedRank
        assert str(g.value(decision, RDF.value)) == ("" if before is None else str(before))
    assert not [i for i in review_queue(tmp_path / "out1", max_confidence=1) if i.value == row["value"]]


def test_a_wrong_technology_corrected(first, tmp_path):
    out, rows = first
    row = pick(rows, "technology")
    right, code = ("drone", "DRONE") if row["value"] != TECH + "DRONE" else ("artificial intelligence", "AI")
    write_decisions(tmp_path / "tech.csv", [{**row, "action": "correct", "correction": right}])
    report = build([DOCUMENTS], tmp_path / "out", store=False, curation=[tmp_path / "tech.csv"])
    assert report.curation.as_dict()["applied"] == {"correct": 1}, report.curation.as_dict()
    g = Graph().parse(tmp_path / "out" / "cases.ttl")
    case, wrong = URIRef(row["case"]), URIRef(row["value"])
    assert (case, AKG.usesTechnology, URIRef(TECH + code)) in g and (case, AKG.usesTechnology, wrong) not in g
    assert not [e for e in g.subjects(AKG.assertedValue, wrong) if (e, RDF.type, AKG.Evidence) in g
                and (e, OA.hasBody, case) in g]                   # the evidence of the wrong value went
    decision = decision_about(g, row["case"], wrong)
    assert g.value(decision, AKG.correctedValue) == URIRef(TECH + code)
    assert g.value(decision, WIKIBASE.rank) == WIKIBASE.DeprecatedRank
    assert g.value(decision, RDF.value) is not None               # the wrong technology's name, on record


def test_every_other_kind_of_fact_corrected(first, tmp_path):
    out, rows = first
    g0 = Graph().parse(out / "cases.ttl")
    award_row = pick(rows, "award")
    award = URIRef(award_row["value"])
    grade = "excellence" if g0.value(award, AKG.grade) != URIRef(GRADE + "excellence") else "grand"
    department, partner = pick(rows, "department"), pick(rows, "partner")
    beneficiary, metric = pick(rows, "beneficiary"), pick(rows, "metric")
    ben = "children" if not beneficiary["value"].endswith("/children") else "elderly"
    path = write_decisions(tmp_path / "all.csv", [
        {**award_row, "action": "correct", "correction": f"grade={grade}; year=2024; contest=2024년 우리끼리 경진대회"},
        {**department, "action": "correct", "correction": "시험정보과"},
        {**partner, "action": "correct", "correction": "한국지능정보사회진흥원"},
        {**beneficiary, "action": "correct", "correction": ben},
        {**metric, "action": "correct", "correction": "1,234"},
        {**award_row, "action": "correct", "correction": "place=2"},           # line 7: not a field
        {**pick(rows, "technology"), "action": "correct", "correction": "망원경"},  # line 8: no such technology
    ])
    overrides, errors = read_overrides([path])
    assert [(e.path, "FIELD=VALUE" in e.problem) for e in errors] == [(f"{path}:7", True)]
    report = build([DOCUMENTS], tmp_path / "out", store=False, curation=[path])
    stale = {o.line: why for o, why in report.curation.stale}
    assert list(stale) == [8] and "names no concept" in stale[8], stale
    g = Graph().parse(tmp_path / "out" / "cases.ttl")
    contest = g.value(award, AKG.contest)                                    # the award moved to the contest
    assert str(g.value(contest, SCHEMA.name)) == "2024년 우리끼리 경진대회"
    assert g.value(contest, AKG.year) == Literal(2024)
    assert g.value(award, AKG.grade) == URIRef(GRADE + grade)
    for prop in (AKG.grade, AKG.contest, AKG.year):
        assert g.value(decision_about(g, award_row["case"], award, prop), WIKIBASE.rank) == WIKIBASE.DeprecatedRank
    case = URIRef(department["case"])
    units = list(g.objects(case, AKG.department))
    named = [u for u in units if str(g.value(u, SKOS.prefLabel)) == "시험정보과"]
    assert len(named) == 1 and g.value(named[0], ORG.unitOf) == g.value(case, AKG.leadAgency)
    assert URIRef(department["value"]) not in units
    case = URIRef(partner["case"])
    nia = URIRef("https://w3id.org/adminkg/agency/nia")
    assert (case, AKG.partner, nia) in g and (case, AKG.partner, URIRef(partner["value"])) not in g
    collaborations = [g.value(c, PROV.agent) for c in g.objects(case, AKG.collaboration)]
    assert nia in collaborations and URIRef(partner["value"]) not in collaborations
    case = URIRef(beneficiary["case"])
    assert (case, AKG.beneficiary, URIRef(f"https://w3id.org/adminkg/vocab/beneficiary/{ben}")) in g
    assert (case, AKG.beneficiary, URIRef(beneficiary["value"])) not in g
    metrics = [m for o in g.objects(URIRef(metric["case"]), AKG.outcome) for m in g.objects(o, AKG.metric)]
    assert Literal("1234", datatype=URIRef("http://www.w3.org/2001/XMLSchema#decimal")) in {
        g.value(m, SCHEMA.value) for m in metrics}
    conforms(tmp_path / "out")

