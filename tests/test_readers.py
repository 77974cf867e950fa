"""Documents as agencies publish them: HWPX, HWP 5.0, DOCX and PDF written by the tests (and a real
HWP 5.0 file from Hancom's 한글) read to the same text as the same words in a .txt, and build to
the same cases and evidence; the extracted text is kept beside the graph with both checksums; bad
files get one clear message each; encodings."""
from __future__ import annotations

import hashlib
import json
import re
import shutil
import zipfile
from pathlib import Path

import pytest
from rdflib import Graph, Literal
from rdflib.namespace import DCTERMS, RDF

from adminkg.errors import InputError
from adminkg.loaders.documents import read_document
from adminkg.loaders.readers import KINDS, LIMITS, Skipped, UnknownKind, kind_of
from adminkg.namespaces import AKG, OA, SPDX
from tests.conftest import ROOT, run_cli
from tests.documents import (
    HANGUL_FONT,
    as_text,
    hwpx_section,
    write_docx,
    write_hwp,
    write_hwpx,
    write_pdf,
)

HWP_SAMPLES = ROOT / "tests" / "fixtures" / "hwp"
needs_font = pytest.mark.skipif(not HANGUL_FONT.exists(), reason="fonts-nanum (a Hangul font for fpdf2) is not "
                                                                 "installed: make sysdeps")

# A press release of our own writing: a contest's result with a ranked table.
RELEASE = [
    "행정안전부, 2025년 정부혁신 우수사례 경진대회 결과 발표",
    "행정안전부는 12월 3일 2025년 정부혁신 우수사례 경진대회 결과를 발표했다.",
    "대상은 경상북도 포항시의 '드론 활용 해안 쓰레기 감시' 사례가 받았다.",
    "포항시는 드론과 인공지능 영상 분석으로 해안 쓰레기 위치를 찾아 수거 시간을 40% 줄였다.",
    [["순위", "기관", "사례명", "등급"],
     ["1", "경상북도 포항시", "드론 활용 해안 쓰레기 감시", "대상"],
     ["2", "전라남도 순천시", "어르신 안부 확인 인공지능 전화", "최우수"],
     ["3", "충청북도 청주시", "빈 점포 창업 공간 전환", "우수"]],
]
WRITERS = {
    "hwpx": write_hwpx,
    "hwp": write_hwp,
    "docx": write_docx,
    "pdf": lambda path, blocks: write_pdf(path, [blocks]),
}


def _write(kind: str, folder: Path, blocks=RELEASE, name: str = "release") -> Path:
    if kind == "pdf" and not HANGUL_FONT.exists():
        pytest.skip("fonts-nanum is not installed: make sysdeps")
    folder.mkdir(parents=True, exist_ok=True)
    return WRITERS[kind](folder / f"{name}.{kind}", blocks)


@pytest.mark.parametrize("kind", sorted(WRITERS))
def test_each_format_reads_to_the_text_of_the_same_words(tmp_path, kind):
    """Paragraphs in order, a table a row a line with its cells joined by a tab: as the .txt."""
    doc = read_document(_write(kind, tmp_path))
    assert doc.text == as_text(RELEASE)
    assert doc.kind == kind and doc.media_type == KINDS[kind].media_type and not doc.is_text
    assert doc.sha256 == hashlib.sha256((tmp_path / f"release.{kind}").read_bytes()).hexdigest()
    assert doc.pages == ([0] if kind == "pdf" else [])


def test_a_real_hwp_file_reads_to_its_own_preview_text():
    """A file 한글 wrote: its body reads to the words of the preview text 한글 stored beside it."""
    import olefile

    path = HWP_SAMPLES / "sample_document.hwp"
    with olefile.OleFileIO(str(path)) as ole:
        preview = ole.openstream("PrvText").read().decode("utf-16-le")
    words = re.sub(r"[<>]", "", preview).split()
    assert read_document(path).text.split() == words and len(words) > 40


