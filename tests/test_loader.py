"""The document loader and `adminkg build` on documents we wrote ourselves (examples/corpus):
encodings and HTML, bad input, evidence spans that point at the text, determinism, manifests,
cross-document and table merging, the cases query."""
from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, PROV, RDF

from adminkg.build import build
from adminkg.errors import InputError
from adminkg.loaders.documents import read_document
from adminkg.namespaces import AKG, OA, SCHEMA

from .conftest import ROOT, run_cli

EXAMPLES = ROOT / "examples" / "corpus"
CASES_VARS = ["case", "doc", "title", "agency", "departments", "technologies", "partners", "beneficiaries", "awards",
              "confidence"]


@pytest.fixture(scope="module")
def example_build(tmp_path_factory):
    out = tmp_path_factory.mktemp("kg")
    report = build([EXAMPLES], out, tables=[ROOT / "examples" / "cases.csv"])
    graph = Graph().parse(out / "cases.ttl")
    return out, report, graph


def test_reads_every_example_document(example_build):
    _out, report, _g = example_build
    assert report.failed == []
    assert report.documents == 6  # five documents and one table


def test_cp949_bom_and_html_decode(tmp_path):
    cp949 = read_document(EXAMPLES / "notice-pps-cp949.txt")
    assert cp949.encoding == "cp949" and "블록체인" in cp949.text
    page = read_document(EXAMPLES / "press-release-customs.html")
    assert page.kind == "html" and "AI 휴대품 신고 도우미" in page.text
    assert "무시해야" not in page.text and "<p>" not in page.text
    bom = tmp_path / "bom.txt"
    bom.write_bytes("\ufeff서울특별시 관악구 사례".encode())
    doc = read_document(bom)
    assert doc.encoding == "utf-8-sig" and doc.text.startswith("서울")


def test_nfc_normalisation(tmp_path):
    import unicodedata

    decomposed = tmp_path / "nfd.txt"
    decomposed.write_text(unicodedata.normalize("NFD", "관악구 적극행정"), encoding="utf-8")
    assert read_document(decomposed).text == "관악구 적극행정"


@pytest.mark.parametrize("name, content, problem", [
    ("empty.txt", b"  \n", "empty file"),
    ("binary.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00IHDR", "binary file"),
    ("misencoded.txt", bytes(range(0x80, 0xA0)) * 20, "neither UTF-8"),
])
def test_bad_documents_are_named(tmp_path, name, content, problem):
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(InputError) as info:
        read_document(path)
    assert problem in str(info.value) and name in str(info.value)


def test_truncated_utf8_is_kept_with_a_note(tmp_path):
    path = tmp_path / "cut.txt"
    path.write_bytes("경기도 화성시 인공지능 돌봄".encode()[:-1])
    doc = read_document(path)
    assert doc.notes and "truncated" in doc.notes[0]
    assert doc.text.startswith("경기도 화성시")


def test_enormous_file_is_refused_without_reading(tmp_path):
    path = tmp_path / "huge.txt"
    with open(path, "wb") as fh:
        fh.truncate(50 * 1024 * 1024)  # sparse: 50 MB on paper
    with pytest.raises(InputError, match="too large"):
        read_document(path)


def test_build_goes_on_past_bad_files(tmp_path):
    corpus = tmp_path / "corpus"
    shutil.copytree(EXAMPLES, corpus)
    (corpus / "empty.txt").write_bytes(b"")
    (corpus / "binary.html").write_bytes(b"\x00\x01\x02" * 100)
    done = run_cli("build", "--corpus", str(corpus), "--out", str(tmp_path / "out"))
    assert done.returncode == 2
    assert "empty.txt: empty file" in done.stderr and "binary.html: binary file" in done.stderr
    report = json.loads((tmp_path / "out" / "report.json").read_text(encoding="utf-8"))
    assert report["documents_read"] == 5 and len(report["failed"]) == 2
    assert report["cases"] >= 6


def test_document_without_a_case_yields_none(tmp_path):
    corpus = tmp_path / "c"
    corpus.mkdir()
    (corpus / "weather.txt").write_text("내일은 전국이 맑고 낮 기온이 조금 오르겠습니다.\n바람은 약하게 불겠습니다.\n",
                                        encoding="utf-8")
    report = build([corpus], tmp_path / "out", store=False)
    assert report.documents == 1 and report.cases == 0


