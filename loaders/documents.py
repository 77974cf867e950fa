"""Reading source documents: decode, strip markup, normalise — the first passes of the loader.

Passes, in order (each a function below):

1. ``read_bytes`` — refuse empty, binary and enormous files with a clear message;
2. ``decode`` — UTF-8 (with or without BOM), else CP949/EUC-KR; a UTF-8 file cut inside a
   character is accepted with a note (truncated);
3. ``html_to_text`` — for .html/.htm: the text content, block elements as line breaks, no
   script/style;
4. NFC normalisation. Evidence offsets count Unicode code points of this final text, so
   ``read_document(path).text[start:end]`` is the matched span.

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

SUFFIXES = {".txt": "text", ".md": "markdown", ".html": "html", ".htm": "html"}
MAX_BYTES = 50 * 1024 * 1024


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


def read_bytes(path: Path, max_bytes: int = MAX_BYTES) -> bytes:
    """The file's bytes; :class:`InputError` for unreadable, empty, enormous or binary files."""
    try:
        size = path.stat().st_size
        if size >= max_bytes:
            raise InputError(path, f"too large ({size / 1e6:.1f} MB; the limit is {max_bytes / 1e6:.0f} MB)")
        data = path.read_bytes()
    except OSError as exc:
        raise InputError(path, f"cannot read: {exc.strerror or exc}") from exc
    if not data.strip():
        raise InputError(path, "empty file")
    if b"\x00" in data[:8192]:
        raise InputError(path, "binary file (NUL bytes), not a text document")
    return data


def decode(path: Path, data: bytes) -> tuple[str, str, list[str]]:
    """(text, encoding, notes): UTF-8 (BOM or not), else CP949 (a superset of EUC-KR)."""
    notes: list[str] = []
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


def read_document(path: Path | str, *, max_bytes: int = MAX_BYTES) -> Document:
    """Read one document through every pass; :class:`InputError` names the file and the problem."""
    path = Path(path)
    data = read_bytes(path, max_bytes)
    text, encoding, notes = decode(path, data)
    kind = SUFFIXES.get(path.suffix.lower(), "text")
    if kind == "html" or looks_like_html(text):
        kind = "html"
        text = html_to_text(text)
    text = unicodedata.normalize("NFC", text.replace("\r\n", "\n").replace("\r", "\n"))
    if not text.strip():
        raise InputError(path, "no text content")
    return Document(path=path, name=path.name, sha256=hashlib.sha256(data).hexdigest(), encoding=encoding,
                    kind=kind, text=text, notes=notes)


def find_documents(roots: list[Path]) -> list[Path]:
    """Every .txt/.md/.html/.htm under *roots* (recursively), sorted; manifests are not documents."""
    found: set[Path] = set()
    for root in roots:
        if root.is_file():
            found.add(root)
            continue
        for path in root.rglob("*"):
            if path.is_file() and path.suffix.lower() in SUFFIXES and not path.name.startswith("."):
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