def test_password_protected_hwp_is_named():
    with pytest.raises(InputError, match="protected_document.hwp: password-protected"):
        read_document(HWP_SAMPLES / "protected_document.hwp")


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """The release as .txt, and as HWPX, HWP, DOCX and PDF (where a Hangul font is installed), built apart."""
    base = tmp_path_factory.mktemp("formats")
    (base / "txt").mkdir()
    (base / "txt" / "release.txt").write_text(as_text(RELEASE), encoding="utf-8")
    kinds = [k for k in sorted(WRITERS) if k != "pdf" or HANGUL_FONT.exists()]
    (base / "formats").mkdir()
    for kind in kinds:
        WRITERS[kind](base / "formats" / f"release.{kind}", RELEASE)
    for name in ("txt", "formats"):
        done = run_cli("build", "--corpus", str(base / name), "--out", str(base / f"out-{name}"), "--no-store")
        assert done.returncode == 0, done.stderr
    return base, kinds


def _evidence(out: Path) -> dict[str, set]:
    """file name → {(property, start, end, quote, page)} of every evidence with a position."""
    g = Graph().parse(out / "cases.ttl")
    found: dict[str, set] = {}
    for ev in g.subjects(RDF.type, AKG.Evidence):
        target = g.value(ev, OA.hasTarget)
        name = str(g.value(g.value(target, OA.hasSource), AKG.fileName))
        pos = quote = page = None
        for sel in g.objects(target, OA.hasSelector):
            if (sel, RDF.type, OA.TextPositionSelector) in g:
                pos = (int(g.value(sel, OA.start)), int(g.value(sel, OA.end)))
            elif (sel, RDF.type, OA.TextQuoteSelector) in g:
                quote = str(g.value(sel, OA.exact))
            elif (sel, RDF.type, OA.FragmentSelector) in g:
                page = str(g.value(sel, RDF.value))
        if pos:
            found.setdefault(name, set()).add((str(g.value(ev, AKG.assertedProperty)), *pos, quote, page))
    return found


def test_cases_and_evidence_match_the_same_text(built):
    base, kinds = built
    rows: dict[str, list] = {}
    for name in ("txt", "formats"):
        done = run_cli("query", "cases", "--data", str(base / f"out-{name}"), "--format", "json")
        for b in json.loads(done.stdout)["results"]["bindings"]:
            row = {k: v["value"] for k, v in b.items() if k not in ("doc", "case")}
            rows.setdefault(b["doc"]["value"], []).append(sorted(row.items()))
    rows = {doc: sorted(cases) for doc, cases in rows.items()}
    # the table's three rows are three cases; the first, told in the text too, has its technologies
    assert len(rows["release.txt"]) == 3
    assert any(dict(c).get("title") == "드론 활용 해안 쓰레기 감시" and dict(c).get("technologies")
               for c in rows["release.txt"])
    for kind in kinds:
        assert rows[f"release.{kind}"] == rows["release.txt"], kind
    evidence = _evidence(base / "out-txt") | _evidence(base / "out-formats")
    plain = {e[:4] for e in evidence["release.txt"]}
    assert plain
    for kind in kinds:
        assert {e[:4] for e in evidence[f"release.{kind}"]} == plain, kind
        pages = {e[4] for e in evidence[f"release.{kind}"]}
        assert pages == ({"page=1"} if kind == "pdf" else {None})


def test_the_extracted_text_is_kept_with_both_checksums(built):
    base, kinds = built
    out = base / "out-formats"
    g = Graph().parse(out / "cases.ttl")
    report = json.loads((out / "report.json").read_text(encoding="utf-8"))
    assert len(report["texts"]) == len(kinds)
    index = (out / "text" / "index.tsv").read_text(encoding="utf-8").splitlines()
    assert index[0].split("\t") == ["file", "sha256", "text", "text_sha256", "pages"] and len(index) == len(kinds) + 1
    for entry in report["texts"]:
        original = Path(entry["file"])
        text = (out / entry["text"]).read_bytes()
        assert text.decode("utf-8") == as_text(RELEASE)
        assert hashlib.sha256(text).hexdigest() == entry["text_sha256"]
        assert hashlib.sha256(original.read_bytes()).hexdigest() == entry["sha256"]
        doc = next(g.subjects(AKG.fileName, Literal(original.name)))
        node = g.value(doc, DCTERMS.hasFormat)
        assert str(g.value(node, AKG.fileName)) == entry["text"]
        assert str(g.value(g.value(node, SPDX.checksum), SPDX.checksumValue)) == entry["text_sha256"]
        assert str(g.value(g.value(doc, SPDX.checksum), SPDX.checksumValue)) == entry["sha256"]
        assert str(g.value(doc, DCTERMS.format)) == KINDS[original.suffix[1:]].media_type
    assert not (base / "out-txt" / "text").exists()  # a text document is its own text


