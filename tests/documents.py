"""Writers of test documents in the formats agencies publish — HWPX, HWP 5.0, DOCX, PDF — from one
list of blocks: a paragraph is a string, a table a list of rows (lists of cells). ``as_text`` gives
the same blocks as a .txt reads (a paragraph a line, a table row a line with its cells joined by a
tab), so a test can check that each format reads to exactly that text.

DOCX is written by python-docx and PDF by fpdf2 with a Hangul font (Debian's fonts-nanum), two
producers independent of our readers; HWPX by zipfile after OWPML (KS X 6101); HWP 5.0 by a small
compound-file writer below, after Hancom's published format (the records our reader and
``tests/fixtures/hwp/`` — a real 한글 file — follow).
"""
from __future__ import annotations

import struct
import zipfile
import zlib
from pathlib import Path
from xml.sax.saxutils import escape

HANGUL_FONT = Path("/usr/share/fonts/truetype/nanum/NanumGothic.ttf")


def as_text(blocks) -> str:
    lines = []
    for block in blocks:
        lines += [block] if isinstance(block, str) else ["\t".join(row) for row in block]
    return "\n".join(lines) + "\n"


# -- DOCX ------------------------------------------------------------------------------------------
def write_docx(path: Path, blocks) -> Path:
    import docx

    document = docx.Document()
    for block in blocks:
        if isinstance(block, str):
            document.add_paragraph(block)
            continue
        table = document.add_table(rows=len(block), cols=max(map(len, block)))
        for r, row in enumerate(block):
            for c, cell in enumerate(row):
                table.cell(r, c).text = cell
    document.save(str(path))
    return path


# -- HWPX ------------------------------------------------------------------------------------------
HP = "http://www.hancom.co.kr/hwpml/2011/paragraph"
HS = "http://www.hancom.co.kr/hwpml/2011/section"


def _hp_paragraph(text: str) -> str:
    runs = "<hp:tab/>".join(escape(part) for part in text.split("\t"))
    return (f'<hp:p paraPrIDRef="0" styleIDRef="0"><hp:run charPrIDRef="0"><hp:t>{runs}</hp:t></hp:run>'
            '<hp:linesegarray><hp:lineseg textpos="0" vertpos="0"/></hp:linesegarray></hp:p>')


def _hp_table(rows) -> str:
    cols = max(map(len, rows))
    trs = []
    for r, row in enumerate(rows):
        tcs = "".join(f'<hp:tc><hp:subList>{_hp_paragraph(cell)}</hp:subList><hp:cellAddr colAddr="{c}" '
                      f'rowAddr="{r}"/><hp:cellSpan colSpan="1" rowSpan="1"/></hp:tc>' for c, cell in enumerate(row))
        trs.append(f"<hp:tr>{tcs}</hp:tr>")
    return (f'<hp:p paraPrIDRef="0" styleIDRef="0"><hp:run charPrIDRef="0"><hp:tbl rowCnt="{len(rows)}" '
            f'colCnt="{cols}">{"".join(trs)}</hp:tbl></hp:run></hp:p>')


def hwpx_section(blocks) -> str:
    body = "".join(_hp_paragraph(b) if isinstance(b, str) else _hp_table(b) for b in blocks)
    return (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><hs:sec xmlns:hs="{HS}" xmlns:hp="{HP}">'
            f"{body}</hs:sec>")


def write_hwpx(path: Path, blocks, *, sections=None, spine=None, extra: dict[str, bytes] | None = None) -> Path:
    """An HWPX package: mimetype first and stored, the manifest with its spine (*spine*: the order
    of the sections, default as given), one section per item of *sections* (default: one of
    *blocks*), and *extra* members as given."""
    sections = sections if sections is not None else [hwpx_section(blocks)]
    items = "".join(f'<opf:item id="section{i}" href="Contents/section{i}.xml" media-type="application/xml"/>'
                    for i in range(len(sections)))
    spine = "".join(f'<opf:itemref idref="section{i}"/>' for i in (spine or range(len(sections))))
    manifest = ('<?xml version="1.0" encoding="UTF-8"?><opf:package xmlns:opf="http://www.idpf.org/2007/opf/">'
                f"<opf:manifest>{items}</opf:manifest><opf:spine>{spine}</opf:spine></opf:package>")
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr(zipfile.ZipInfo("mimetype"), "application/hwp+zip", compress_type=zipfile.ZIP_STORED)
        z.writestr("version.xml", '<?xml version="1.0"?><hv:HCFVersion xmlns:hv="http://www.hancom.co.kr/hwpml/'
                                  '2011/version" major="5" minor="1"/>')
        z.writestr("Contents/content.hpf", manifest)
        for i, section in enumerate(sections):
            z.writestr(f"Contents/section{i}.xml", section)
        for name, data in (extra or {}).items():
            z.writestr(name, data)
    return path


