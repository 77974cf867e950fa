"""Releases are frozen, dated and checksummed; the diff of two releases lists exactly the changes
planted between them, and its changeset turns the first graph into the second."""
from __future__ import annotations

import hashlib
import os
from pathlib import Path

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, OWL, PROV, RDF, SKOS

from adminkg.build import build
from adminkg.describe import check
from adminkg.namespaces import AKG, DCAT, SPDX
from adminkg.release import changeset_rdf, changeset_update, diff, format_diff, release

from .conftest import ROOT, run_cli

CASE = "https://w3id.org/adminkg/case/"
NEW_CASE = URIRef(CASE + "11680-planted")
NEW_ORG = URIRef("https://w3id.org/adminkg/org/planted")


@pytest.fixture(scope="module")
def planted(tmp_path_factory):
    """Graph A (a build of tests/fixtures/documents) and graph B: A with five planted changes."""
    tmp = tmp_path_factory.mktemp("release")
    build([ROOT / "tests" / "fixtures" / "documents"], tmp / "a", store=False)
    g = Graph().parse(tmp / "a" / "cases.ttl")
    cases = sorted(g.subjects(RDF.type, AKG.InnovationCase))
    gone = next(c for c in cases if (c, AKG.award, None) not in g)            # a case without awards leaves
    moved = next(c for c in cases if c != gone)                                # a case changes its lead agency
    award = sorted(g.subjects(RDF.type, AKG.Award))[0]                          # an award changes its rank
    for t in list(g.triples((gone, None, None))) + list(g.triples((None, None, gone))):
        g.remove(t)
    g.set((moved, AKG.leadAgency, URIRef("https://w3id.org/adminkg/agency/11680")))
    g.set((award, AKG.rank, Literal(9)))
    doc = next(g.subjects(RDF.type, AKG.SourceDocument))
    g.add((NEW_CASE, RDF.type, AKG.InnovationCase))                           # a case arrives …
    g.add((NEW_CASE, DCTERMS.title, Literal("심은 사례", lang="ko")))
    g.add((NEW_CASE, AKG.leadAgency, URIRef("https://w3id.org/adminkg/agency/11680")))
    g.add((NEW_CASE, PROV.wasDerivedFrom, doc))
    g.add((NEW_ORG, RDF.type, AKG.Company))                                   # … and a body
    g.add((NEW_ORG, SKOS.prefLabel, Literal("심은 주식회사", lang="ko")))
    g.add((NEW_ORG, AKG.fromGazetteer, Literal(False)))
    (tmp / "b").mkdir()
    g.serialize(tmp / "b" / "cases.ttl", format="turtle")
    return tmp, {"gone": str(gone), "moved": str(moved), "award": str(award)}


def test_the_diff_of_two_releases_lists_exactly_the_planted_changes(planted):
    tmp, p = planted
    out = tmp / "releases"
    first = release("1.0.0", data=tmp / "a", out=out, day="2026-11-01")
    assert first.previous is None and first.changes is None
    done = run_cli("release", "1.1.0", "--data", str(tmp / "b"), "--out", str(out), "--date", "2026-12-01")
    assert done.returncode == 0, done.stderr
    assert "since 1.0.0: cases +1 -1 ~1, agencies +1 -0 ~0, awards +0 -0 ~1" in done.stdout
    d = diff(out / "1.0.0", out / "1.1.0")
    found = {(c.kind, c.status, c.entity) for c in d.changes}
    assert found == {("case", "added", str(NEW_CASE)), ("case", "removed", p["gone"]), ("case", "changed", p["moved"]),
                     ("agency", "added", str(NEW_ORG)), ("award", "changed", p["award"])}
    moved = next(c for c in d.changes if c.entity == p["moved"])
    assert {k for k in moved.before if moved.before[k] != moved.after.get(k)} == {"leadAgency"}
    award = next(c for c in d.changes if c.entity == p["award"])
    assert award.after["rank"] == {"9"} and award.before["rank"] != {"9"}
    text = (out / "1.1.0" / "CHANGES.txt").read_text(encoding="utf-8")
    assert text == format_diff(diff(out / "1.0.0", out / "1.1.0", names=("1.0.0", "1.1.0")))
    assert f"+ {NEW_CASE}  심은 사례" in text and "leadAgency:" in text and "rank:" in text
    shown = run_cli("diff", str(out / "1.0.0"), str(out / "1.1.0"), "--changeset", str(tmp / "changes.ttl"))
    assert shown.returncode == 0 and "cases: 1 added, 1 removed, 1 changed" in shown.stdout
    assert "agencies: 1 added, 0 removed, 0 changed" in shown.stdout