@needs_font
def test_a_pdf_page_without_text_is_noted_and_evidence_names_its_page(tmp_path):
    (tmp_path / "c").mkdir()
    path = write_pdf(tmp_path / "c" / "book.pdf", [["표지"], [], RELEASE])
    doc = read_document(path)
    assert doc.notes == ["page 2: no text layer: OCR is not done here"]
    assert doc.pages == [0, 3, 4] and doc.page_at(5) == 3 and doc.text[4:] == as_text(RELEASE)
    done = run_cli("build", "--corpus", str(tmp_path / "c"), "--out", str(tmp_path / "o"), "--no-store")
    assert done.returncode == 0 and "no text layer" in done.stderr
    assert {e[4] for e in _evidence(tmp_path / "o")["book.pdf"]} == {"page=3"}


def test_skipped_files_are_named_with_a_summary_and_the_exit_status(tmp_path):
    corpus = tmp_path / "c"
    corpus.mkdir()
    (corpus / "release.txt").write_text(as_text(RELEASE), encoding="utf-8")
    for i in range(3):
        (corpus / f"sheet{i}.xlsx").write_bytes(b"PK\x03\x04 not really")
    (corpus / "sources.tsv").write_text("file\turl\n", encoding="utf-8")  # a companion: not skipped
    if HANGUL_FONT.exists():
        write_pdf(corpus / "scan.pdf", [[], []])
    done = run_cli("build", "--corpus", str(corpus), "--out", str(tmp_path / "o"), "--no-store")
    assert done.returncode == 2
    for i in range(3):
        assert f"sheet{i}.xlsx: not a kind of document adminkg reads (.xlsx;" in done.stderr
    summary = "3 .xlsx, 1 scanned PDF" if HANGUL_FONT.exists() else "3 .xlsx"
    assert f"skipped: {summary}" in done.stdout and f"skipped: {summary}" in done.stderr
    report = json.loads((tmp_path / "o" / "report.json").read_text(encoding="utf-8"))
    assert report["skipped_summary"] == summary and report["documents_read"] == 1 and report["cases"] >= 1
    assert "sources.tsv" not in done.stderr


def test_an_unknown_kind_is_one_clear_error(tmp_path):
    with pytest.raises(UnknownKind, match=r"table\.xlsx: not a kind of document adminkg reads \(\.xlsx; it reads "
                                          r"\.docx, \.htm, \.html, \.hwp, \.hwpx, \.md, \.pdf, \.txt\)"):
        kind_of(tmp_path / "table.xlsx")


# -- bad files: one clear message each ---------------------------------------------------------------
def _zip(path: Path, members: dict[str, bytes]) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in members.items():
            z.writestr(name, data)
    return path


BAD = {
    "truncated.hwpx": lambda p: p.write_bytes(write_hwpx(p, RELEASE).read_bytes()[:300]),
    "noxml.docx": lambda p: _zip(p, {"word/document.xml": b"<w:document><w:body><w:p>unclosed"}),
    "entity.docx": lambda p: _zip(p, {"word/document.xml": b'<?xml version="1.0"?><!DOCTYPE d [<!ENTITY e SYSTEM '
                                                           b'"file:///etc/passwd">]><d>&e;</d>'}),
    "nosection.hwpx": lambda p: _zip(p, {"mimetype": b"application/hwp+zip"}),
    "random.pdf": lambda p: p.write_bytes(b"%PDF-1.7\n" + bytes(range(256)) * 4),
    "hwp3.hwp": lambda p: p.write_bytes(b"HWP Document File V3.00 \x1a\x01\x02\x03\x04\x05" + bytes(200)),
    "distribution.hwp": lambda p: write_hwp(p, RELEASE, flags=1 | 4),
    "notole.hwp": lambda p: p.write_bytes("한글 문서인 척하는 글".encode()),
}
PROBLEMS = {
    "truncated.hwpx": "damaged or truncated archive", "noxml.docx": "word/document.xml: malformed XML",
    "entity.docx": "refused XML with a DTD or entities", "nosection.hwpx": "no Contents/section*.xml",
    "random.pdf": "not a readable PDF: damaged", "hwp3.hwp": "HWP 3.0 or older",
    "distribution.hwp": "distribution document (배포용 문서)", "notole.hwp": "no OLE compound file header",
}