def test_build_is_byte_identical(tmp_path, example_build):
    """Same input, same bytes — also across processes with different hash seeds."""
    out, _report, _g = example_build
    for seed in ("1", "2"):
        done = run_cli("build", "--corpus", str(EXAMPLES), "--table", str(ROOT / "examples" / "cases.csv"),
                       "--out", str(tmp_path / seed), "--no-store", env={"PYTHONHASHSEED": seed})
        assert done.returncode == 0, done.stderr
        assert (tmp_path / seed / "cases.ttl").read_bytes() == (out / "cases.ttl").read_bytes()


def evidence_rows(graph: Graph):
    for ev in graph.subjects(RDF.type, AKG.Evidence):
        target = graph.value(ev, OA.hasTarget)
        doc = graph.value(target, OA.hasSource)
        start = end = exact = None
        for sel in graph.objects(target, OA.hasSelector):
            if (sel, RDF.type, OA.TextPositionSelector) in graph:
                start, end = int(graph.value(sel, OA.start)), int(graph.value(sel, OA.end))
            else:
                exact = str(graph.value(sel, OA.exact))
        yield ev, str(graph.value(doc, AKG.fileName)), start, end, exact


def check_spans(graph: Graph, files: dict[str, Path]) -> int:
    texts: dict[str, str] = {}
    checked = 0
    for ev, name, start, end, exact in evidence_rows(graph):
        assert 0 <= start < end, ev
        if name not in texts:
            texts[name] = read_document(files[name]).text
        if exact is not None:
            assert texts[name][start:end] == exact, (name, start, end, exact)
            checked += 1
    return checked


def test_evidence_offsets_point_at_the_text(example_build):
    _out, _report, graph = example_build
    files = {p.name: p for p in EXAMPLES.rglob("*") if p.is_file()}
    assert check_spans(graph, files) > 30


def test_every_case_has_agency_and_source(example_build):
    _out, _report, graph = example_build
    cases = set(graph.subjects(RDF.type, AKG.InnovationCase))
    assert len(cases) >= 8
    for case in cases:
        assert len(set(graph.objects(case, AKG.leadAgency))) == 1
        assert set(graph.objects(case, PROV.wasDerivedFrom))


def test_manifest_is_honoured(example_build):
    _out, _report, graph = example_build
    [doc] = graph.subjects(AKG.fileName, Literal("award-ulsan-jung.txt"))
    assert str(graph.value(doc, SCHEMA.url)) == "https://example.org/news/ulsan-jung"
    assert str(graph.value(doc, DCTERMS.publisher)) == "예시일보"
    assert str(graph.value(doc, DCTERMS.date)) == "2024-12-10"


def test_same_case_in_two_documents_and_a_table_is_one_case(example_build):
    _out, _report, graph = example_build
    jecheon = URIRef("https://w3id.org/adminkg/agency/43150")
    cases = set(graph.subjects(AKG.leadAgency, jecheon))
    assert len(cases) == 1
    sources = {str(graph.value(d, AKG.fileName)) for d in graph.objects(cases.pop(), PROV.wasDerivedFrom)}
    # the card news tells it too, but its case sits just under the model's thresholds (p 0.36)
    assert sources >= {"jecheon-drone-followup.txt", "cases.csv"}


def test_published_graph_holds_no_sentences(example_build):
    _out, _report, graph = example_build
    for _ev, _name, _start, _end, exact in evidence_rows(graph):
        if exact is not None:
            assert not exact.rstrip().endswith(("다.", "니다.")), exact
    assert not list(graph.objects(None, SCHEMA.description))


def test_example_graph_conforms(example_build):
    out, _report, _g = example_build
    done = run_cli("validate", str(out / "cases.ttl"))
    assert done.returncode == 0, done.stdout[-3000:]


def test_query_cases_json(example_build):
    out, _report, _g = example_build
    done = run_cli("query", "cases", "--data", str(out), "--format", "json")
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout)
    assert result["head"]["vars"] == CASES_VARS
    rows = result["results"]["bindings"]
    ulsan = [r for r in rows if r["doc"]["value"] == "award-ulsan-jung.txt"]
    assert len(ulsan) == 4 and {r["agency"]["value"] for r in ulsan} == {"울산광역시 중구"}
    top = next(r for r in ulsan if "상가 재생" in r["title"]["value"])
    assert top["awards"]["value"].startswith("2024;1;최우수;")
    assert top["departments"]["value"] == "일자리경제과"


