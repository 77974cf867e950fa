"""Linked-data publishing rules read from ``site/lod.toml``: cool IRIs (a thing's ``/id/`` IRI and
its ``/doc/`` document), the representations and their media types, and content negotiation.

The same rules serve three places: ``adminkg export`` (file names of the static site), ``adminkg
serve --site`` (answers over HTTP) and the nginx and Apache snippets that ``export`` writes.
"""
from __future__ import annotations

import tomllib
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from . import paths
from .errors import InputError
from .namespaces import AKG, DEFAULT_BASE, MINTED_KINDS, VOCAB


@dataclass(frozen=True)
class Format:
    """One representation: its name, file suffix, media type and the other media types that choose it."""

    name: str
    suffix: str
    media: str
    accept: tuple[str, ...]
    label: str

    @property
    def media_types(self) -> tuple[str, ...]:
        return (self.media, *self.accept)


@cache
def config(path: Path | None = None) -> dict:
    """The publishing configuration (``site/lod.toml``); :class:`InputError` naming the file."""
    path = Path(path or paths.SITE_DIR / "lod.toml")
    try:
        with open(path, "rb") as fh:
            return tomllib.load(fh)
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise InputError(path, f"cannot read the publishing configuration: {exc}") from exc


def formats() -> dict[str, Format]:
    """The representations by name, HTML first (the default of a browser's Accept)."""
    return {name: Format(name, f["suffix"], f["media"], tuple(f.get("accept", ())), f["label"])
            for name, f in config()["formats"].items()}


def format_by_suffix(suffix: str) -> Format | None:
    return next((f for f in formats().values() if f.suffix == suffix), None)


def negotiate(accept: str | None, offered: list[Format]) -> Format | None:
    """The representation an ``Accept`` header prefers among *offered* (RFC 9110 q-values; the
    more specific range wins a tie, then the order of *offered*); ``None`` when none is acceptable.
    No header, or an empty one, accepts the first."""
    if not accept or not accept.strip():
        return offered[0] if offered else None
    ranges = []
    for item in accept.split(","):
        media, *params = (part.strip() for part in item.split(";"))
        q = 1.0
        for p in params:
            key, _, value = p.partition("=")
            if key.strip().lower() == "q":
                try:
                    q = float(value)
                except ValueError:
                    q = 0.0
        if media:
            ranges.append((media.lower(), q))

    def quality(fmt: Format) -> tuple[float, int]:
        best = (-1.0, -1)
        for media, q in ranges:
            kind, _, sub = media.partition("/")
            for mt in fmt.media_types:
                mkind, _, msub = mt.partition("/")
                if media == mt:
                    spec = 2
                elif sub == "*" and kind == mkind:
                    spec = 1
                elif media == "*/*":
                    spec = 0
                else:
                    continue
                # a more specific range decides, whatever its q (RFC 9110 12.5.1)
                if spec > best[1] or (spec == best[1] and q > best[0]):
                    best = (q, spec)
        return best

    scored = [(quality(f), -i, f) for i, f in enumerate(offered)]
    scored = [s for s in scored if s[0][0] > 0]
    if not scored:
        return None
    return max(scored, key=lambda s: (s[0][0], s[0][1], s[1]))[2]


class Iris:
    """The IRI patterns under one base: ``Iris(base).thing("case", "11-4c92…")`` and
    ``Iris(base).document_path(iri)`` (the site path of the IRI's document, without suffix)."""

    def __init__(self, base: str | None = None):
        cfg = config()["iri"]
        base = base or cfg["default_base"]
        if not base.endswith("/"):
            base += "/"
        self.base = base
        self.thing_segment = cfg["thing"]
        self.doc_segment = cfg["document"]
        self.kinds: dict[str, dict] = cfg["kinds"]
        self.fixed = DEFAULT_BASE  # the ontology and the vocabularies keep their IRIs under it

    @property
    def thing_base(self) -> str:
        """Where the things are: ``BASE id/``; minted resources are moved here from ``BASE``."""
        return f"{self.base}{self.thing_segment}/"

    def thing(self, kind: str, ref: str) -> str:
        return f"{self.thing_base}{kind}/{ref}"

    def moved(self, iri: str, minted_base: str = DEFAULT_BASE) -> str:
        """A minted IRI (``BASE KIND/REF`` as the build writes it) moved under ``BASE id/``; any
        other IRI unchanged."""
        if iri.startswith(minted_base):
            kind = iri[len(minted_base):].split("/", 1)[0]
            if kind in MINTED_KINDS:
                return self.thing_base + iri[len(minted_base):]
        return iri

    def document_path(self, iri: str) -> str | None:
        """The site path (no suffix) of the document that describes *iri* (its fragment
        dropped): ``doc/case/REF`` for ``BASE id/case/REF``, ``doc/vocab/SCHEME/CODE`` for a concept,
        ``doc/ontology`` for the ontology and its terms; ``None`` for an IRI the site does not describe."""
        iri = iri.split("#", 1)[0]
        if iri.startswith(self.thing_base):
            rest = iri[len(self.thing_base):]
            return f"{self.doc_segment}/{rest}" if "/" in rest and not rest.endswith("/") else None
        if iri.startswith(str(VOCAB)) and len(iri) > len(str(VOCAB)):
            return f"{self.doc_segment}/vocab/{iri[len(str(VOCAB)):]}"
        if iri == str(AKG)[:-1]:
            return f"{self.doc_segment}/ontology"
        return None

    def document_iri(self, iri: str) -> str | None:
        path = self.document_path(iri)
        return f"{self.base}{path}" if path else None

    def thing_of_path(self, path: str) -> tuple[str, str] | None:
        """For a request path under the site (``id/case/REF``, ``vocab/technology/AI``,
        ``ontology``), the document path it redirects to and its IRI; ``None`` otherwise."""
        path = path.strip("/")
        if path.startswith(self.thing_segment + "/"):
            iri = self.base + path
        elif path.startswith("vocab/") or path == "ontology":
            iri = self.fixed + path
        else:
            return None
        doc = self.document_path(iri)
        return (doc, iri) if doc else None
