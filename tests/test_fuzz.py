"""Every reader on generated inputs (hypothesis): random bytes under every suffix; real documents of
each kind truncated, with bytes flipped or inserted; zip bombs (by declared and by real size, against
a cap lowered to 1 MB); malformed XML and XML with DTDs, entities and external references; very long
lines; text mixing UTF-8, CP949, UTF-16 and Latin-1. Each input either reads to NFC text or raises
one :class:`InputError` that names the file on one line; nothing else escapes, and no document
runs past its deadline.

The suite runs the ``suite`` profile (a few hundred inputs); ``make fuzz`` runs
``--hypothesis-profile=fuzz``: 10,000.
"""
from __future__ import annotations

import time
import unicodedata
import zipfile
from io import BytesIO

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from adminkg.build import build
from adminkg.errors import InputError
from adminkg.loaders.documents import read_document
from adminkg.loaders.readers import LIMITS, SUFFIXES
from tests.documents import (
    HANGUL_FONT,
    as_text,
    hwp_section,
    hwpx_section,
    write_docx,
    write_hwp,
    write_hwpx,
    write_pdf,
)

# lower caps, so that a bomb is cheap to make; the deadline is the bound on time per document
FUZZ_LIMITS = type(LIMITS)(**{**LIMITS.__dict__, "max_uncompressed": 1_000_000, "max_characters": 2_000_000,
                              "seconds": 10.0})
BLOCKS = ["부산광역시 해운대구는 'AI 민원 상담' 사업을 시작했다.", "상담 시간은 30% 줄었다.",
          [["순위", "기관"], ["1", "해운대구"]]]
ENTITIES = [
    b'<!DOCTYPE d [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">'
    b'<!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">]>',
    b'<!DOCTYPE d [<!ENTITY e SYSTEM "file:///etc/passwd">]>',
    b'<!DOCTYPE d [<!ENTITY % p SYSTEM "http://127.0.0.1:9/x.dtd"> %p;]>',
    b'<!DOCTYPE d SYSTEM "http://127.0.0.1:9/d.dtd">',
]


def _sample(kind: str, tmp) -> bytes:
    path = tmp / f"s.{kind}"
    {"hwpx": write_hwpx, "hwp": write_hwp, "docx": write_docx}[kind](path, BLOCKS)
    return path.read_bytes()


SAMPLES: dict[str, bytes] = {}  # one valid document per kind, filled by the fixture (kept out of hypothesis' reprs)


@pytest.fixture(scope="module")
def samples(tmp_path_factory) -> dict[str, bytes]:
    if SAMPLES:
        return SAMPLES
    tmp = tmp_path_factory.mktemp("samples")
    out = SAMPLES
    out.update({kind: _sample(kind, tmp) for kind in ("hwpx", "hwp", "docx")})
    if HANGUL_FONT.exists():
        out["pdf"] = write_pdf(tmp / "s.pdf", [BLOCKS]).read_bytes()
    text = as_text(BLOCKS)
    out["txt"] = text.encode("utf-8")
    out["md"] = text.encode("cp949")
    out["html"] = f"<html><body><p>{text}</p><table><tr><td>1</td><td>가</td></tr></table></body></html>".encode()
    return out


def _zip(members: dict[str, bytes]) -> bytes:
    buf = BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in members.items():
            z.writestr(name, data)
    return buf.getvalue()


XML_TOKENS = [*"<>/&;=\"' ab가나:pt#x", "<p>", "</p>", "<t>", "</t>", "<tbl>", "<tr>", "<tc>", "</tc>", "&e;",
              "<![CDATA[", "]]>", "<?pi?>", "<!--", "-->", "<w:p>", "<hp:t>", "&#0;", "&#xD800;"]
BODY = {"docx": "word/document.xml", "hwpx": "Contents/section0.xml"}
XML = {"docx": lambda inner: (b'<?xml version="1.0"?><w:document xmlns:w="http://schemas.openxmlformats.org/'
                              b'wordprocessingml/2006/main"><w:body>' + inner + b"</w:body></w:document>"),
       "hwpx": lambda inner: hwpx_section([]).encode().replace(b"</hs:sec>", inner + b"</hs:sec>")}


