"""Per-document extraction as a pure function, its fragments, and their cache.

``extract_one(path, meta)`` reads one document and extracts its records: the result depends on the
document's bytes, its manifest row, its file name, and the versions of what extraction reads (the
lexicons, vocabularies and gazetteer, the reader limits, the extractor's code and the model) — and
on nothing else, so it can run in any process and in any order. Its result is a *fragment*: a JSON
object holding the document (its text and what the readers said) and its records.

:class:`FragmentCache` keeps fragments under the build folder (``OUT/.cache/fragments``) by the
SHA-256 of all those inputs (:func:`fragment_key`); a changed document, lexicon or model changes
the key, so exactly the fragments it touches are extracted again. The build emits each document's
records where it extracted them and merges the results in the order of the files
(:mod:`adminkg.emission`), so the graph is byte-identical whether fragments came from the cache,
from worker processes, a Dask cluster or one process.
"""
from __future__ import annotations

import dataclasses
import gzip
import hashlib
import json
import os
import shutil
from decimal import Decimal
from pathlib import Path

from rdflib import URIRef

from . import paths
from .errors import InputError
from .graphio import atomic_write_bytes
from .loaders.records import AwardRecord, CaseRecord, MetricRecord, OrgRef, Span

FORMAT = 1  # the layout of a fragment; changing it invalidates every cache
CACHE_DIR = ".cache"
RECORD_TYPES = {cls.__name__: cls for cls in (Span, OrgRef, AwardRecord, MetricRecord, CaseRecord)}
LOADERS_DIR = Path(__file__).resolve().parent / "loaders"
DOCUMENT_FIELDS = ("name", "sha256", "encoding", "kind", "text", "notes", "media_type", "pages")


# -- versions ---------------------------------------------------------------------------------
def _sha256_files(files) -> str:
    h = hashlib.sha256()
    for f in files:
        h.update(str(f.name).encode("utf-8") + b"\0" + Path(f).read_bytes() + b"\0")
    return h.hexdigest()


def versions(model_bytes: bytes | None) -> dict[str, str]:
    """The SHA-256 of each thing extraction reads besides the document: the lexicons
    (``loaders/lexicon``), the vocabularies and ontology, the gazetteer, the readers' limits, the
    extractor's code (every ``loaders/**/*.py``) and the model (*model_bytes*; None for the rules)."""
    loaders = LOADERS_DIR.resolve()
    return {
        "format": str(FORMAT),
        "lexicon": _sha256_files(sorted((loaders / "lexicon").glob("*.toml"))),
        "vocabularies": _sha256_files(paths.ontology_files()),
        "gazetteer": _sha256_files([paths.GAZETTEER_TTL]),
        "readers": _sha256_files(sorted((loaders / "readers").glob("*.toml"))),
        "code": _sha256_files(sorted(loaders.rglob("*.py"))),
        "model": hashlib.sha256(model_bytes).hexdigest() if model_bytes is not None else "rules",
    }


def fragment_key(data: bytes, name: str, meta: dict, max_bytes: int | None, versions: dict) -> str:
    """The cache key of one document's fragment: its bytes, file name and manifest row, the size
    limit and every version of :func:`versions`."""
    h = hashlib.sha256()
    h.update(hashlib.sha256(data).digest())
    h.update(json.dumps([name, meta, max_bytes, versions], sort_keys=True, ensure_ascii=False).encode("utf-8"))
    return h.hexdigest()


# -- records as JSON ---------------------------------------------------------------------------
def _encode(value):
    if isinstance(value, URIRef):
        return {"@iri": str(value)}
    if isinstance(value, Decimal):
        return {"@decimal": str(value)}
    if isinstance(value, tuple):
        return {"@tuple": [_encode(v) for v in value]}
    if isinstance(value, list):
        return [_encode(v) for v in value]
    if isinstance(value, dict):
        return {"@dict": [[k, _encode(v)] for k, v in value.items()]}
    if dataclasses.is_dataclass(value):
        return {"@type": type(value).__name__,
                **{f.name: _encode(getattr(value, f.name)) for f in dataclasses.fields(value) if f.name != "source"}}
    if value is None or isinstance(value, (str, int, float, bool)):
        return value
    raise TypeError(f"a record holds a {type(value).__name__}, which a fragment cannot keep")


def _decode(value, source):
    if isinstance(value, list):
        return [_decode(v, source) for v in value]
    if not isinstance(value, dict):
        return value
    if "@iri" in value:
        return URIRef(value["@iri"])
    if "@decimal" in value:
        return Decimal(value["@decimal"])
    if "@tuple" in value:
        return tuple(_decode(v, source) for v in value["@tuple"])
    if "@dict" in value:
        return {k: _decode(v, source) for k, v in value["@dict"]}
    cls = RECORD_TYPES[value["@type"]]
    fields = {k: _decode(v, source) for k, v in value.items() if k != "@type"}
    if cls is CaseRecord:
        fields["source"] = source
    return cls(**fields)


def to_fragment(doc, records, error: str | None = None) -> dict:
    """A document and its records (or the *error* its extraction raised) as a JSON-able object."""
    return {"format": FORMAT, "document": {k: getattr(doc, k) for k in DOCUMENT_FIELDS},
            "records": None if records is None else [_encode(r) for r in records], "error": error}