@pytest.mark.parametrize("name", sorted(BAD))
def test_a_bad_file_is_one_clear_error(tmp_path, name):
    path = tmp_path / name
    BAD[name](path)
    with pytest.raises(InputError) as info:
        read_document(path)
    assert not isinstance(info.value, Skipped)
    assert str(info.value).startswith(f"{path}: ") and PROBLEMS[name] in str(info.value)


def test_a_zip_bomb_is_refused_by_its_declared_and_its_real_size(tmp_path):
    small = type(LIMITS)(**{**LIMITS.__dict__, "max_uncompressed": 1_000_000})
    bomb = _zip(tmp_path / "bomb.docx", {"word/document.xml": b"<a>" + b" " * 2_000_000 + b"</a>"})
    with pytest.raises(InputError, match="possible zip bomb"):
        read_document(bomb, limits=small)
    # the same archive with its declared sizes rewritten to look small: caught while unpacking
    data = bytearray(bomb.read_bytes())
    for sig, offset in ((b"PK\x03\x04", 22), (b"PK\x01\x02", 24)):
        at = data.find(sig)
        data[at + offset:at + offset + 4] = (1000).to_bytes(4, "little")
    liar = tmp_path / "liar.docx"
    liar.write_bytes(bytes(data))
    with pytest.raises(InputError, match="liar.docx: .*(zip bomb|cannot unpack)"):
        read_document(liar, limits=small)


def test_a_document_past_its_time_is_given_up(tmp_path):
    hurried = type(LIMITS)(**{**LIMITS.__dict__, "seconds": 0.0})
    with pytest.raises(InputError, match=r"release.hwpx: not read within 0 s"):
        read_document(write_hwpx(tmp_path / "release.hwpx", RELEASE), limits=hurried)


def test_hwpx_sections_follow_the_spine(tmp_path):
    sections = [hwpx_section(["둘째 구역"]), hwpx_section(["첫째 구역"])]
    path = write_hwpx(tmp_path / "two.hwpx", [], sections=sections, spine=[1, 0])
    assert read_document(path).text == "첫째 구역\n둘째 구역\n"


# -- encodings -----------------------------------------------------------------------------------------
TEXT = "경기도 화성시 인공지능 돌봄 서비스\n"


@pytest.mark.parametrize("codec, bom", [("utf-16-le", b"\xff\xfe"), ("utf-16-be", b"\xfe\xff")])
def test_utf16_with_a_bom_is_read(tmp_path, codec, bom):
    path = tmp_path / "u16.txt"
    path.write_bytes(bom + TEXT.encode(codec))
    doc = read_document(path)
    assert doc.text == TEXT and doc.encoding == "utf-16"


@pytest.mark.parametrize("data, problem", [
    (TEXT.encode("utf-16-le"), "UTF-16 text without a byte order mark"),
    (b"\xff\xfe\x00\x00" + TEXT.encode("utf-32-le"), "UTF-32 text"),
    (TEXT.encode("utf-32-be"), "UTF-32 text without a byte order mark"),
    ("%PDF-1.4 가".encode(), "binary file: a PDF"),
])
def test_other_encodings_are_named_not_called_binary(tmp_path, data, problem):
    path = tmp_path / "odd.txt"
    path.write_bytes(data)
    with pytest.raises(InputError, match=re.escape(f"odd.txt: {problem}")):
        read_document(path)


def test_the_text_kinds_still_read_as_before(tmp_path):
    shutil.copy(ROOT / "examples" / "corpus" / "notice-pps-cp949.txt", tmp_path / "n.txt")
    assert read_document(tmp_path / "n.txt").encoding == "cp949"


def test_the_graph_of_converted_documents_conforms(built):
    """The text entity, its checksum and a PDF's page selectors pass the shapes."""
    from adminkg.validate import validate

    report = validate([built[0] / "out-formats" / "cases.ttl"])
    assert report.conforms and not report.load_errors
