"""Confidence per fact: the filter on records (loaders.confidence), akg:confidence on each fact's
evidence as the build writes it, `adminkg build --min-confidence`, and the queries that read it
(cases with $minConfidence, lowest-confidence).

Today's extractor fills no confidences, so records with confidences are made here by hand on a
real document (examples/corpus/news/award-ulsan-jung.txt) and run through the build's emission
(Emitter.emit) and through build() with the extractor's answer replaced; the CLI is run on the
example corpus untouched, where a threshold must keep everything."""
from __future__ import annotations

import json
import shutil
from collections import Counter
from decimal import Decimal

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, RDF

from adminkg.build import Emitter, build
from adminkg.graphio import serialize_turtle
from adminkg.loaders.confidence import keep_confident
from adminkg.loaders.documents import read_document
from adminkg.loaders.records import AwardRecord, CaseRecord, MetricRecord, OrgRef, Span
from adminkg.namespaces import AKG, OA, SCHEMA
from adminkg.queries import bind, get_query
from adminkg.query import run
from adminkg.validate import validate

from .conftest import ROOT, run_cli

EXAMPLES = ROOT / "examples" / "corpus"
ARTICLE = EXAMPLES / "news" / "award-ulsan-jung.txt"
JUNG = URIRef("https://w3id.org/adminkg/agency/31110")           # 울산광역시 중구
ALONE = URIRef("https://w3id.org/adminkg/vocab/beneficiary/older-people-living-alone")
DECIMAL = URIRef("http://www.w3.org/2001/XMLSchema#decimal")
CONTEST = "2024년 하반기 적극행정 우수사례 경진대회"


@pytest.fixture(scope="module")
def doc():
    return read_document(ARTICLE)


@pytest.fixture(scope="module")
def vocab():
    from adminkg import paths
    from adminkg.graphio import load_files

    return load_files(paths.ontology_files())[0]


def at(doc, text: str, nth: int = 0) -> Span:
    """The *nth* occurrence of *text* in the document, as a span."""
    start = -1
    for _ in range(nth + 1):
        start = doc.text.index(text, start + 1)
    return Span(start, start + len(text), text)


def records(doc) -> list[CaseRecord]:
    """Two cases of the award article as a model would give them, every kind of fact with a confidence."""
    jung = OrgRef("울산광역시 중구", iri=JUNG, span=at(doc, "울산 중구"))
    market = CaseRecord(
        doc, "전통시장 빈 점포를 청년 창업 공간으로 되살린 상가 재생", jung,
        title_span=at(doc, "전통시장 빈 점포를 청년 창업 공간으로 되살린 상가 재생"), year=2024,
        departments=[("일자리경제과", at(doc, "일자리경제과"))],
        partners=[(OrgRef("소상공인 단체", cls="CivilSocietyOrganization", sector="civil-society",
                          span=at(doc, "소상공인 단체")), "PUBLIC_CIVIC")],
        awards=[AwardRecord(contest=CONTEST, contest_span=at(doc, CONTEST), year=2024, half_year=2, rank=1,
                            grade="최우수", grade_span=at(doc, "최우수", 1))],
        metrics=[MetricRecord(at(doc, "18곳"), value=Decimal(18), unit="곳"),
                 MetricRecord(at(doc, "25명"), value=Decimal(25), unit="명")],
        confidence={"case": 0.9, "agency": 0.95, "department:일자리경제과": 0.8, "partner:소상공인 단체": 0.3,
                    "award:0": 0.7, "metric:0": 0.2, "metric:1": 0.6},
    )
    phone = CaseRecord(
        doc, "독거노인 안부 확인 인공지능 전화 서비스", jung,
        title_span=at(doc, "독거노인 안부 확인 인공지능 전화 서비스"), year=2024,
        departments=[("노인장애인과", at(doc, "노인장애인과")), ("청소행정과", at(doc, "청소행정과"))],
        technologies=[("AI", at(doc, "인공지능"))],
        beneficiaries=[(ALONE, "독거노인", at(doc, "독거노인"))],
        awards=[AwardRecord(contest=CONTEST, contest_span=at(doc, CONTEST), year=2024, half_year=2, rank=3,
                            grade="장려", grade_span=at(doc, "장려", 1))],
        confidence={"case": 0.4, "agency": 0.9, "department:노인장애인과": 0.65, "technology:AI": 0.85,
                    "beneficiary:독거노인": 0.55, "award:0": 0.12345},
    )
    return [market, phone]


