"""HWP 5.0 (the binary 한글 format): an OLE compound file (read with ``olefile``) whose
``BodyText/Section*`` streams, raw-deflated when the header says so (``zlib``, capped at
``limits.max_uncompressed``), hold records, following Hancom's published format description
(한글 문서 파일 형식 5.0):

* a record header is one little-endian 32-bit word: tag (10 bits), level (10 bits), size (12 bits;
  0xFFF: the size follows as another word);
* a paragraph is a ``PARA_HEADER`` at level L, its text a ``PARA_TEXT`` at L+1 (UTF-16LE code units;
  code units below 32 are controls: 9 a tab, 10 a line break, 30/31 spaces; inline and extended
  controls take 8 code units and are left out);
* a table is a ``CTRL_HEADER`` with id ``tbl `` at L+1, then a ``TABLE`` record at L+2 (rows, columns,
  cells per row) and one ``LIST_HEADER`` per cell at L+2, followed by the cell's paragraphs at L+2;
  cells come row by row, so a row is a line, its cells joined by a tab.

A password-protected or distribution document (배포용 문서) has encrypted sections: refused with that
reason. HWP 3 and older are not OLE files: named as such.
"""
from __future__ import annotations

import re
import struct
import zlib

from adminkg.errors import InputError

from . import Extracted

SIGNATURE = b"HWP Document File"
TAG_BEGIN = 16
PARA_HEADER, PARA_TEXT, CTRL_HEADER, LIST_HEADER, TABLE = (TAG_BEGIN + n for n in (50, 51, 55, 56, 61))
TABLE_ID = b" lbt"  # the control id 'tbl ' as a little-endian word
EXTENDED = frozenset({1, 2, 3, 11, 12, 14, 15, 16, 17, 18, 21, 22, 23})
INLINE = frozenset({4, 5, 6, 7, 8, 9, 19, 20})
SECTION = re.compile(r"Section(\d+)")


def records(data: bytes) -> list[tuple[int, int, bytes]]:
    """(tag, level, payload) of every record of a section stream; a record cut short ends the list."""
    out, i, n = [], 0, len(data)
    while i + 4 <= n:
        (word,) = struct.unpack_from("<I", data, i)
        tag, level, size = word & 0x3FF, (word >> 10) & 0x3FF, word >> 20
        i += 4
        if size == 0xFFF:
            if i + 4 > n:
                break
            (size,) = struct.unpack_from("<I", data, i)
            i += 4
        out.append((tag, level, data[i:i + size]))
        i += size
    return out


