"""Reading source documents: decode, strip markup, normalise — the first passes of the loader.

Passes, in order (each a function below):

1. ``kind_of`` (:mod:`.readers`) — the file's kind by its suffix; an unknown kind is one clear error;
2. ``read_bytes`` — refuse empty and enormous files (and, for text kinds, binary ones) with a clear
   message;
3. for HWPX, HWP, PDF and DOCX: the kind's reader (:mod:`.readers`) — paragraphs in order, tables as
   rows of tab-joined cells, a PDF page by page; for text kinds:
   ``decode`` — UTF-8 (with or without BOM), UTF-16 with a BOM, else CP949/EUC-KR; a UTF-8 file cut
   inside a character is accepted with a note (truncated); any other encoding is named;
   ``html_to_text`` — for .html/.htm: the text content, block elements as line breaks, no
   script/style, tables as rows of tab-joined cells;
4. NFC normalisation. Evidence offsets count Unicode code points of this final text, so
   ``read_document(path).text[start:end]`` is the matched span. For a document that is not text,
   the build keeps this text beside the graph (``OUT/text/``) with its sha256, so the offsets stay
   checkable; a PDF's page starts are kept (``Document.pages``) for the evidence.

Manifests (``sources*.tsv`` beside the documents: file, url, title, publisher, date) are read by
``read_manifests``.
"""
from __future__ import annotations

import csv
import hashlib
import html
import re
import unicodedata
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path

from adminkg.errors import InputError

from .readers import LIMITS, Kind, Limits, is_companion, kind_of, read_with