def emit(vocab, recs, threshold: float = 0.0) -> Emitter:
    emitter = Emitter(vocab=vocab)
    for i, rec in enumerate(recs):
        kept, _dropped = keep_confident(rec, threshold)
        if kept is not None:
            emitter.emit(kept, i)
    return emitter


def confidences(g: Graph, body: URIRef, prop: URIRef, value=None) -> list[Literal]:
    """The akg:confidence values of the evidence of (body, prop[, value])."""
    out = []
    for ev in g.subjects(OA.hasBody, body):
        if (ev, AKG.assertedProperty, prop) in g and (value is None or (ev, AKG.assertedValue, value) in g):
            out += list(g.objects(ev, AKG.confidence))
    return out


def case_of(g: Graph, title: str) -> URIRef:
    [case] = g.subjects(DCTERMS.title, Literal(title, lang="ko"))
    return case


# -- the filter on records ------------------------------------------------------------------------

def test_filter_keeps_everything_at_zero_and_without_confidences(doc):
    market, phone = records(doc)
    assert keep_confident(market, 0.0) == (market, Counter())
    market.confidence = {}
    assert keep_confident(market, 0.99) == (market, Counter())   # a table's record, or today's extractor


def test_filter_drops_a_record_whose_case_or_agency_is_below(doc):
    _market, phone = records(doc)
    kept, dropped = keep_confident(phone, 0.5)                     # case 0.4
    assert kept is None
    assert dropped == Counter(case=1, agency=1, department=2, technology=1, beneficiary=1, award=1)
    phone.confidence.update(case=0.9, agency=0.45)
    assert keep_confident(phone, 0.5)[0] is None                    # agency 0.45
    assert keep_confident(phone, 0.45)[0] is not None               # at the threshold: kept


def test_filter_drops_facts_below_and_renumbers_awards_and_metrics(doc):
    market, phone = records(doc)
    kept, dropped = keep_confident(market, 0.5)
    assert dropped == Counter(partner=1, metric=1)
    assert kept.partners == [] and kept.departments == market.departments and kept.awards == market.awards
    assert [m.span.text for m in kept.metrics] == ["25명"]
    assert kept.confidence_of("metric", "0") == 0.6 and kept.confidence_of("metric", "1") is None
    assert market.metrics[0].span.text == "18곳" and len(market.partners) == 1   # the input is not changed
    phone.confidence["case"] = 0.9
    kept, dropped = keep_confident(phone, 0.7)
    assert dropped == Counter(department=1, beneficiary=1, award=1)   # 청소행정과 has no confidence: kept
    assert [d for d, _ in kept.departments] == ["청소행정과"]
    assert kept.technologies == phone.technologies and kept.awards == []


# -- akg:confidence on the evidence -------------------------------------------------------------------

def test_every_kind_of_fact_carries_its_confidence(doc, vocab):
    g = emit(vocab, records(doc)).g
    market, phone = case_of(g, records(doc)[0].title), case_of(g, records(doc)[1].title)
    dec = lambda text: [Literal(Decimal(text), datatype=DECIMAL)]   # noqa: E731
    assert confidences(g, market, DCTERMS.title) == dec("0.900")       # the case's own: on its title
    assert confidences(g, market, AKG.leadAgency, JUNG) == dec("0.950")
    assert confidences(g, market, AKG.department) == dec("0.800")
    assert confidences(g, market, AKG.partner) == dec("0.300")
    assert confidences(g, phone, AKG.usesTechnology) == dec("0.850")
    assert confidences(g, phone, AKG.beneficiary, ALONE) == dec("0.550")
    assert confidences(g, phone, AKG.award) == dec("0.123")             # rounded to 3 places
    [award] = g.objects(market, AKG.award)
    assert confidences(g, market, AKG.award, award) == dec("0.700")
    [ev] = g.subjects(AKG.assertedValue, award)
    quotes = [str(q) for s in g.objects(g.value(ev, OA.hasTarget), OA.hasSelector) if (q := g.value(s, OA.exact))]
    assert quotes == ["최우수"]                                            # the award's evidence: its grade
    metrics = {str(g.value(m, SCHEMA.value)): confidences(g, m, SCHEMA.value)
               for m in g.subjects(RDF.type, AKG.Metric)}
    assert metrics == {"18": dec("0.200"), "25": dec("0.600")}
    assert confidences(g, award, AKG.grade) == dec("0.700")               # the grade: the award's
    # one per confidence of the records, and an award's on its grade and contest name too
    assert len(list(g.objects(None, AKG.confidence))) == 16