def from_fragment(fragment: dict, path: Path, meta: dict):
    """(Document, records or None, error or None) of a fragment, the document at *path* with the
    manifest row *meta*."""
    from .loaders.documents import Document

    doc = Document(path=path, **{k: fragment["document"][k] for k in DOCUMENT_FIELDS},
                   **{k: meta.get(k, "") for k in ("url", "title", "publisher", "date")})
    records = fragment["records"]
    return doc, None if records is None else [_decode(r, doc) for r in records], fragment["error"]


# -- one document ------------------------------------------------------------------------------
def extract_one(path: Path, meta: dict, extractor, max_bytes: int | None = None):
    """Read and extract one document: ``("ok", Document, records or None, error or None)``,
    ``("skipped", path, reason, what)`` or ``("failed", path, problem)``. Never raises for a bad
    document (an extractor that fails gives the document with its *error*); a pure function of
    its inputs."""
    from .loaders.documents import MAX_BYTES, read_document
    from .loaders.readers import Skipped, UnknownKind

    try:
        doc = read_document(path, max_bytes=max_bytes or MAX_BYTES)
    except UnknownKind as exc:
        return "skipped", str(exc.path), exc.problem, exc.suffix or "files without a suffix"
    except Skipped as exc:
        return "skipped", str(exc.path), exc.problem, exc.category
    except InputError as exc:
        return "failed", str(exc.path), exc.problem
    doc.url, doc.title, doc.publisher, doc.date = (meta.get(k, "") for k in ("url", "title", "publisher", "date"))
    try:
        return "ok", doc, extractor.extract(doc), None
    except Exception as exc:  # an extractor bug must not lose the other documents
        return "ok", doc, None, f"extraction failed: {type(exc).__name__}: {exc}"


# -- the cache ---------------------------------------------------------------------------------
class FragmentCache:
    """Fragments by key under *folder* (``ab/abcdef….json``). Entries this build did not use are
    removed by :meth:`prune`, so the cache holds the fragments of the last build only.

    *compressed*: the entries are gzipped (``ab/abcdef….json.gz``): the build keeps each document's
    emitted triples this way (:func:`adminkg.build.process_document`), some ten times their size as
    JSON otherwise."""

    def __init__(self, folder: Path, *, compressed: bool = False, what: str = "extracted documents"):
        self.folder = Path(folder)
        self.what = what  # what the entries are, for the problem
        self.compressed = compressed
        self.suffix = ".json.gz" if compressed else ".json"
        self.used: set[str] = set()
        self.hits = self.stored = 0  # fragments reused, fragments extracted and kept
        self.added: list[Path] = []  # files this build wrote
        self.problem: str | None = None  # why fragments could not be kept (a full disk): the build goes on

    def _file(self, key: str) -> Path:
        return self.folder / key[:2] / f"{key}{self.suffix}"

    def get(self, key: str) -> dict | None:
        self.used.add(key)
        try:
            data = self._file(key).read_bytes()
            fragment = json.loads(gzip.decompress(data) if self.compressed else data)
        except (OSError, ValueError, EOFError):  # no entry, or a damaged one (BadGzipFile is an OSError)
            return None
        if not isinstance(fragment, dict) or fragment.get("format") != FORMAT:
            return None
        self.hits += 1
        return fragment

    def put(self, key: str, fragment: dict) -> Path | None:
        """Keep *fragment*; return its file. A cache that cannot be written (a full disk) keeps nothing
        more and says why in :attr:`problem`; the build does not need it."""
        self.used.add(key)
        self.stored += 1
        if self.problem is not None:
            return None
        file = self._file(key)
        try:
            file.parent.mkdir(parents=True, exist_ok=True)
            # not synced: an entry is checked when read, and one a crash damaged is extracted again
            data = json.dumps(fragment, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
            atomic_write_bytes(file, gzip.compress(data, compresslevel=1, mtime=0) if self.compressed else data,
                               durable=False)
        except OSError as exc:
            self.problem = f"{self.what} not kept for the next build: {exc.strerror or exc}"
            return None
        self.added.append(file)
        return file

    def note(self, key: str, reused: bool, written: Path | None, problem: str | None) -> None:
        """Count what another process (a worker) did with this cache's folder: *key* reused, or
        extracted and *written* (None: not kept, for *problem*)."""
        self.used.add(key)
        if reused:
            self.hits += 1
        else:
            self.stored += 1
        if written is not None:
            self.added.append(Path(written))
        if problem is not None and self.problem is None:
            self.problem = problem

    def discard_new(self) -> None:
        """Remove what this build wrote (its output failed: the folder stays as the earlier build left it)."""
        for file in self.added:
            file.unlink(missing_ok=True)
        for folder in sorted({f.parent for f in self.added} | {self.folder, self.folder.parent}, reverse=True):
            try:
                folder.rmdir()  # only if empty
            except OSError:
                pass

    def prune(self) -> int:
        """Remove the fragments this build did not use; return how many."""
        removed = 0
        if not self.folder.is_dir():
            return 0
        for sub in sorted(self.folder.iterdir()):
            if not sub.is_dir():
                continue
            for file in sub.glob(f"*{self.suffix}"):
                if file.name[:-len(self.suffix)] not in self.used:
                    file.unlink(missing_ok=True)
                    removed += 1
            if not any(sub.iterdir()):
                sub.rmdir()
        return removed

    def clear(self) -> None:
        shutil.rmtree(self.folder, ignore_errors=True)


def default_jobs() -> int:
    """All the cores this process may use."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover - not Linux
        return os.cpu_count() or 1


__all__ = ["FragmentCache", "default_jobs", "extract_one", "fragment_key", "from_fragment", "to_fragment", "versions"]