def test_example_extraction_scores(example_build, shared, tmp_path):
    out, _report, _g = example_build
    pred = tmp_path / "pred.json"
    pred.write_text(run_cli("query", "cases", "--data", str(out), "--format", "json").stdout, encoding="utf-8")
    import subprocess
    import sys

    done = subprocess.run([sys.executable, str(shared / "tools" / "score_extraction.py"), "--gold",
                           str(ROOT / "examples" / "gold.json"), "--pred", str(pred),
                           "--min-cases", "0.85", "--min-agency", "0.8", "--min-technologies", "0.7"],
                          capture_output=True, text=True)
    assert done.returncode == 0, done.stdout


def test_table_errors_name_file_and_row(tmp_path):
    table = tmp_path / "bad.csv"
    table.write_text("agency,title,technologies\n서울 관악구,시험 사례,TELEPORT\n", encoding="utf-8")
    report = build([], tmp_path / "out", tables=[table], store=False)
    assert report.failed and "bad.csv:2" in report.failed[0][0] and "TELEPORT" in report.failed[0][1]


def test_unknown_corpus_folder_is_reported(tmp_path):
    done = run_cli("build", "--corpus", str(tmp_path / "nowhere"), "--out", str(tmp_path / "o"))
    assert done.returncode == 2 and "nowhere: no such file or folder" in done.stderr


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads unreadable files")
def test_unreadable_file(tmp_path):
    path = tmp_path / "secret.txt"
    path.write_text("관악구", encoding="utf-8")
    path.chmod(0)
    with pytest.raises(InputError, match="cannot read"):
        read_document(path)


def test_a_build_without_store_removes_an_earlier_store(tmp_path):
    """A store left by an earlier build would answer queries instead of the new Turtle."""
    out = tmp_path / "kg"
    corpus = ROOT / "examples" / "corpus"
    assert run_cli("build", "--corpus", str(corpus), "--out", str(out)).returncode == 0
    assert (out / "store").is_dir()
    done = run_cli("build", "--corpus", str(corpus / "news"), "--out", str(out), "--no-store")
    assert done.returncode == 0, done.stderr
    assert not (out / "store").exists() and "removed the store" in done.stderr


def test_an_html_table_keeps_its_rows_and_cells():
    """Rows a line each, cells joined by a tab: the table layout the extractor reads in text."""
    from adminkg.loaders.documents import html_to_text

    page = ("<html><body><table><caption>심사 결과</caption><tr><th>순위</th><th>기관</th></tr>"
            "<tr><td>1</td><td> 청주시 </td><td>빈 공장 창업 공간 전환</td></tr></table><p>끝  문장</p></body></html>")
    assert html_to_text(page) == "심사 결과\n순위\t기관\n1\t청주시\t빈 공장 창업 공간 전환\n끝 문장\n"


@pytest.mark.parametrize("text, lead", [
    ("연수경찰서는 안심스위치를 설치했다.", "경찰청"),              # a police station is a unit of 경찰청
    ("목포해양경찰서는 드론 순찰을 시작했다.", "해양경찰청"),        # … a coast-guard station of 해양경찰청
    ("광주시는 감사자료 분석 시스템을 만들었다.", "광주광역시"),      # no province named: the metropolitan city
    ("경기도 광주시는 감사자료 분석 시스템을 만들었다.", "경기도 광주시"),
    ("경북교육청은 통학 알림 서비스를 열었다.", "경상북도교육청"),
])
def test_bodies_resolve_to_the_body_that_leads(text, lead):
    """The body a mention stands for as a case's lead: gazetteer homonyms by context, units known by
    the form of their name by the owner the lexicon gives them."""
    from adminkg.loaders.korean import KoreanExtractor, Lexicon

    ex = KoreanExtractor(Lexicon())
    orgs = ex.find_orgs(text, None)
    ex.resolve(orgs)
    leads = [ex.as_agency(o).name for o in orgs]
    assert leads[-1] == lead, leads