def test_graph_with_confidences_conforms_and_is_deterministic(doc, vocab, tmp_path):
    first = serialize_turtle(emit(vocab, records(doc)).g)
    assert serialize_turtle(emit(vocab, records(doc)).g) == first
    assert b"akg:confidence 0.123" in first
    (tmp_path / "cases.ttl").write_bytes(first)
    report = validate([tmp_path / "cases.ttl"])
    assert report.conforms, [r.message("en") for r in report.results]


def test_same_evidence_from_two_records_keeps_the_higher_confidence(doc, vocab):
    for order in ((0.6, 0.8), (0.8, 0.6)):
        recs = []
        for c in order:
            rec = records(doc)[0]
            rec.confidence["case"] = c
            recs.append(rec)
        g = emit(vocab, recs).g
        assert confidences(g, case_of(g, recs[0].title), DCTERMS.title) == [Literal(Decimal("0.800"),
                                                                                    datatype=DECIMAL)]


def test_a_fact_without_a_span_quotes_its_text_if_it_has_one(doc, vocab, tmp_path):
    market, _phone = records(doc)
    market.departments = [("일자리경제과", None)]
    market.technologies = [("AI", None)]
    market.partners = [(OrgRef("소상공인 단체", cls="CivilSocietyOrganization", sector="civil-society"), None)]
    market.agency = OrgRef("울산광역시 중구", iri=JUNG)
    market.confidence.update({"technology:AI": 0.5})
    emitter = emit(vocab, [market])
    g, case = emitter.g, case_of(emitter.g, market.title)
    for prop, written in ((AKG.department, "일자리경제과"), (AKG.partner, "소상공인 단체")):
        [ev] = [e for e in g.subjects(OA.hasBody, case) if (e, AKG.assertedProperty, prop) in g]
        selectors = list(g.objects(g.value(ev, OA.hasTarget), OA.hasSelector))
        assert [str(g.value(s, OA.exact)) for s in selectors] == [written]   # a quote, no position
        assert g.value(ev, AKG.confidence) is not None
    # a code is not text, and a gazetteer body's name may be its official label: no evidence without a span
    assert not confidences(g, case, AKG.usesTechnology) and not confidences(g, case, AKG.leadAgency)
    market.confidence = {}
    assert not list(emit(vocab, [market]).g.subjects(AKG.assertedProperty, AKG.department))  # as before
    (tmp_path / "cases.ttl").write_bytes(serialize_turtle(g))
    assert validate([tmp_path / "cases.ttl"]).conforms


def test_filtered_emission_leaves_out_the_facts_below(doc, vocab):
    g = emit(vocab, records(doc), threshold=0.5).g
    assert [str(t) for t in g.objects(None, DCTERMS.title)] == [records(doc)[0].title]   # phone: case 0.4
    case = case_of(g, records(doc)[0].title)
    assert not list(g.objects(case, AKG.partner))                                        # partner 0.3
    [metric] = g.subjects(RDF.type, AKG.Metric)
    assert str(g.value(metric, SCHEMA.value)) == "25"
    assert [str(c) for c in confidences(g, metric, SCHEMA.value)] == ["0.600"]           # renumbered, still right


# -- build() and the CLI ------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def confident_build(tmp_path_factory, doc):
    """build() on a one-document corpus whose extractor answer is replaced by the hand records."""
    from adminkg.loaders.korean import KoreanExtractor

    corpus = tmp_path_factory.mktemp("corpus")
    shutil.copy(ARTICLE, corpus / ARTICLE.name)
    outs = {}
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(KoreanExtractor, "extract", lambda self, d: records(d))
        for p in (0.0, 0.5):
            outs[p] = tmp_path_factory.mktemp(f"kg{p}")
            build([corpus], outs[p], min_confidence=p)
    return outs