def para_text(data: bytes) -> str:
    """The text of a PARA_TEXT record: characters, tabs, line breaks; controls left out."""
    units = struct.unpack(f"<{len(data) // 2}H", data[:len(data) // 2 * 2])
    out: list[str] = []
    run: list[int] = []

    def close_run() -> None:
        if run:
            out.append(struct.pack(f"<{len(run)}H", *run).decode("utf-16-le", errors="replace"))
            run.clear()

    i = 0
    while i < len(units):
        unit = units[i]
        if unit >= 32:
            run.append(unit)
            i += 1
            continue
        close_run()
        if unit in EXTENDED or unit in INLINE:
            if unit == 9:
                out.append("\t")
            i += 8
            continue
        if unit == 10:
            out.append("\n")
        elif unit in (30, 31):
            out.append(" ")
        elif unit == 24:
            out.append("-")
        i += 1
    close_run()
    return "".join(out)


class Sections:
    """Reads the paragraphs and tables of a list of records (see the module docstring)."""

    def __init__(self, recs: list[tuple[int, int, bytes]], check):
        self.recs = recs
        self.check = check

    def paragraphs(self, i: int, level: int, out: list[str]) -> int:
        """Read the paragraphs at *level* from record *i* into *out*; stop at a record of a lower
        level or the next cell. Returns where it stopped."""
        recs = self.recs
        while i < len(recs):
            tag, lv, _ = recs[i]
            if lv < level or (lv == level and tag == LIST_HEADER):
                break
            if lv == level and tag == PARA_HEADER:
                self.check()
                i = self.paragraph(i, level, out)
            else:
                i += 1
        return i

    def paragraph(self, i: int, level: int, out: list[str]) -> int:
        recs = self.recs
        text: list[str] = []
        tables: list[str] = []
        j = i + 1
        while j < len(recs) and recs[j][1] > level:
            tag, lv, data = recs[j]
            if lv == level + 1 and tag == PARA_TEXT:
                text.append(para_text(data))
            elif lv == level + 1 and tag == CTRL_HEADER and data[:4] == TABLE_ID:
                j = self.table(j + 1, level + 2, tables)
                continue
            j += 1
        out.extend(line for line in "".join(text).split("\n") if line.strip())
        out.extend(tables)
        return j

    def table(self, j: int, level: int, out: list[str]) -> int:
        recs = self.recs
        row_sizes: list[int] = []
        cells: list[str] = []
        while j < len(recs) and recs[j][1] >= level:
            tag, lv, data = recs[j]
            if lv == level and tag == TABLE and len(data) >= 8:
                rows, cols = struct.unpack_from("<HH", data, 4)
                sizes = [struct.unpack_from("<H", data, 18 + 2 * r)[0] for r in range(rows) if 20 + 2 * r <= len(data)]
                row_sizes = sizes if len(sizes) == rows and all(sizes) else [max(cols, 1)] * rows
                j += 1
            elif lv == level and tag == LIST_HEADER:
                lines: list[str] = []
                j = self.paragraphs(j + 1, level, lines)
                cells.append(" ".join(" ".join(line.split()) for line in lines))
            else:
                j += 1
        k = 0
        for size in row_sizes or [max(len(cells), 1)]:
            row = cells[k:k + size]
            k += size
            if any(row):
                out.append("\t".join(row))
            self.check()
        if k < len(cells):  # cells beyond what the TABLE record announced: one more row each
            out.extend(cell for cell in cells[k:] if cell)
        return j


def _stream(path, ole, name: list[str], compressed: bool, limits) -> bytes:
    data = ole.openstream(name).read()
    if not compressed:
        return data
    inflater = zlib.decompressobj(-15)
    try:
        out = inflater.decompress(data, limits.max_uncompressed + 1)
    except zlib.error as exc:
        raise InputError(path, f"{'/'.join(name)}: damaged compressed stream ({exc})") from exc
    if len(out) > limits.max_uncompressed or inflater.unconsumed_tail:
        raise InputError(path, f"{'/'.join(name)} unpacks to more than {limits.max_uncompressed / 1e6:,.0f} MB: "
                               "refused as a possible zip bomb")
    return out


def read(path, data: bytes, limits) -> Extracted:
    import olefile

    if data.startswith(b"HWP Document File V"):
        raise InputError(path, "an HWP 3.0 or older document: only HWP 5.0 (한글 2002 and later) is read; "
                               "save it as HWPX or HWP in a recent 한글")
    if not olefile.isOleFile(data=data):
        raise InputError(path, "not an HWP 5.0 file (no OLE compound file header)")
    ole = olefile.OleFileIO(data)
    try:
        if not ole.exists("FileHeader"):
            raise InputError(path, "no FileHeader stream: not an HWP 5.0 document")
        header = ole.openstream("FileHeader").read()
        if not header.startswith(SIGNATURE) or len(header) < 40:
            raise InputError(path, "FileHeader has no HWP signature: not an HWP 5.0 document")
        (flags,) = struct.unpack_from("<I", header, 36)
        if flags & 2:
            raise InputError(path, "password-protected HWP document: its text is encrypted")
        if flags & 4:
            raise InputError(path, "distribution document (배포용 문서): its text is encrypted; ask for another copy")
        names = sorted((int(m.group(1)), entry) for entry in ole.listdir()
                       if len(entry) == 2 and entry[0] == "BodyText" and (m := SECTION.fullmatch(entry[1])))
        if not names:
            raise InputError(path, "no BodyText/Section streams: not an HWP 5.0 document")
        lines: list[str] = []
        for _, name in names:
            limits.check_time(path)
            recs = records(_stream(path, ole, name, bool(flags & 1), limits))
            Sections(recs, lambda: limits.check_time(path)).paragraphs(0, 0, lines)
    finally:
        ole.close()
    return Extracted(["\n".join(lines) + "\n"] if lines else [""])
