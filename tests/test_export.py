"""`adminkg export` on a small graph of our own (tests/fixtures/lod) with the ontology,
vocabularies and gazetteer: every dump parses back with rdflib and an independent parser (rapper;
pyoxigraph for JSON-LD) with the same triple count, gzip is reproducible, the same graph gives the
same bytes, the VoID and DCAT descriptions conform to their shapes (and a broken one does not),
IRIs follow the documented patterns, a bad input file is named and the rest still exported, and
the output folder is replaced atomically."""
from __future__ import annotations

import gzip
import hashlib
import shutil
import subprocess
from pathlib import Path

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, RDF

from adminkg.describe import DQV, check
from adminkg.errors import InputError, ValidationFailed
from adminkg.export import export
from adminkg.lod import Iris, formats, negotiate
from adminkg.namespaces import DCAT, VOID

from .conftest import ROOT, run_cli

FIXTURE = ROOT / "tests" / "fixtures" / "lod"
RDFLIB = {"ttl": "turtle", "nt": "nt", "jsonld": "json-ld", "rdf": "xml"}
RAPPER = {"ttl": "turtle", "nt": "ntriples", "rdf": "rdfxml"}


@pytest.fixture(scope="module")
def exported(tmp_path_factory):
    out = tmp_path_factory.mktemp("export") / "site"
    out.mkdir()
    (out / "stale.txt").write_text("from an earlier export")
    report = export(FIXTURE, out)
    assert not report.errors
    return report


def _digests(folder: Path) -> dict[str, str]:
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.mark.parametrize("suffix", ["ttl", "nt", "jsonld", "rdf"])
def test_every_dump_parses_back_with_the_same_triple_count(exported, suffix):
    path = exported.out / "dumps" / f"adminkg.{suffix}"
    graph = Graph().parse(path, format=RDFLIB[suffix])
    assert len(graph) == exported.triples
    assert (URIRef("https://w3id.org/adminkg/id/case/41250-aaaaaaaaaaa1"),
            URIRef("https://w3id.org/adminkg/ontology#leadAgency"),
            URIRef("https://w3id.org/adminkg/id/agency/41250")) in graph
    assert gzip.decompress((path.parent / f"{path.name}.gz").read_bytes()) == path.read_bytes()