def test_build_reports_what_the_threshold_left_out(confident_build):
    report = json.loads((confident_build[0.5] / "report.json").read_text(encoding="utf-8"))
    assert report["min_confidence"] == 0.5 and report["cases"] == 1
    assert report["dropped_below_min_confidence"] == {"agency": 1, "award": 1, "beneficiary": 1, "case": 1,
                                                      "department": 2, "metric": 1, "partner": 1, "technology": 1}
    report = json.loads((confident_build[0.0] / "report.json").read_text(encoding="utf-8"))
    assert report["min_confidence"] == 0.0 and report["dropped_below_min_confidence"] == {} and report["cases"] == 2
    assert validate([confident_build[0.5] / "cases.ttl"]).conforms


def test_queries_read_the_confidences_of_a_build(confident_build):
    rows = run("cases", confident_build[0.0]).rows
    assert sorted((r["title"][:4], r["confidence"]) for r in rows) == [("독거노인", 0.4), ("전통시장", 0.9)]
    assert [r["title"][:4] for r in run("cases", confident_build[0.0], {"minConfidence": "0.5"}).rows] == ["전통시장"]
    low = run("lowest-confidence", confident_build[0.0], {"limit": "3"}).rows
    assert [(r["kind"], r["confidence"], r["exact"]) for r in low] == [
        ("award", 0.123, "장려"), ("metric", 0.2, "18곳"), ("partner", 0.3, "소상공인 단체")]
    assert low[0]["doc"] == ARTICLE.name and low[1]["start"] < low[1]["end"]


def test_cli_threshold_keeps_everything_when_no_record_has_a_confidence(tmp_path):
    """The rules alone (a model with no decisions) and tables give no confidences: --min-confidence
    changes nothing."""
    rules = tmp_path / "rules.json"
    rules.write_text(json.dumps({"format": "adminkg-logistic/1", "meta": {}, "decisions": {}}), encoding="utf-8")
    outs = {}
    for p in ("0", "0.99"):
        args = ["build", "--corpus", str(EXAMPLES), "--table", str(ROOT / "examples" / "cases.csv"),
                "--out", str(tmp_path / p), "--no-store", "--model", str(rules)]
        done = run_cli(*args, *(["--min-confidence", p] if p != "0" else []))
        assert done.returncode == 0, done.stderr
        outs[p] = done
    assert (tmp_path / "0.99" / "cases.ttl").read_bytes() == (tmp_path / "0" / "cases.ttl").read_bytes()
    report = json.loads((tmp_path / "0.99" / "report.json").read_text(encoding="utf-8"))
    assert report["min_confidence"] == 0.99 and report["dropped_below_min_confidence"] == {}
    assert "left out below confidence 0.99: none" in outs["0.99"].stdout


def test_cli_threshold_leaves_out_what_the_model_doubts(tmp_path):
    """With the model that ships, a high threshold leaves out facts (counted in the report) and keeps
    the curated table's cases, which carry no confidence."""
    outs = {}
    for p in ("0", "0.9"):
        done = run_cli("build", "--corpus", str(EXAMPLES), "--table", str(ROOT / "examples" / "cases.csv"),
                       "--out", str(tmp_path / p), "--no-store", *(["--min-confidence", p] if p != "0" else []))
        assert done.returncode == 0, done.stderr
        outs[p] = done
    report = json.loads((tmp_path / "0.9" / "report.json").read_text(encoding="utf-8"))
    assert sum(report["dropped_below_min_confidence"].values()) > 0
    assert len((tmp_path / "0.9" / "cases.ttl").read_bytes()) < len((tmp_path / "0" / "cases.ttl").read_bytes())
    assert "left out below confidence 0.9: " in outs["0.9"].stdout


@pytest.mark.parametrize("value", ["-1", "2", "x", "nan", ""])
def test_cli_refuses_a_threshold_that_is_no_probability(value, tmp_path):
    done = run_cli("build", "--corpus", str(EXAMPLES), "--out", str(tmp_path / "o"), "--min-confidence", value)
    assert done.returncode == 2 and "--min-confidence" in done.stderr
    assert not (tmp_path / "o").exists()


def test_build_refuses_a_threshold_that_is_no_probability(tmp_path):
    from adminkg.errors import InputError

    with pytest.raises(InputError, match="between 0 and 1"):
        build([EXAMPLES], tmp_path, min_confidence=1.5)


# -- the queries on a graph of known confidences --------------------------------------------------------

T = "https://example.org/t/"


