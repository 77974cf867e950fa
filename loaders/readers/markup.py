"""What the XML readers (HWPX, DOCX) share: a zip archive opened within caps, XML parsed without
DTDs or entities, and one walk from paragraphs and tables to lines of text.

* ``open_archive`` refuses a damaged archive, one of too many members, and one whose members would
  unpack to more than ``limits.max_uncompressed`` bytes or ``limits.max_ratio`` times their packed
  size (a zip bomb) — by the sizes the archive declares, and ``read_member`` again by the bytes it
  actually unpacks (a declared size can lie);
* ``parse_xml`` parses with defusedxml: a DTD, an entity declaration or an external reference is
  refused, never expanded or fetched;
* ``lines_of`` walks paragraphs (``p``), runs of text (``t``), tabs, line breaks and tables
  (``tbl`` → ``tr`` → ``tc``) by their local names, which OWPML (HWPX) and WordprocessingML (DOCX)
  share: a paragraph is a line; a table row is a line, its cells joined by a tab, the paragraphs of
  a cell joined by a space (a table inside a cell is read the same way, inline).
"""
from __future__ import annotations

import zipfile
from io import BytesIO
from xml.etree.ElementTree import Element, ParseError

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import fromstring

from adminkg.errors import InputError

# Elements whose text is no part of the document's text: properties (tab stops are ``tab`` too),
# deleted text, field instructions.
SKIP = frozenset({"pPr", "rPr", "tblPr", "trPr", "tcPr", "sectPr", "tabs", "delText", "instrText", "tblGrid",
                  "secPr", "linesegarray", "cellAddr", "cellSpan", "cellSz", "cellMargin", "fieldBegin"})
BREAKS = frozenset({"br", "cr", "lineBreak"})


def open_archive(path, data: bytes, limits, label: str) -> zipfile.ZipFile:
    """The zip archive of *data*, checked against the caps; :class:`InputError` otherwise."""
    try:
        archive = zipfile.ZipFile(BytesIO(data))
        members = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError) as exc:
        raise InputError(path, f"not a readable {label} file: a damaged or truncated archive ({exc})") from exc
    if len(members) > limits.max_members:
        raise InputError(path, f"archive of {len(members):,} members (the limit is {limits.max_members:,}): refused")
    unpacked = sum(m.file_size for m in members)
    packed = max(1, sum(m.compress_size for m in members))
    if unpacked > limits.max_uncompressed or unpacked > limits.max_ratio * packed + 1_000_000:
        raise InputError(path, f"archive would unpack to {unpacked / 1e6:,.1f} MB from {packed / 1e6:,.1f} MB: "
                               "refused as a possible zip bomb (limits in readers.toml)")
    return archive


def read_member(path, archive: zipfile.ZipFile, name: str, limits) -> bytes:
    """The bytes of member *name*, unpacking no more than the cap whatever its header says."""
    cap = limits.max_uncompressed
    try:
        with archive.open(name) as fh:
            data = fh.read(cap + 1)
    except KeyError as exc:
        raise InputError(path, f"archive has no {name}: not a complete document") from exc
    except (zipfile.BadZipFile, OSError, EOFError, ValueError, NotImplementedError, RuntimeError) as exc:
        # RuntimeError: an encrypted member; NotImplementedError: an unknown compression method
        raise InputError(path, f"cannot unpack {name}: {exc}") from exc
    except Exception as exc:  # zlib.error and the like from a damaged stream
        raise InputError(path, f"cannot unpack {name}: {type(exc).__name__}: {exc}") from exc
    if len(data) > cap:
        raise InputError(path, f"{name} unpacks to more than {cap / 1e6:,.0f} MB: refused as a possible zip bomb")
    return data


def parse_xml(path, member: str, data: bytes) -> Element:
    """The root element of *data*; :class:`InputError` for malformed XML or any DTD or entity."""
    try:
        return fromstring(data, forbid_dtd=True, forbid_entities=True, forbid_external=True)
    except ParseError as exc:
        raise InputError(path, f"{member}: malformed XML ({exc})") from exc
    except DefusedXmlException as exc:
        raise InputError(path, f"{member}: refused XML with a DTD or entities ({type(exc).__name__})") from exc


def local(tag) -> str:
    """The local name of an element's tag (``{namespace}p`` → ``p``); '' for comments."""
    return tag.rpartition("}")[2] if isinstance(tag, str) else ""


class Walker:
    """Collects the lines of a document body (see the module docstring). *check* is called for every
    paragraph and table row, so a reader's deadline is kept on an enormous body."""

    def __init__(self, check=lambda: None):
        self.lines: list[str] = []
        self.buf: list[str] = []
        self.check = check

    def flush(self) -> None:
        line = "".join(self.buf)
        self.buf = []
        if line.strip():
            self.lines.append(line)

    def walk(self, element: Element) -> None:
        for child in element:
            name = local(child.tag)
            if name in SKIP or not name:
                continue
            if name == "t":
                self.text(child)
            elif name == "tab":
                self.buf.append("\t")
            elif name in BREAKS:
                self.buf.append("\n")
            elif name == "tbl":
                self.flush()
                self.table(child)
            elif name == "p":
                self.check()
                self.flush()
                self.walk(child)
                self.flush()
            else:
                self.walk(child)

    def text(self, element: Element) -> None:
        """A run of text: its own text, and (OWPML) tabs and line breaks inside it."""
        self.buf.append(element.text or "")
        for child in element:
            name = local(child.tag)
            if name == "tab":
                self.buf.append("\t")
            elif name in BREAKS:
                self.buf.append("\n")
            elif name not in SKIP:
                self.buf.append("".join(child.itertext()))
            self.buf.append(child.tail or "")

    def table(self, element: Element) -> None:
        for row in (r for r in element if local(r.tag) == "tr"):
            self.check()
            cells = []
            for cell in (c for c in row if local(c.tag) == "tc"):
                inner = Walker(self.check)
                inner.walk(cell)
                inner.flush()
                cells.append(" ".join(" ".join(line.split()) for line in inner.lines))
            if any(cells):
                self.lines.append("\t".join(cells))


def lines_of(root: Element, check=lambda: None) -> list[str]:
    """The lines of text of a document body (see the module docstring)."""
    walker = Walker(check)
    walker.walk(root)
    walker.flush()
    return walker.lines
