"""Document readers, registered by file kind (``readers.toml``): HWPX, HWP 5.0, PDF and DOCX become
text with their paragraphs in order and their tables as rows (one a line, cells joined by a tab:
the table layout the extractor reads in text files); .txt, .md and .html are decoded by
:mod:`adminkg.loaders.documents` itself.

Each reader module has one function ``read(path, data, limits) -> Extracted``; the registry imports
it only when a file of its kind is read (as rdflib loads a parser plugin by name), so a missing
optional package costs only the documents of that kind. An unknown kind is one clear error
(:class:`UnknownKind`, naming the kinds that are read). Readers raise :class:`InputError` naming
the file and the problem, and never anything else on purpose; :func:`read_with` turns an
unexpected exception of a third-party parser into one too.
"""
from __future__ import annotations

import fnmatch
import importlib
import time
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from adminkg.errors import InputError

CONFIG = Path(__file__).with_name("readers.toml")


@dataclass(frozen=True)
class Kind:
    """A kind of document: its name, suffixes, reader module (None for text), media type, label."""

    name: str
    suffixes: tuple[str, ...]
    module: str | None
    media_type: str
    label: str


@dataclass
class Limits:
    """The caps every reader keeps to (``[limits]`` of readers.toml), and the document's deadline."""

    max_bytes: int
    max_uncompressed: int
    max_ratio: float
    max_members: int
    max_pages: int
    max_characters: int
    seconds: float
    table_gap_em: float
    deadline: float = field(default=float("inf"))

    def start(self) -> Limits:
        """A copy whose deadline is *seconds* from now (one per document)."""
        return Limits(**{**self.__dict__, "deadline": time.monotonic() + self.seconds})

    def check_time(self, path) -> None:
        """:class:`InputError` when the document's deadline has passed (readers call this between
        pages, paragraphs and records, so no document holds the build for long)."""
        if time.monotonic() > self.deadline:
            raise InputError(path, f"not read within {self.seconds:g} s: given up (limits.seconds in readers.toml)")

    def check_characters(self, path, n: int) -> None:
        if n > self.max_characters:
            raise InputError(path, f"more than {self.max_characters:,} characters of text: refused "
                                   "(limits.max_characters in readers.toml)")


@dataclass
class Extracted:
    """What a reader gives back: the text in parts (pages of a PDF, else one part), the label of
    a part (``page`` or None) and notes for the report (pages without text, …)."""

    parts: list[str]
    part_label: str | None = None
    notes: list[str] = field(default_factory=list)


class UnknownKind(InputError):
    """A file of a kind no reader is registered for."""

    def __init__(self, path, suffix: str):
        self.suffix = suffix
        known = ", ".join(sorted(SUFFIXES))
        super().__init__(path, f"not a kind of document adminkg reads ({suffix or 'no suffix'}; it reads {known})")


class Skipped(InputError):
    """A readable file that holds no text to extract (a scanned PDF): skipped, not failed.
    *category* is what the summary counts it as (``scanned PDF``)."""

    def __init__(self, path, problem: str, category: str):
        self.category = category
        super().__init__(path, problem)


def _load_config() -> tuple[dict[str, Kind], list[str], Limits]:
    with CONFIG.open("rb") as fh:
        config = tomllib.load(fh)
    kinds = {name: Kind(name, tuple(s.lower() for s in spec["suffixes"]), spec.get("module"), spec["media_type"],
                        spec["label"]) for name, spec in config["kinds"].items()}
    return kinds, list(config["companions"]["patterns"]), Limits(**config["limits"])


KINDS, COMPANIONS, LIMITS = _load_config()
SUFFIXES = {suffix: kind for kind in KINDS.values() for suffix in kind.suffixes}


def kind_of(path: Path) -> Kind:
    """The kind of *path* by its suffix; :class:`UnknownKind` when no reader knows it."""
    suffix = Path(path).suffix.lower()
    if suffix not in SUFFIXES:
        raise UnknownKind(path, suffix)
    return SUFFIXES[suffix]


def is_companion(path: Path) -> bool:
    """A file that lives beside documents and is none (a manifest, annotations, a README, a dotfile)."""
    name = Path(path).name.lower()
    return name.startswith(".") or any(fnmatch.fnmatch(name, p) for p in COMPANIONS)


def read_with(kind: Kind, path: Path, data: bytes, limits: Limits | None = None) -> Extracted:
    """Read *data* (the bytes of *path*) with the reader of *kind*, within *limits* (default the
    configured ones, the deadline starting now). Every failure is an :class:`InputError` naming
    the file; an exception a parser raised unexpectedly becomes one with its type and message."""
    if kind.module is None:
        raise ValueError(f"{kind.name} is decoded as text, not by a reader module")
    limits = limits or LIMITS
    if limits.deadline == float("inf"):
        limits = limits.start()
    try:
        module = importlib.import_module(f"{__name__}.{kind.module}")
    except ImportError as exc:
        raise InputError(path, f"the {kind.label} reader needs a package that is not installed ({exc.name}): "
                               "pip install adminkg again") from exc
    try:
        extracted = module.read(Path(path), data, limits)
    except InputError:
        raise
    except (MemoryError, RecursionError) as exc:
        raise InputError(path, f"not a readable {kind.label} file: too deeply nested or too large "
                               f"({type(exc).__name__})") from exc
    except Exception as exc:  # a third-party parser's own error on a damaged file: one message, no traceback
        raise InputError(path, f"not a readable {kind.label} file (damaged?): {type(exc).__name__}: {exc}") from exc
    limits.check_characters(path, sum(map(len, extracted.parts)))
    return extracted


__all__ = ["COMPANIONS", "Extracted", "KINDS", "Kind", "LIMITS", "Limits", "SUFFIXES", "Skipped", "UnknownKind",
           "is_companion", "kind_of", "read_with"]