@pytest.mark.skipif(shutil.which("rapper") is None, reason="rapper (Debian raptor2-utils) not installed")
@pytest.mark.parametrize("suffix", ["ttl", "nt", "rdf"])
def test_rapper_counts_the_same_triples(exported, suffix):
    done = subprocess.run(["rapper", "-i", RAPPER[suffix], "-c", str(exported.out / "dumps" / f"adminkg.{suffix}")],
                          capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert f"returned {exported.triples} triples" in done.stderr


def test_jsonld_parses_with_oxigraph_too(exported):
    import pyoxigraph

    with open(exported.out / "dumps" / "adminkg.jsonld", "rb") as fh:
        assert len(list(pyoxigraph.parse(fh, format=pyoxigraph.RdfFormat.JSON_LD))) == exported.triples


def test_gzip_has_no_time_stamp_or_name(exported):
    head = (exported.out / "dumps" / "adminkg.ttl.gz").read_bytes()[:10]
    assert head[:3] == b"\x1f\x8b\x08" and head[3] == 0  # no FNAME flag
    assert head[4:8] == b"\0\0\0\0"                      # MTIME 0


def test_same_graph_gives_the_same_bytes(exported, tmp_path):
    again = export(FIXTURE, tmp_path / "again")
    first, second = _digests(exported.out), _digests(again.out)
    assert first.keys() == second.keys()
    assert [k for k in first if first[k] != second[k]] == []


def test_descriptions_conform_and_say_what_the_issue_asks(exported):
    void = Graph().parse(exported.out / "void.ttl")
    dcat = Graph().parse(exported.out / "dcat.ttl")
    check(void + dcat)
    ds = URIRef("https://w3id.org/adminkg/id/dataset/adminkg")
    assert int(void.value(ds, VOID.triples)) == exported.triples
    assert set(void.objects(ds, VOID.dataDump)) >= {URIRef(f"https://w3id.org/adminkg/dumps/adminkg.{s}")
                                                     for s in RDFLIB}
    distributions = list(dcat.objects(ds, DCAT.distribution))
    assert len(distributions) == len(exported.dumps)
    for dist in distributions:
        path = exported.out / str(dcat.value(dist, DCAT.downloadURL))[len("https://w3id.org/adminkg/"):]
        data = path.read_bytes()
        assert int(dcat.value(dist, DCAT.byteSize)) == len(data)
        checksum = dcat.value(dist, URIRef("http://spdx.org/rdf/terms#checksum"))
        assert str(dcat.value(checksum, URIRef("http://spdx.org/rdf/terms#checksumValue"))) == \
            hashlib.sha256(data).hexdigest()
        assert dcat.value(dist, DCTERMS.license) == URIRef("https://creativecommons.org/licenses/by/4.0/")
    assert {k.language for k in dcat.objects(ds, DCAT.keyword)} == {"ko", "en"}
    measured = {str(dcat.value(m, DQV.isMeasurementOf)).rsplit("/", 1)[1]: float(dcat.value(m, DQV.value))
                for m in dcat.objects(ds, DQV.hasQualityMeasurement)}
    assert measured["case-technology"] == 1.0 and measured["case-beneficiary"] == 0.0  # the fixture's one case
    assert 0 < measured["precision-cases"] < 1


def test_a_broken_description_does_not_conform(exported):
    dcat = Graph().parse(exported.out / "dcat.ttl")
    dist = next(dcat.subjects(RDF.type, DCAT.Distribution))
    dcat.remove((dist, DCTERMS.license, None))
    ds = URIRef("https://w3id.org/adminkg/id/dataset/adminkg")
    dcat.remove((ds, DCAT.keyword, Literal("행정혁신", lang="ko")))
    for k in [k for k in dcat.objects(ds, DCAT.keyword) if k.language == "ko"]:
        dcat.remove((ds, DCAT.keyword, k))
    with pytest.raises(ValidationFailed) as caught:
        check(dcat)
    focus = {r.focus for r in caught.value.report.results}
    assert focus == {dist, ds}


def test_iri_patterns():
    iris = Iris("https://example.org/kg")
    assert iris.moved("https://w3id.org/adminkg/case/11-abc") == "https://example.org/kg/id/case/11-abc"
    assert iris.moved("https://w3id.org/adminkg/vocab/technology/AI") == "https://w3id.org/adminkg/vocab/technology/AI"
    assert iris.document_path("https://example.org/kg/id/evidence/e1#quote") == "doc/evidence/e1"
    assert iris.document_path("https://w3id.org/adminkg/vocab/technology/AI") == "doc/vocab/technology/AI"
    assert iris.document_path("https://w3id.org/adminkg/ontology#year") == "doc/ontology"
    assert iris.document_path("http://purl.org/dc/terms/title") is None
    assert iris.thing_of_path("id/case/11-abc") == ("doc/case/11-abc", "https://example.org/kg/id/case/11-abc")
    assert iris.thing_of_path("doc/case/11-abc") is None
    for kind, spec in Iris().kinds.items():  # every documented pattern: no extension, no query string
        assert "." not in spec["example"].rsplit("/", 1)[-1] and "?" not in spec["example"], kind


def test_negotiation_follows_q_values():
    offered = list(formats().values())
    by = {f.name: f for f in offered}
    assert negotiate("text/turtle;q=0.2, application/n-triples", offered) is by["ntriples"]
    assert negotiate("text/*", offered) is by["html"]
    assert negotiate("text/html;q=0, */*;q=0.1", offered) is not by["html"]
    assert negotiate("image/png", offered) is None
    assert negotiate("", offered) is by["html"]


def test_base_is_configurable_and_bad_input_is_named(tmp_path):
    data = tmp_path / "data"
    shutil.copytree(FIXTURE, data)
    (data / "broken.ttl").write_text("@prefix x: <http://example.org/> .\nx:a x:b ", encoding="utf-8")
    out = tmp_path / "site"
    done = run_cli("export", "--data", str(data), "--out", str(out), "--base", "http://example.org/data/")
    assert done.returncode == 2                                  # the broken file is named, the rest exported
    assert "broken.ttl" in done.stderr and "Traceback" not in done.stderr
    graph = Graph().parse(out / "dumps" / "adminkg.nt", format="nt")
    case = URIRef("http://example.org/data/id/case/41250-aaaaaaaaaaa1")
    assert (case, RDF.type, URIRef("https://w3id.org/adminkg/ontology#InnovationCase")) in graph
    assert not any(str(s).startswith("https://w3id.org/adminkg/case/") for s in graph.subjects())
    assert (out / "doc" / "case" / "41250-aaaaaaaaaaa1.html").is_file()
    nginx = (out / "server" / "nginx.conf").read_text()
    assert "location ~ ^/data/id/(.+)$" in nginx and "return 303 /data/doc/$1;" in nginx


def test_output_is_replaced_atomically(tmp_path, monkeypatch):
    out = tmp_path / "site"
    out.mkdir()
    (out / "stale.txt").write_text("from an earlier export")
    bad_scores = tmp_path / "scores.json"
    bad_scores.write_text("{not json")
    with pytest.raises(InputError, match="scores.json"):
        export(FIXTURE, out, scores=bad_scores)

    def fail(*_args, **_kwargs):
        raise OSError("disk full")

    monkeypatch.setattr("adminkg.site.Site.write_search", fail)  # fail half-way through the pages
    with pytest.raises(OSError, match="disk full"):
        export(FIXTURE, out)
    assert [p.name for p in out.iterdir()] == ["stale.txt"]      # a failed export leaves the old one
    assert sorted(p.name for p in tmp_path.iterdir()) == ["scores.json", "site"]  # and no half-written folder


def test_a_new_export_replaces_the_old_folder(exported):
    assert not (exported.out / "stale.txt").exists() and (exported.out / "index.html").is_file()


def test_no_identifier_has_a_file_extension(exported):
    suffixes = {f.suffix for f in formats().values()}
    pages = [p for p in (exported.out / "doc").rglob("*") if p.is_file()]
    assert len(pages) > 1000
    for p in pages:
        stem, _, suffix = p.name.rpartition(".")
        assert suffix in suffixes and "." not in stem, p.relative_to(exported.out)
