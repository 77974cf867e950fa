"""What the passes hand each other: one :class:`Analysis` per document, its :class:`Sentence` s and
case :class:`Candidate` s, and :class:`Pass`, a named pass with the fields of the analysis it reads
and writes (the driver, ``loaders.pipeline``, checks a configured order against them).

A pass is a function ``(ex, analysis) -> None``: ``ex`` is the extractor (its lexicon ``ex.lex``, the
lexicon's tables ``ex.cfg``, ``ex.grammar``, the model ``ex.model`` and the training hook
``ex.observe``), ``analysis`` the document read so far; it sets the fields it writes.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date

from rdflib import URIRef

from ..documents import Document
from ..records import CaseRecord, OrgRef, Span


@dataclass
class Sentence:
    start: int
    end: int
    text: str
    line: int


@dataclass
class Candidate:
    title: str
    span: Span | None
    sentence: Sentence
    agency: OrgRef | None = None
    grade: str | None = None
    grade_span: Span | None = None
    place: int | None = None
    departments: list[tuple[str, Span]] = field(default_factory=list)
    scope: list[tuple[int, int]] = field(default_factory=list)
    origin: str = ""
    confidence: float | None = None       # the model's probability that this is a case
    agency_confidence: float | None = None  # … and that its agency leads it


@dataclass
class Analysis:
    """One document as the passes read it. Each field is written by the passes that declare it."""

    doc: Document
    on: date | None = None                       # the document's date (layout)
    sents: list[Sentence] = field(default_factory=list)
    orgs: list[OrgRef] = field(default_factory=list)  # organisations named, resolved (mentions)
    fullest: dict[URIRef, str] = field(default_factory=dict)  # each body → its fullest form in the text
    main: OrgRef | None = None                   # the body the document is about
    cands: list[Candidate] = field(default_factory=list)
    n_rule: int = 0                              # how many of the first cands the rules proposed
    dropped: list[Candidate] = field(default_factory=list)  # candidates the model turned down
    contest: tuple[str, Span] | None = None
    contest_unyeared: tuple[str, Span] | None = None  # a name without a year, where no dated one is found
    organizer: OrgRef | None = None
    tiers: list[list[str]] = field(default_factory=list)  # the award tiers that rank, per family
    records: list[CaseRecord] = field(default_factory=list)
    # per record: its candidate, its scope as (offset, text) parts and its partners' scope
    record_scopes: list[tuple[Candidate, list, list]] = field(default_factory=list)

    @property
    def text(self) -> str:
        return self.doc.text


@dataclass(frozen=True)
class Pass:
    """A named pass: ``function(ex, analysis)`` reads the fields *reads* and sets *writes*."""

    name: str
    function: Callable[..., None]
    reads: tuple[str, ...]
    writes: tuple[str, ...]

    def __call__(self, ex, analysis: Analysis) -> None:
        self.function(ex, analysis)

    @property
    def description(self) -> str:
        return (self.function.__doc__ or "").strip().split("\n\n")[0]


def component(name: str, *, reads: tuple[str, ...] = (), writes: tuple[str, ...] = ()):
    """Declare a function ``(ex, analysis)`` as the pass *name* (the name the configuration uses)."""

    def declare(function: Callable[..., None]) -> Pass:
        return Pass(name, function, tuple(reads), tuple(writes))

    return declare
