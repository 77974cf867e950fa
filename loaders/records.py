"""The one intermediate record type between text and RDF: what the loaders found, with spans.

A loader (Korean documents, tabular records) produces :class:`CaseRecord` objects; the engine
(``adminkg.build``) turns them into RDF with provenance. Spans are code-point offsets into the
document's NFC text (``Document.text``); a record from a table has no spans.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from rdflib import URIRef


@dataclass(frozen=True)
class Span:
    start: int
    end: int
    text: str


@dataclass
class OrgRef:
    """An organisation named in a source: a gazetteer body (``iri``) or one recognised by its form."""

    name: str
    iri: URIRef | None = None
    cls: str = "PublicAgency"          # local name of the akg: class for bodies not in the gazetteer
    sector: str = "public"
    span: Span | None = None

    @property
    def from_gazetteer(self) -> bool:
        return self.iri is not None


@dataclass
class AwardRecord:
    contest: str = ""
    contest_span: Span | None = None
    organizer: OrgRef | None = None
    year: int | None = None
    half_year: int | None = None
    round: int | None = None
    rank: int | None = None
    grade: str | None = None             # notation of a grade concept (대상, 최우수 …)
    grade_span: Span | None = None
    prize_money: Decimal | None = None


@dataclass
class MetricRecord:
    span: Span
    value: Decimal | None = None
    unit: str = ""
    before: Decimal | None = None
    after: Decimal | None = None
    change: str | None = None            # notation of a change concept
    quantity: str = ""                   # what the metric measures (민원 처리기간), as written
    quantity_span: Span | None = None


@dataclass
class CaseRecord:
    """One practice of one lead agency, as found in one source."""

    source: object                       # loaders.documents.Document or a tabular source
    title: str
    agency: OrgRef
    title_span: Span | None = None
    year: int | None = None
    departments: list[tuple[str, Span | None]] = field(default_factory=list)
    technologies: list[tuple[str, Span | None]] = field(default_factory=list)      # codes
    partners: list[tuple[OrgRef, str | None]] = field(default_factory=list)        # (org, collaboration kind)
    beneficiaries: list[tuple[URIRef, str, Span | None]] = field(default_factory=list)  # (concept, surface, span)
    awards: list[AwardRecord] = field(default_factory=list)
    metrics: list[MetricRecord] = field(default_factory=list)
    problems: list[tuple[Span, URIRef | None]] = field(default_factory=list)       # (span, policy domain)
    interventions: list[Span] = field(default_factory=list)
    domains: list[URIRef] = field(default_factory=list)
    # The model's probability for each decision behind this record (see ``confidence_key``):
    # "case" (a case at all, with this title), "agency" (this lead agency), and one key per fact.
    # A record from a curated table has none: a person stated it.
    confidence: dict[str, float] = field(default_factory=dict)

    def confidence_of(self, kind: str, value: str = "") -> float | None:
        """The probability of one decision: ``confidence_of("case")``, ``("agency")``,
        ``("department", name)``, ``("technology", code)``, ``("partner", name)``,
        ``("beneficiary", surface)``, ``("award", str(index))``, ``("metric", str(index))``."""
        return self.confidence.get(confidence_key(kind, value))


def confidence_key(kind: str, value: str = "") -> str:
    """The key of one decision in :attr:`CaseRecord.confidence`: ``kind`` or ``kind:value``."""
    return f"{kind}:{value}" if value else kind