def evidence(name: str, body: str, prop: str, confidence: str | None, doc: str, exact: str,
             start: int | None = None, value: str | None = None) -> str:
    ev = f"<{T}ev/{name}>"
    lines = [f"{ev} a akg:Evidence ; oa:hasBody {body} ; akg:assertedProperty {prop} ; oa:hasTarget {ev[:-1]}#t> ."]
    if confidence is not None:
        lines.append(f"{ev} akg:confidence {confidence} .")
    if value:
        lines.append(f"{ev} akg:assertedValue {value} .")
    lines.append(f"{ev[:-1]}#t> a oa:SpecificResource ; oa:hasSource {doc} ; oa:hasSelector {ev[:-1]}#q> .")
    lines.append(f'{ev[:-1]}#q> a oa:TextQuoteSelector ; oa:exact "{exact}" .')
    if start is not None:
        lines.append(f"{ev[:-1]}#t> oa:hasSelector {ev[:-1]}#p> .")
        lines.append(f"{ev[:-1]}#p> a oa:TextPositionSelector ; oa:start {start} ; oa:end {start + len(exact)} .")
    return "\n".join(lines)


GRAPH = "\n".join([
    """@prefix akg: <https://w3id.org/adminkg/ontology#> .
@prefix dcterms: <http://purl.org/dc/terms/> .
@prefix prov: <http://www.w3.org/ns/prov#> .
@prefix org: <http://www.w3.org/ns/org#> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix schema: <https://schema.org/> .
@prefix oa: <http://www.w3.org/ns/oa#> .
@prefix t: <https://example.org/t/> .
@prefix agency: <https://w3id.org/adminkg/agency/> .
@prefix tech: <https://w3id.org/adminkg/vocab/technology/> .

t:a a akg:InnovationCase ; dcterms:title "가 사례"@ko ; akg:leadAgency agency:31110 ; prov:wasDerivedFrom t:d1 ;
    akg:department t:unit-a ; akg:usesTechnology tech:AI ; akg:outcome t:a-outcome .
t:a-outcome a akg:Outcome ; akg:metric t:a-metric .
t:a-metric a akg:Metric ; schema:value 30.0 ; schema:unitText "%" .
t:b a akg:InnovationCase ; dcterms:title "나 사례"@ko ; akg:leadAgency agency:31110 ; prov:wasDerivedFrom t:d1 , t:d2 ;
    akg:department t:unit-b ; akg:partner t:partner .
t:c a akg:InnovationCase ; dcterms:title "다 사례"@ko ; akg:leadAgency agency:31110 ; prov:wasDerivedFrom t:d3 .
t:unit-a a org:OrganizationalUnit ; skos:prefLabel "정보화과"@ko .
t:unit-b a org:OrganizationalUnit ; skos:prefLabel "복지과"@ko .
t:partner a akg:Company ; skos:prefLabel "하늘길에어로"@ko .
t:d1 a akg:SourceDocument ; akg:fileName "one.txt" .
t:d2 a akg:SourceDocument ; akg:fileName "two.txt" .
t:d3 a akg:SourceDocument ; akg:fileName "table.csv" .
""",
    evidence("a-title", "t:a", "dcterms:title", "0.900", "t:d1", "가 사례", 10),
    evidence("a-agency", "t:a", "akg:leadAgency", "0.950", "t:d1", "중구", 2, "agency:31110"),
    evidence("a-dept", "t:a", "akg:department", "0.400", "t:d1", "정보화과", 20, "t:unit-a"),
    evidence("a-tech", "t:a", "akg:usesTechnology", "0.700", "t:d1", "인공지능", 30, "tech:AI"),
    evidence("a-metric", "t:a-metric", "schema:value", "0.150", "t:d1", "30%", 40),
    evidence("b-title-1", "t:b", "dcterms:title", "0.300", "t:d1", "나 사례", 50),
    evidence("b-title-2", "t:b", "dcterms:title", "0.800", "t:d2", "나 사례", 5),
    evidence("b-dept", "t:b", "akg:department", "0.400", "t:d2", "복지과", 15, "t:unit-b"),
    evidence("b-partner", "t:b", "akg:partner", "0.600", "t:d2", "하늘길에어로", None, "t:partner"),
    evidence("c-title", "t:c", "dcterms:title", None, "t:d3", "다 사례", 0),
])


@pytest.fixture(scope="module")
def small_graph(tmp_path_factory):
    path = tmp_path_factory.mktemp("small") / "small.ttl"
    path.write_text(GRAPH, encoding="utf-8")
    return path