# -- PDF -------------------------------------------------------------------------------------------
def write_pdf(path: Path, pages) -> Path:
    """A PDF with a text layer: *pages* is a list of block lists (an empty list: a page with no text)."""
    from fpdf import FPDF

    pdf = FPDF(orientation="landscape")
    pdf.add_font("nanum", fname=str(HANGUL_FONT))
    pdf.set_font("nanum", size=10)
    for blocks in pages:
        pdf.add_page()
        for block in blocks:
            if isinstance(block, str):
                pdf.cell(text=block, new_x="LMARGIN", new_y="NEXT")
                continue
            with pdf.table(first_row_as_headings=False, line_height=7) as table:
                for row in block:
                    cells = table.row()
                    for cell in row:
                        cells.cell(cell)
    pdf.output(str(path))
    return path


# -- HWP 5.0 ---------------------------------------------------------------------------------------
PARA_HEADER, PARA_TEXT, CTRL_HEADER, LIST_HEADER, TABLE = 66, 67, 71, 72, 77


def _record(tag: int, level: int, payload: bytes) -> bytes:
    if len(payload) < 0xFFF:
        return struct.pack("<I", tag | level << 10 | len(payload) << 20) + payload
    return struct.pack("<II", tag | level << 10 | 0xFFF << 20, len(payload)) + payload


def _units(text: str) -> list[int]:
    out = []
    for ch in text:
        if ch == "\t":  # a tab is an inline control of 8 code units
            out += [9, 0, 0, 0, 0, 0, 0, 9]
        else:
            out += list(struct.unpack(f"<{len(ch.encode('utf-16-le')) // 2}H", ch.encode("utf-16-le")))
    return out


def _hwp_paragraph(text: str, level: int, units_before: list[int] = ()) -> bytes:
    units = [*units_before, *_units(text), 13]
    header = struct.pack("<IIHBBHHHI", len(units), 0, 0, 0, 0, 1, 0, 1, 0)
    return _record(PARA_HEADER, level, header) + _record(PARA_TEXT, level + 1, struct.pack(f"<{len(units)}H", *units))


def _hwp_table(rows, level: int) -> bytes:
    ctrl = [11, *struct.unpack("<2H", b" lbt"), 0, 0, 0, 0, 11]  # the extended control that anchors the table
    out = _hwp_paragraph("", level, ctrl)
    out += _record(CTRL_HEADER, level + 1, b" lbt" + bytes(40))
    cols = max(map(len, rows))
    table = struct.pack("<IHHH4H", 0, len(rows), cols, 0, 0, 0, 0, 0) + struct.pack(f"<{len(rows)}H", *map(len, rows))
    out += _record(TABLE, level + 2, table + struct.pack("<H", 1))
    for r, row in enumerate(rows):
        for c, cell in enumerate(row):
            cell_header = struct.pack("<hHI", 1, 0, 0)  # paragraphs, (reserved), properties
            cell_header += struct.pack("<HHHHII4HH", c, r, 1, 1, 8000, 1000, 0, 0, 0, 0, 1)  # address, span, size …
            out += _record(LIST_HEADER, level + 2, cell_header) + _hwp_paragraph(cell, level + 2)
    return out


def hwp_section(blocks) -> bytes:
    return b"".join(_hwp_paragraph(b, 0) if isinstance(b, str) else _hwp_table(b, 0) for b in blocks)


def write_hwp(path: Path, blocks, *, flags: int = 1, section: bytes | None = None) -> Path:
    """An HWP 5.0 file: FileHeader (*flags*: bit 0 compressed, 1 password, 2 distribution),
    DocInfo and BodyText/Section0 (*section*: raw record bytes, default those of *blocks*)."""
    body = section if section is not None else hwp_section(blocks)
    if flags & 1:
        body = _deflate(body)
    header = b"HWP Document File".ljust(32, b"\0") + struct.pack("<II", 0x05000300, flags)
    streams = {("FileHeader",): header.ljust(256, b"\0"), ("DocInfo",): _deflate(b"") if flags & 1 else b"",
               ("BodyText", "Section0"): body}
    path.write_bytes(compound_file(streams))
    return path