MAX_BYTES = LIMITS.max_bytes
# What a file that is no text starts with, to name it when it is given a text suffix.
MAGIC = {b"%PDF-": "a PDF", b"PK\x03\x04": "a zip archive (HWPX, DOCX, XLSX …)",
         b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1": "an OLE compound file (HWP, DOC, XLS …)"}


@dataclass
class Document:
    """One decoded document: its file, checksum, text (NFC) and what the manifest says of it."""

    path: Path
    name: str
    sha256: str
    encoding: str
    kind: str
    text: str
    notes: list[str] = field(default_factory=list)
    url: str = ""
    title: str = ""
    publisher: str = ""
    date: str = ""
    media_type: str = "text/plain"
    pages: list[int] = field(default_factory=list)  # a PDF's page starts in ``text`` (code points)

    @property
    def is_text(self) -> bool:
        """Whether the file itself is text (its offsets count in it), not a converted format."""
        return self.kind in ("text", "markdown", "html")

    @property
    def text_sha256(self) -> str:
        """The sha256 of the NFC text (UTF-8) the evidence offsets count in."""
        return hashlib.sha256(self.text.encode("utf-8")).hexdigest()

    def page_at(self, offset: int) -> int | None:
        """The page (1-based) of a PDF holding *offset*; None for other documents."""
        if not self.pages:
            return None
        page = 0
        for i, start in enumerate(self.pages):
            if start <= offset:
                page = i
        return page + 1


def read_bytes(path: Path, max_bytes: int = MAX_BYTES, *, text: bool = True) -> bytes:
    """The file's bytes; :class:`InputError` for unreadable, empty or enormous files, and for a
    *text* kind a binary one (named when it is a PDF, an archive or an OLE file)."""
    try:
        size = path.stat().st_size
        if size >= max_bytes:
            raise InputError(path, f"too large ({size / 1e6:.1f} MB; the limit is {max_bytes / 1e6:.0f} MB)")
        data = path.read_bytes()
    except OSError as exc:
        raise InputError(path, f"cannot read: {exc.strerror or exc}") from exc
    if not data.strip():
        raise InputError(path, "empty file")
    if text:
        for magic, what in MAGIC.items():
            if data.startswith(magic):
                raise InputError(path, f"binary file: {what}, not a text document; give it the suffix of its kind")
        if b"\x00" in data[:8192] and not data.startswith(BOMS_16) and _utf16_or_32(data) is None:
            raise InputError(path, "binary file (NUL bytes), not a text document")
    return data


BOMS_16 = (b"\xff\xfe", b"\xfe\xff")


def _utf16_or_32(data: bytes) -> str | None:
    """The encoding a BOM-less file with NUL bytes looks like — UTF-32 (every 4-byte unit a code
    point), UTF-16 (NULs on one side of the 2-byte units only, decoding to printable text) — or None."""
    head = data[:4096]
    if b"\x00" not in head or len(head) < 8:
        return None
    units = [head[i:i + 4] for i in range(0, len(head) - len(head) % 4, 4)]
    if all(u[3] == 0 and u[2] <= 0x10 for u in units) or all(u[0] == 0 and u[1] <= 0x10 for u in units):
        return "UTF-32"
    even, odd = head[0::2].count(0), head[1::2].count(0)
    if bool(even) != bool(odd):
        text = head[:len(head) // 2 * 2].decode("utf-16-be" if even else "utf-16-le", errors="replace")
        if sum(ch.isprintable() or ch.isspace() for ch in text) >= 0.9 * len(text):
            return "UTF-16"
    return None


def decode(path: Path, data: bytes) -> tuple[str, str, list[str]]:
    """(text, encoding, notes): UTF-8 (BOM or not), else CP949 (a superset of EUC-KR)."""
    notes: list[str] = []
    if data.startswith((b"\xff\xfe\x00\x00", b"\x00\x00\xfe\xff")):
        raise InputError(path, "UTF-32 text: adminkg reads UTF-8, UTF-16 with a BOM and CP949; save it as UTF-8")
    if data.startswith(BOMS_16):
        codec = "utf-16-le" if data.startswith(b"\xff\xfe") else "utf-16-be"
        try:
            return data[2:].decode(codec), "utf-16", notes
        except UnicodeDecodeError as exc:
            raise InputError(path, f"UTF-16 by its byte order mark, but byte {exc.start + 2} is no UTF-16 "
                                   f"({exc.reason}): mis-encoded") from exc
    if (wide := _utf16_or_32(data)) is not None:
        raise InputError(path, f"{wide} text without a byte order mark: adminkg reads UTF-8, UTF-16 with a BOM "
                               "and CP949; save it as UTF-8 (or UTF-16 with a BOM)")
    if data.startswith(b"\xef\xbb\xbf"):
        data, bom = data[3:], True
    else:
        bom = False
    try:
        return data.decode("utf-8"), "utf-8-sig" if bom else "utf-8", notes
    except UnicodeDecodeError as exc:
        # cut inside the last character: keep what is whole, say so
        if exc.start >= len(data) - 3 and exc.reason == "unexpected end of data":
            notes.append(f"truncated: the last {len(data) - exc.start} byte(s) are half a character")
            return data[:exc.start].decode("utf-8"), "utf-8", notes
        utf8_error = exc
    try:
        text = data.decode("cp949")
    except UnicodeDecodeError as exc:
        raise InputError(path, f"neither UTF-8 (byte {utf8_error.start}) nor CP949/EUC-KR "
                               f"(byte {exc.start}): mis-encoded or not text") from exc
    if sum(ch.isprintable() or ch.isspace() for ch in text) < 0.95 * len(text):
        raise InputError(path, "decodes only to control characters: not a text document")
    return text, "cp949", notes


class _TextExtractor(HTMLParser):
    BLOCKS = {"p", "div", "br", "li", "tr", "h1", "h2", "h3", "h4", "h5", "h6", "section", "article",
              "header", "footer", "table", "ul", "ol", "dd", "dt", "blockquote", "title"}
    SKIP = {"script", "style", "noscript", "template"}
    CELLS = {"td", "th"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.skip = 0

    def handle_starttag(self, tag, attrs):
        if tag in self.SKIP:
            self.skip += 1
        elif tag in self.BLOCKS:
            self.parts.append("\n")

    def handle_endtag(self, tag):
        if tag in self.SKIP and self.skip:
            self.skip -= 1
        elif tag in self.BLOCKS:
            self.parts.append("\n")
        elif tag in self.CELLS:
            self.parts.append("\t")

    def handle_data(self, data):
        if not self.skip:
            self.parts.append(data)


def html_to_text(markup: str) -> str:
    """The text content of an HTML page: block elements become line breaks, runs of blank lines fold;
    a table keeps its rows, one a line, cells joined by a tab (the layout the extractor knows)."""
    parser = _TextExtractor()
    parser.feed(markup)
    parser.close()
    text = html.unescape("".join(parser.parts))
    text = re.sub(r"[ \r\f\v]+", " ", text)
    text = re.sub(r" ?\t[ \t]*", "\t", text)
    text = re.sub(r"[ \t]*\n[ \t\n]*", "\n", text)
    return text.strip() + "\n"


def looks_like_html(text: str) -> bool:
    head = text[:2000].lower()
    return "<html" in head or "<!doctype html" in head or ("<body" in head and "</" in text)


def _nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text.replace("\r\n", "\n").replace("\r", "\n"))


def read_document(path: Path | str, *, max_bytes: int = MAX_BYTES, kind: Kind | None = None,
                  limits: Limits | None = None) -> Document:
    """Read one document through every pass; :class:`InputError` names the file and the problem
    (:class:`~.readers.UnknownKind` for a kind no reader knows, :class:`~.readers.Skipped` for a
    file with no text to extract). *kind* overrides the kind the suffix gives; *limits* the caps
    of readers.toml."""
    path = Path(path)
    kind = kind or kind_of(path)
    data = read_bytes(path, max_bytes, text=kind.module is None)
    if kind.module is not None:
        extracted = read_with(kind, path, data, limits)
        parts, encoding, notes, name = [_nfc(p) for p in extracted.parts], "", extracted.notes, kind.name
    else:
        text, encoding, notes = decode(path, data)
        name = kind.name
        if name == "html" or looks_like_html(text):
            name = "html"
            text = html_to_text(text)
        parts = [_nfc(text)]
    text = "".join(parts)
    if not text.strip():
        raise InputError(path, "no text content")
    pages: list[int] = []
    if kind.module is not None and extracted.part_label == "page":
        start = 0
        for part in parts:
            pages.append(start)
            start += len(part)
    media = "text/html" if name == "html" else kind.media_type
    return Document(path=path, name=path.name, sha256=hashlib.sha256(data).hexdigest(), encoding=encoding,
                    kind=name, text=text, notes=notes, media_type=media, pages=pages)


def find_documents(roots: list[Path]) -> list[Path]:
    """Every file under *roots* (recursively), sorted, but companions (manifests, annotations,
    dotfiles: ``[companions]`` of readers.toml). Files of kinds no reader knows are listed too, so
    that the build names them as skipped instead of passing over them in silence."""
    found: set[Path] = set()
    for root in roots:
        if root.is_file():
            found.add(root)
            continue
        for path in root.rglob("*"):
            if path.is_file() and not is_companion(path) and not any(
                    part.startswith(".") for part in path.relative_to(root).parts):
                found.add(path)
    return sorted(found)


MANIFEST_COLUMNS = ("file", "url", "title", "publisher", "date")


def read_manifests(roots: list[Path]) -> tuple[dict[Path, dict[str, str]], list[InputError]]:
    """Rows of every ``sources*.tsv`` under *roots*, keyed by the document path they describe."""
    rows: dict[Path, dict[str, str]] = {}
    errors: list[InputError] = []
    for root in roots:
        if not root.is_dir():
            continue
        for manifest in sorted(root.rglob("sources*.tsv")):
            try:
                with manifest.open(encoding="utf-8-sig", newline="") as fh:
                    reader = csv.DictReader(fh, delimiter="\t")
                    if not reader.fieldnames or "file" not in reader.fieldnames:
                        errors.append(InputError(manifest, "manifest needs a 'file' column"))
                        continue
                    for row in reader:
                        name = (row.get("file") or "").strip()
                        if name:
                            rows[(manifest.parent / name).resolve()] = {
                                k: (row.get(k) or "").strip() for k in MANIFEST_COLUMNS}
            except (OSError, UnicodeDecodeError) as exc:
                errors.append(InputError(manifest, f"cannot read manifest: {exc}"))
    return rows, errors