@st.composite
def inputs(draw):
    """(suffix, bytes) of one generated document."""
    samples = SAMPLES
    how = draw(st.sampled_from(["random", "damaged", "bomb", "xml", "entities", "long", "mixed", "hwp-records"]))
    if how == "random":
        return draw(st.sampled_from(sorted(SUFFIXES))), draw(st.binary(max_size=2048))
    if how == "damaged":
        kind = draw(st.sampled_from(sorted(samples)))
        data = bytearray(samples[kind])
        for _ in range(draw(st.integers(0, 8))):
            at = draw(st.integers(0, len(data) - 1))
            data[at] = draw(st.integers(0, 255))
        if draw(st.booleans()):
            del data[draw(st.integers(0, len(data))):]
        if draw(st.booleans()):
            at = draw(st.integers(0, len(data)))
            data[at:at] = draw(st.binary(max_size=64))
        return "." + kind, bytes(data)
    if how == "bomb":
        kind = draw(st.sampled_from(["docx", "hwpx"]))
        size = draw(st.integers(900_000, 3_000_000))
        data = bytearray(_zip({BODY[kind]: XML[kind](b"<w:p><w:r><w:t>" + b"A" * size + b"</w:t></w:r></w:p>")}))
        if draw(st.booleans()):  # declared sizes that lie
            for sig, offset in ((b"PK\x03\x04", 22), (b"PK\x01\x02", 24)):
                at = data.find(sig)
                data[at + offset:at + offset + 4] = draw(st.integers(0, 2**32 - 1)).to_bytes(4, "little")
        return "." + kind, bytes(data)
    if how in ("xml", "entities"):
        kind = draw(st.sampled_from(["docx", "hwpx"]))
        inner = "".join(draw(st.lists(st.sampled_from(XML_TOKENS), max_size=60))).encode()
        body = XML[kind](inner)
        if how == "entities":
            body = b'<?xml version="1.0"?>' + draw(st.sampled_from(ENTITIES)) + body.split(b"?>", 1)[-1]
        return "." + kind, _zip({BODY[kind]: body, **({"mimetype": b"application/hwp+zip"} if kind == "hwpx" else {})})
    if how == "long":
        kind = draw(st.sampled_from(["txt", "hwpx", "docx", "hwp"]))
        line = draw(st.sampled_from(["가", "a", "관악구 ", "\t"])) * draw(st.integers(10_000, 300_000))
        if kind == "txt":
            return ".txt", line.encode("utf-8")
        buf = BytesIO()
        if kind == "hwpx":
            return ".hwpx", _zip({"Contents/section0.xml": hwpx_section([line]).encode()})
        if kind == "docx":
            return ".docx", _zip({BODY["docx"]: XML["docx"](f"<w:p><w:r><w:t>{line}</w:t></w:r></w:p>".encode())})
        from tests.documents import compound_file

        header = b"HWP Document File".ljust(32, b"\0") + (0x05000300).to_bytes(4, "little") + bytes(4)
        buf.write(compound_file({("FileHeader",): header.ljust(256, b"\0"), ("BodyText", "Section0"):
                                 hwp_section([line])}))
        return ".hwp", buf.getvalue()
    if how == "hwp-records":  # a valid compound file around records of random bytes
        from tests.documents import compound_file

        header = b"HWP Document File".ljust(32, b"\0") + (0x05000300).to_bytes(4, "little") + bytes(4)
        body = hwp_section(BLOCKS)
        body = body[:draw(st.integers(0, len(body)))] + draw(st.binary(max_size=256))
        return ".hwp", compound_file({("FileHeader",): header.ljust(256, b"\0"), ("BodyText", "Section0"): body})
    parts = draw(st.lists(st.tuples(st.sampled_from(["utf-8", "cp949", "utf-16-le", "latin-1"]),
                                    st.sampled_from(["관악구 적극행정", "AI 상담", "é café", "\n", "드론 — 30%"])),
                          min_size=1, max_size=12))
    return draw(st.sampled_from([".txt", ".md", ".html"])), b"".join(t.encode(c, "replace") for c, t in parts)


def check_one(tmp_path, suffix: str, data: bytes) -> None:
    """One generated document: read to NFC text, or one InputError naming the file, in bounded time."""
    path = tmp_path / f"fuzz{suffix}"
    path.write_bytes(data)
    started = time.monotonic()
    try:
        doc = read_document(path, limits=FUZZ_LIMITS)
    except InputError as exc:
        message = str(exc)
        assert message.startswith(f"{path}: ") and "\n" not in message and "Traceback" not in message
    else:
        assert doc.text.strip() and unicodedata.is_normalized("NFC", doc.text)
        assert len(doc.text) <= FUZZ_LIMITS.max_characters
    # the bound on time per document: the deadline, checked between pages, paragraphs and records
    assert time.monotonic() - started < 3 * FUZZ_LIMITS.seconds


@settings(suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large,
                                 HealthCheck.function_scoped_fixture], deadline=None)
@given(case=inputs())
def test_every_reader_survives_generated_inputs(samples, tmp_path, case):
    check_one(tmp_path, *case)


def test_broken_documents_fail_one_by_one_and_the_others_are_built(samples, tmp_path):
    corpus = tmp_path / "c"
    corpus.mkdir()
    (corpus / "good.txt").write_bytes(samples["txt"])
    broken = {"cut.hwpx": samples["hwpx"][:200], "cut.hwp": samples["hwp"][:1500], "noise.docx": bytes(range(256)),
              "bomb.docx": _zip({BODY["docx"]: XML["docx"](b"<w:p><w:r><w:t>" + b"A" * 20_000_000 + b"</w:t>"
                                                            b"</w:r></w:p>")}),
              "entity.hwpx": _zip({BODY["hwpx"]: b'<?xml version="1.0"?>' + ENTITIES[1] + b"<d>&e;</d>"})}
    for name, data in broken.items():
        (corpus / name).write_bytes(data)
    report = build([corpus], tmp_path / "out", store=False)
    assert report.documents == 1 and report.cases >= 1
    failed = dict(report.failed)
    assert sorted(failed) == sorted(str(corpus / name) for name in broken)
    assert "zip bomb" in failed[str(corpus / "bomb.docx")]
    assert "DTD or entities" in failed[str(corpus / "entity.hwpx")]