def _deflate(data: bytes) -> bytes:
    packer = zlib.compressobj(9, zlib.DEFLATED, -15)
    return packer.compress(data) + packer.flush()


# -- a minimal compound file (OLE2, version 3: 512-byte sectors, 64-byte mini sectors) --------------
FREE, END, FATSECT, NOSTREAM = 0xFFFFFFFF, 0xFFFFFFFE, 0xFFFFFFFD, 0xFFFFFFFF


def compound_file(streams: dict[tuple[str, ...], bytes]) -> bytes:
    """The bytes of a compound file holding *streams* (path tuple → data; storages are implied)."""
    # directory: root, then storages and streams in a sorted order; siblings chained to the right
    paths = sorted({p[:i] for p in streams for i in range(1, len(p) + 1)}, key=lambda p: (len(p), p))
    entries = [()] + paths
    index = {p: i for i, p in enumerate(entries)}
    mini, big = bytearray(), []  # mini stream bytes; (entry, data) of streams of 4096 bytes and more
    mini_fat: list[int] = []
    start: dict[tuple, int] = {}
    for p in paths:
        if p not in streams:
            continue
        data = streams[p]
        if len(data) < 4096:
            first = len(mini) // 64
            count = max(1, -(-len(data) // 64))
            start[p] = first if data else END
            if data:
                mini_fat += [first + k + 1 for k in range(count - 1)] + [END]
                mini += data.ljust(count * 64, b"\0")
        else:
            big.append((p, data))
    n_dir = -(-len(entries) * 128 // 512)
    n_minifat = -(-len(mini_fat) * 4 // 512)
    n_mini = -(-len(mini) // 512)
    n_big = [-(-len(d) // 512) for _, d in big]
    n_fat = 1
    while True:
        total = n_fat + n_dir + n_minifat + n_mini + sum(n_big)
        if n_fat * 128 >= total:
            break
        n_fat += 1
    fat: list[int] = [FATSECT] * n_fat
    sector = n_fat

    def chain(count: int) -> int:
        nonlocal sector
        first = sector
        fat.extend([sector + k + 1 for k in range(count - 1)] + [END])
        sector += count
        return first

    dir_start = chain(n_dir)
    minifat_start = chain(n_minifat) if n_minifat else END
    mini_start = chain(n_mini) if n_mini else END
    for (p, _data), count in zip(big, n_big):
        start[p] = chain(count)
    fat += [FREE] * (n_fat * 128 - len(fat))

    def children(parent: tuple) -> list[tuple]:
        kids = [p for p in paths if p[:-1] == parent]
        return sorted(kids, key=lambda p: (len(p[-1]), p[-1].upper()))

    directory = bytearray()
    for p in entries:
        kind = 5 if p == () else (2 if p in streams else 1)
        name = "Root Entry" if p == () else p[-1]
        raw = (name + "\0").encode("utf-16-le")
        kids = children(p) if kind != 2 else []
        siblings = children(p[:-1]) if p else []
        right = siblings[siblings.index(p) + 1] if p and siblings.index(p) + 1 < len(siblings) else None
        child = index[kids[0]] if kids else NOSTREAM
        if kind == 5:
            first, size = mini_start, len(mini)
        elif kind == 2:
            first, size = start[p], len(streams[p])
        else:
            first, size = 0, 0
        directory += struct.pack("<64sHBBIII16sIQQIQ", raw.ljust(64, b"\0"), len(raw), kind, 1, NOSTREAM,
                                 index[right] if right else NOSTREAM, child, bytes(16), 0, 0, 0, first, size)
    directory = directory.ljust(n_dir * 512, b"\0")
    header = struct.pack("<8s16sHHHHH6sIIIIIIIII", bytes.fromhex("d0cf11e0a1b11ae1"), bytes(16), 0x3E, 3, 0xFFFE,
                         9, 6, bytes(6), 0, n_fat, dir_start, 0, 4096, minifat_start, n_minifat, END, 0)
    difat = list(range(n_fat)) + [FREE] * (109 - n_fat)
    header += struct.pack("<109I", *difat)
    body = struct.pack(f"<{len(fat)}I", *fat) + bytes(directory)
    body += struct.pack(f"<{len(mini_fat)}I", *mini_fat).ljust(n_minifat * 512, b"\xff")
    body += bytes(mini).ljust(n_mini * 512, b"\0")
    for _p, data in big:
        body += data.ljust(-(-len(data) // 512) * 512, b"\0")
    return header + body