def lowest(small_graph, **params) -> list[tuple]:
    rows = run("lowest-confidence", small_graph, {k: str(v) for k, v in params.items()}).rows
    return [(r["confidence"], r["kind"], r["case"].rsplit("/", 1)[-1]) for r in rows]


ALL_LOWEST = [(0.15, "metric", "a"), (0.3, "case", "b"), (0.4, "department", "a"), (0.4, "department", "b"),
              (0.6, "partner", "b"), (0.7, "technology", "a"), (0.8, "case", "b"), (0.9, "case", "a"),
              (0.95, "agency", "a")]


def test_lowest_confidence_order_limit_and_kind(small_graph):
    assert lowest(small_graph) == ALL_LOWEST                        # the default limit (50) holds them all
    assert lowest(small_graph, limit=3) == ALL_LOWEST[:3]
    assert lowest(small_graph, limit="") == ALL_LOWEST              # empty = no limit
    assert lowest(small_graph, kind="department") == [(0.4, "department", "a"), (0.4, "department", "b")]
    assert lowest(small_graph, kind="case", limit=2) == [(0.3, "case", "b"), (0.8, "case", "b")]
    assert lowest(small_graph, kind="nothing") == []


def test_lowest_confidence_gives_value_and_evidence(small_graph):
    rows = {(r["kind"], r["case"][-1]): r for r in run("lowest-confidence", small_graph, {"limit": ""}).rows}
    metric = rows[("metric", "a")]
    assert (metric["value"], metric["doc"], metric["start"], metric["end"], metric["exact"]) == (30, "one.txt",
                                                                                                 40, 43, "30%")
    assert rows[("case", "a")]["value"] == "가 사례" and rows[("case", "a")]["title"] == "가 사례"
    assert rows[("technology", "a")]["value"] == "https://w3id.org/adminkg/vocab/technology/AI"
    partner = rows[("partner", "b")]                                # evidence that only quotes: no offsets
    assert (partner["start"], partner["end"], partner["exact"]) == (None, None, "하늘길에어로")
    assert partner["property"] == "https://w3id.org/adminkg/ontology#partner"


def test_cases_min_confidence(small_graph):
    def rows(**params):
        return sorted((r["case"][-1], r["doc"], r["confidence"])
                      for r in run("cases", small_graph, {k: str(v) for k, v in params.items()}).rows)

    everything = [("a", "one.txt", 0.9), ("b", "one.txt", 0.3), ("b", "two.txt", 0.8), ("c", "table.csv", None)]
    assert rows() == everything                                     # empty = all
    assert rows(minConfidence=0.5) == [everything[0], everything[2], everything[3]]
    assert rows(minConfidence=0.9) == [everything[0], everything[3]]  # at the value: kept
    assert rows(minConfidence=1) == [everything[3]]                 # an integer binds too; no confidence: kept
    assert rows(minConfidence=0) == everything
    assert run("cases", small_graph).vars[:9] == ["case", "doc", "title", "agency", "departments", "technologies",
                                                  "partners", "beneficiaries", "awards"]  # what the scorer reads


def test_an_empty_limit_leaves_the_limit_out():
    query = get_query("lowest-confidence")
    assert "LIMIT 50" in bind(query) and "LIMIT 7" in bind(query, {"limit": "7"})
    assert "LIMIT" not in bind(query, {"limit": ""}).split("}")[-1]


def test_queries_answer_alike_on_an_oxigraph_server(small_graph):
    """The same graph published to a real `oxigraph serve`: the same rows as embedded."""
    from adminkg.publish import DEFAULT_GRAPH
    from adminkg.serve import start
    from adminkg.store import open_store

    from .test_endpoints import assert_same_answers

    embedded = open_store(small_graph)
    with start(writable=True, timeout=5) as server:
        done = run_cli("publish", "--endpoint", server.store_url, "--data", str(small_graph),
                       "--query-endpoint", server.query_url)
        assert done.returncode == 0, done.stderr
        for name, params in (("lowest-confidence", {}), ("lowest-confidence", {"kind": "department", "limit": "1"}),
                             ("lowest-confidence", {"limit": ""}), ("cases", {"minConfidence": "0.5"}),
                             ("cases", {})):
            assert_same_answers(name, embedded, server.query_url, params)
        assert len(run("lowest-confidence", params={"limit": "2"}, endpoint=server.query_url,
                       default_graph=DEFAULT_GRAPH)) == 2