def test_the_changeset_turns_the_first_graph_into_the_second(planted):
    tmp, _p = planted
    d = diff(tmp / "a", tmp / "b")
    a, b = Graph().parse(tmp / "a" / "cases.ttl"), Graph().parse(tmp / "b" / "cases.ttl")
    assert set(a) != set(b)
    a.update(changeset_update(d))
    assert set(a) == set(b)
    cs = Graph().parse(data=changeset_rdf(d, day="2026-12-01").decode("utf-8"), format="turtle")
    cs_node = next(cs.subjects(RDF.type, URIRef("http://purl.org/vocab/changeset/schema#ChangeSet")))
    additions = list(cs.objects(cs_node, URIRef("http://purl.org/vocab/changeset/schema#addition")))
    removals = list(cs.objects(cs_node, URIRef("http://purl.org/vocab/changeset/schema#removal")))
    assert (len(additions), len(removals)) == (len(d.added), len(d.removed))
    rebuilt = Graph().parse(tmp / "a" / "cases.ttl")
    for st in removals:
        rebuilt.remove((cs.value(st, RDF.subject), cs.value(st, RDF.predicate), cs.value(st, RDF.object)))
    for st in additions:
        rebuilt.add((cs.value(st, RDF.subject), cs.value(st, RDF.predicate), cs.value(st, RDF.object)))
    assert set(rebuilt) == set(b)


def test_a_release_is_frozen_dated_and_checksummed(planted, tmp_path):
    """One DCAT description (the export's dcat.ttl) carries the version and every file's checksum
    and size, conforms to the description shapes, and SHA256SUMS says the same."""
    tmp, _p = planted
    r = release("2026.1", data=tmp / "a", out=tmp_path, day="2026-12-07")
    folder = tmp_path / "2026.1"
    assert r.path == folder and (folder / "cases.ttl").read_bytes() == (tmp / "a" / "cases.ttl").read_bytes()
    assert (folder / "ontology" / "adminkg.ttl").exists() and r.dcat == folder / "lod" / "dcat.ttl"
    assert not list(folder.glob("*/release.ttl")) and not (folder / "release.ttl").exists()  # one description
    g = Graph().parse(r.dcat)
    node = URIRef("https://w3id.org/adminkg/id/dataset/adminkg/2026.1")
    assert g.value(node, OWL.versionIRI) == node and str(g.value(node, DCTERMS.issued)) == "2026-12-07"
    assert str(g.value(node, DCAT.version)) == "2026.1"
    assert g.value(node, DCAT.inSeries) == URIRef("https://w3id.org/adminkg/id/dataset/adminkg")
    url = "https://w3id.org/adminkg/releases/2026.1/"
    described = {}
    for dist in g.objects(node, DCAT.distribution):
        rel = str(g.value(dist, DCAT.downloadURL)).removeprefix(url)
        data = (folder / rel).read_bytes()
        assert str(g.value(g.value(dist, SPDX.checksum), SPDX.checksumValue)) == hashlib.sha256(data).hexdigest()
        assert int(g.value(dist, DCAT.byteSize)) == len(data)
        described[rel] = hashlib.sha256(data).hexdigest()
    assert {"cases.ttl", "ontology/adminkg.ttl", "lod/dumps/adminkg.ttl", "lod/dumps/adminkg.nt.gz"} <= set(described)
    check(Graph().parse(r.dcat) + Graph().parse(folder / "lod" / "void.ttl"))   # conforms to the shapes
    sums = dict(reversed(line.split("  ", 1)) for line in (folder / "SHA256SUMS").read_text(encoding="utf-8")
                .splitlines())
    assert {rel: sums[rel] for rel in described} == described and "lod/dcat.ttl" in sums
    for rel, sha in sums.items():
        assert hashlib.sha256((folder / rel).read_bytes()).hexdigest() == sha
    second = release("2026.2", data=tmp / "b", out=tmp_path, day="2026-12-08")
    g2 = Graph().parse(second.dcat)
    node2 = URIRef("https://w3id.org/adminkg/id/dataset/adminkg/2026.2")
    assert g2.value(node2, DCAT.previousVersion) == node
    assert any(str(u).endswith("/2026.2/CHANGES.txt") for u in g2.objects(None, DCAT.downloadURL))
    if os.geteuid() != 0:  # root writes through read-only bits
        assert not os.access(folder / "cases.ttl", os.W_OK)
    assert not (folder / "cases.ttl").stat().st_mode & 0o222
    again = run_cli("release", "2026.1", "--data", str(tmp / "b"), "--out", str(tmp_path))
    assert again.returncode == 2 and "frozen" in again.stderr
    assert (folder / "cases.ttl").read_bytes() == (tmp / "a" / "cases.ttl").read_bytes()
    bad = run_cli("release", "../escape", "--data", str(tmp / "a"), "--out", str(tmp_path))
    assert bad.returncode == 2 and "not a version" in bad.stderr
    missing = run_cli("diff", str(tmp_path / "2026.1"), str(tmp_path / "absent"))
    assert missing.returncode == 2 and "absent" in missing.stderr and "Traceback" not in missing.stderr
    assert not list(Path(tmp_path).glob(".*.tmp"))
