"""Curators' decisions (``data/curation/*.csv``), applied to the graph at every build after extraction.

A row says what a curator decided about one extracted fact or one case, keyed by what survives
re-extraction: the document's SHA-256 with the text the evidence quotes, or the case's IRI, and
an agency by its official code (the gazetteer's id). The file is the one ``adminkg review --out``
writes, with the curator's columns filled in:

=========  ==========================================================================================
action     ``accept`` (the fact stays, confirmed), ``reject`` (the fact, or with kind ``case`` the
           whole case, leaves the graph and stays on record as rejected), ``correct`` (the value
           becomes ``correction``, see below), ``merge`` (kind ``case``: the case is a duplicate of
           the case IRI in ``correction``), ``add`` (a case the extraction missed: ``title``, the
           lead agency's code in ``correction`` and the source's ``doc_sha256``); a row with an
           empty action is no decision and is skipped
kind       case, agency, department, technology, partner, beneficiary, award, metric
key        ``doc_sha256`` with ``quote`` (the evidence's quoted text), and/or ``case`` (an IRI)
curator    who decided (``prov:wasAttributedTo``); ``date`` (YYYY-MM-DD) and ``note``
=========  ==========================================================================================

What a ``correction`` says, by kind:

===========  ==============================================================================================
agency       the lead agency: an official code, an agency IRI or a name the gazetteer knows; the case's
             departments move under it and its awards' recipient becomes it
case         the title
department   the unit's name (a unit of the case's lead agency) or a unit's IRI
technology,  a concept of the scheme (``ontology/vocab``): its code, Korean or English label or
beneficiary  alternative label in any case, or its IRI (query ``concept.rq``)
partner      a body of the gazetteer (code, IRI, name), an organisation's IRI, or a name whose form says
             what it is (…재단, ㈜…: the lexicon's ``[orgs] forms``)
award        ``FIELD=VALUE`` pairs separated by ``;``: ``rank=2``, ``grade=우수`` (a grade concept),
             ``year=2019`` (the contest's year, so every award of that contest), ``contest=NAME`` (the
             award moves to the contest of that name)
metric       the metric's value, a number
===========  ==============================================================================================

Every applied decision is written as an ``akg:CuratorDecision`` (``prov:wasAttributedTo`` the
curator, ``dcterms:date``, ``skos:note``; ``wikibase:rank`` deprecated for what was rejected or
replaced, preferred for what was accepted or set), so a rejected fact that re-extraction brings
back is removed again and its rejection stays visible. A row whose target is not in the graph
(the document changed or left the corpus, the case is gone) is reported as stale, never dropped
silently. The graph surgery itself is SPARQL Update in ``queries/curation/``.
"""
from __future__ import annotations

import csv
import hashlib
import re
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from pathlib import Path
from types import SimpleNamespace

from rdflib import Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCTERMS, OWL, PROV, RDF, RDFS, SKOS, XSD

from . import paths
from .errors import InputError
from .namespaces import AKG, OA, ORG, SCHEMA, VOCAB, Minter
from .resolve import edition_key

WIKIBASE = Namespace("http://wikiba.se/ontology#")
ACTION = Namespace(VOCAB + "curation-action/")
ACTIONS = ("accept", "reject", "correct", "merge", "add")
ORDER = {"correct": 0, "add": 1, "merge": 2, "reject": 3, "accept": 4}  # a merge may name an added case
#: The kinds of fact, as in the review queue and the ``lowest-confidence`` query, with their property.
PROPERTY = {
    "case": DCTERMS.title, "agency": AKG.leadAgency, "department": AKG.department,
    "technology": AKG.usesTechnology, "partner": AKG.partner, "beneficiary": AKG.beneficiary,
    "award": AKG.award, "metric": SCHEMA.value,
}
KIND_OF = {str(p): k for k, p in PROPERTY.items()}
#: The concept scheme a corrected value of these kinds comes from (``ontology/vocab``).
SCHEME = {"technology": URIRef(VOCAB + "technology"), "beneficiary": URIRef(VOCAB + "beneficiary"),
          "grade": URIRef(VOCAB + "grade")}
#: What an award's correction may change: the award's rank and grade, its contest, the contest's year.
AWARD_FIELDS = {"rank": AKG.rank, "grade": AKG.grade, "contest": AKG.contest, "year": AKG.year}
COLUMNS = ("action", "kind", "case", "doc_sha256", "quote", "value", "title", "correction", "curator", "date", "note")
CURATION_QUERIES = paths.QUERIES_DIR / "curation"
_SHA = re.compile(r"[0-9a-f]{64}")


@dataclass(frozen=True)
class Override:
    """One curator's decision, as a row of a curation file says it."""

    file: str
    line: int
    action: str
    kind: str
    case: str = ""
    doc_sha256: str = ""
    quote: str = ""
    value: str = ""
    title: str = ""
    correction: str = ""
    curator: str = ""
    date: str = ""
    note: str = ""

    @property
    def where(self) -> str:
        return f"{self.file}:{self.line}"

    def key(self) -> str:
        """What identifies the decision whatever file or line holds it (its node's IRI)."""
        return hashlib.sha1("\x1f".join((self.action, self.kind, self.case, self.doc_sha256, self.quote,
                                         self.title, self.correction)).encode("utf-8")).hexdigest()[:16]


@dataclass
class CurationReport:
    """What the curation step did: decisions applied, stale ones, rows that could not be read."""

    applied: list[Override] = field(default_factory=list)
    stale: list[tuple[Override, str]] = field(default_factory=list)
    errors: list[InputError] = field(default_factory=list)

    def as_dict(self) -> dict:
        counts: dict[str, int] = {}
        for o in self.applied:
            counts[o.action] = counts.get(o.action, 0) + 1
        return {"applied": dict(sorted(counts.items())),
                "stale": [{"file": o.file, "line": o.line, "action": o.action, "kind": o.kind, "problem": why}
                          for o, why in self.stale],
                "errors": [{"file": e.path, "error": e.problem} for e in self.errors]}


# -- reading -----------------------------------------------------------------------------------

def curation_files(sources: list[Path | str]) -> list[Path]:
    """The CSV files of the folders (or files) *sources*, in a fixed order; a missing one is an error."""
    out: list[Path] = []
    for src in map(Path, sources):
        if src.is_dir():
            out += sorted(src.glob("*.csv"))
        elif src.is_file():
            out.append(src)
        else:
            raise InputError(src, "no such curation file or folder")
    return out


def read_overrides(sources: list[Path | str]) -> tuple[list[Override], list[InputError]]:
    """Every decided row of the curation files under *sources*, and an :class:`InputError` (naming
    the file and line) for each row or file that cannot be one; the other rows are still read."""
    overrides: list[Override] = []
    errors: list[InputError] = []
    for path in curation_files(sources):
        try:
            with open(path, encoding="utf-8-sig", newline="") as fh:
                reader = csv.DictReader(fh)
                missing = {"action", "kind"} - set(reader.fieldnames or ())
                if missing:
                    errors.append(InputError(path, f"not a curation file: no column {', '.join(sorted(missing))}"))
                    continue
                end = reader.line_num
                for row in reader:
                    line, end = end + 1, reader.line_num  # the line the row starts on (a cell may hold breaks)
                    cells = {k: (row.get(k) or "").strip() for k in COLUMNS}
                    if not cells["action"]:
                        continue  # a queue row nobody decided
                    try:
                        overrides.append(_check(Override(str(path), line, **cells)))
                    except InputError as exc:
                        errors.append(exc)
        except (OSError, UnicodeDecodeError, csv.Error) as exc:
            errors.append(InputError(path, f"cannot read: {exc}"))
    return overrides, errors


def award_fields(text: str) -> list[tuple[str, str]]:
    """The (field, value) pairs of an award's correction (``rank=2; grade=우수``); ValueError saying
    what is wrong."""
    pairs = []
    for part in filter(None, (p.strip() for p in text.split(";"))):
        name, eq, value = (s.strip() for s in part.partition("="))
        if not eq or name.lower() not in AWARD_FIELDS or not value:
            raise ValueError(f"an award's correction is FIELD=VALUE ({', '.join(AWARD_FIELDS)}), "
                             "several separated by ';' (rank=2; grade=우수)")
        name = name.lower()
        if name in ("rank", "year") and not (value.isdigit() and int(value) > 0):
            raise ValueError(f"{name} {value!r} is not a positive whole number")
        if name == "year" and not 1990 <= int(value) <= 2100:
            raise ValueError(f"year {value} is not between 1990 and 2100")
        pairs.append((name, value))
    if not pairs:
        raise ValueError("an award's correction is FIELD=VALUE (rank=2; grade=우수)")
    return pairs


def _check(o: Override) -> Override:
    """*o* if its row says one decision completely; else :class:`InputError` naming file and line."""
    def bad(problem: str) -> InputError:
        return InputError(o.where, problem)

    action, kind = o.action.lower(), o.kind.lower()
    if action not in ACTIONS:
        raise bad(f"unknown action {o.action!r} (one of {', '.join(ACTIONS)})")
    if kind not in PROPERTY:
        raise bad(f"unknown kind {o.kind!r} (one of {', '.join(PROPERTY)})")
    if not o.curator:
        raise bad("no curator: say who decided (the curator column)")
    try:
        date.fromisoformat(o.date)
    except ValueError:
        raise bad(f"date {o.date!r} is not YYYY-MM-DD") from None
    if o.doc_sha256 and not _SHA.fullmatch(o.doc_sha256):
        raise bad(f"doc_sha256 {o.doc_sha256!r} is not a SHA-256 (64 lower-case hex digits)")
    if o.case and not o.case.startswith(("http://", "https://")):
        raise bad(f"case {o.case!r} is not an IRI")
    if action == "add":
        if kind != "case" or not o.title or not o.correction or not o.doc_sha256:
            raise bad("add needs kind case, the title, the lead agency's code (correction) and doc_sha256")
    elif not o.case and not (o.doc_sha256 and o.quote):
        raise bad("no target: give the case IRI, or doc_sha256 with the quoted text")
    if action == "correct":
        if not o.correction:
            raise bad(f"correct needs the corrected {kind} (the correction column)")
        try:
            if kind == "award":
                award_fields(o.correction)
            elif kind == "metric":
                Decimal(o.correction.replace(",", ""))
        except (ValueError, ArithmeticError) as exc:
            raise bad(f"correction {o.correction!r}: {exc}") from None
    if action == "merge" and (kind != "case" or not o.correction.startswith(("http://", "https://"))):
        raise bad("merge needs kind case and the IRI of the case it merges into (correction)")
    if action == "reject" and kind == "agency":
        raise bad("a case has one lead agency: correct it instead of rejecting it")
    return Override(**{**o.__dict__, "action": action, "kind": kind})


# -- applying ----------------------------------------------------------------------------------

class Curator:
    """Applies overrides to a build's graph (an :class:`adminkg.build.Emitter`'s)."""

    def __init__(self, emitter, *, gazetteer=None):
        self.emitter = emitter
        self.g: Graph = emitter.g
        self.mint: Minter = emitter.mint
        self._gazetteer = gazetteer
        self._lexicon = None
        self._queries: dict[str, str] = {}

    # the query library of this step
    def _text(self, name: str) -> str:
        if name not in self._queries:  # header comments are SPARQL comments: the file is the query
            try:
                self._queries[name] = (CURATION_QUERIES / name).read_text(encoding="utf-8")
            except OSError as exc:
                raise InputError(CURATION_QUERIES / name, f"cannot read: {exc}") from exc
        return self._queries[name]

    def select(self, name: str, /, *, graph: Graph | None = None, **bindings) -> list:
        """The rows of the query *name* on the build's graph (or *graph*)."""
        return list((self.g if graph is None else graph).query(
            self._text(name), initBindings={k: v for k, v in bindings.items() if v is not None}))

    def update(self, name: str, /, **bindings) -> None:
        self.g.update(self._text(name), initBindings=bindings)

    @property
    def gazetteer(self):
        if self._gazetteer is None:
            from .resolve import Gazetteer

            self._gazetteer = Gazetteer.load()
        return self._gazetteer

    def agency(self, text: str) -> URIRef | None:
        """An agency by its official code, its IRI or a name the gazetteer resolves."""
        gaz = self.gazetteer
        if text.startswith(("http://", "https://")):
            return URIRef(text)
        iri = self.mint.agency(text)
        if iri in gaz.bodies:
            return iri
        return gaz.resolve(text)

    def targets(self, o: Override) -> list[tuple[URIRef, object]]:
        """(subject, value) of the facts *o* names: a case's facts of its kind, or a metric node."""
        prop = PROPERTY[o.kind]
        case = URIRef(o.case) if o.case else None
        if o.doc_sha256 and o.quote:
            rows = self.select("targets.rq", sha256=Literal(o.doc_sha256), quote=Literal(o.quote), property=prop,
                               inCase=case)
            found = sorted({(r.case if o.kind == "case" else r.body, r.value) for r in rows}, key=str)
            if found or case is None:
                return found
        # by the case (a queue row may quote the case's title for a fact without a span of its own)
        rows = self.select("case-facts.rq", case=case, property=prop)
        if o.kind == "case":  # the case itself
            return [(case, None)] if rows else []
        value = URIRef(o.value) if o.value.startswith(("http://", "https://")) else None
        return sorted({(r.body, r.value) for r in rows if value is None or r.value == value}, key=str)

    def apply(self, overrides: list[Override]) -> CurationReport:
        """Apply *overrides* (corrections, additions, merges, rejections, then acceptances)."""
        report = CurationReport()
        for o in sorted(overrides, key=lambda o: ORDER[o.action]):
            problem = getattr(self, f"_{o.action}")(o)
            if problem:
                report.stale.append((o, problem))
            else:
                report.applied.append(o)
        return report

    def _stale(self, o: Override) -> str:
        if o.doc_sha256 and o.doc_sha256 not in self.emitter.docs:
            return f"document {o.doc_sha256[:16]}… is not in this build (changed or removed)"
        what = f"{o.kind} quoting {o.quote!r}" if o.quote else o.kind
        return f"no {what}" + (f" of case {o.case}" if o.case else "") + " in the graph"

    def _accept(self, o: Override) -> str:
        found = self.targets(o)
        if not found:
            return self._stale(o)
        for subject, value in found:
            self.record(o, self._case(subject), subject if o.kind == "metric" else value, rank=WIKIBASE.PreferredRank)
        return ""

    def _reject(self, o: Override) -> str:
        found = self.targets(o)
        if not found:
            return self._stale(o)
        for subject, value in found:
            case = self._case(subject)
            title = self.g.value(case, DCTERMS.title) if o.kind == "case" else None
            sources = list(self.g.objects(case, PROV.wasDerivedFrom))  # the case may go: keep where it was told
            if o.kind in ("case", "metric", "award"):
                node = subject if o.kind in ("case", "metric") else value
                nodes = [r.node for r in self.select("case-parts.rq", case=node)] if o.kind == "case" else [node]
                if o.kind == "award":
                    self.update("drop-fact.ru", body=subject, property=PROPERTY["award"], value=value)
                for n in nodes:
                    self.update("drop-node.ru", node=n)
            else:
                self.update("drop-fact.ru", body=subject, property=PROPERTY[o.kind], value=value)
            decision = self.record(o, case, subject if o.kind == "metric" else value, rank=WIKIBASE.DeprecatedRank,
                                   text=title)
            for source in sources:
                self.g.add((decision, PROV.wasDerivedFrom, source))
        return ""

    def _correct(self, o: Override) -> str:
        found = self.targets(o)
        if not found:
            return self._stale(o)
        correct = {"agency": self._correct_agency, "case": self._correct_title, "award": self._correct_award,
                   "metric": self._correct_metric}.get(o.kind, self._correct_value)
        return correct(o, found) or ""

    def _correct_agency(self, o: Override, found) -> str:
        agency = self.agency(o.correction)
        if agency is None:
            return f"no agency {o.correction!r} in the gazetteer (give its official code)"
        for case, old in found:
            if old == agency:
                continue
            self.update("set-agency.ru", case=case, old=old, agency=agency)
            self.update("drop-fact.ru", body=case, property=AKG.leadAgency, value=old)
            decision = self.record(o, case, old, rank=WIKIBASE.DeprecatedRank, corrected=agency)
            self._move_departments(case, old, agency)
            if str(case).rsplit("/", 1)[-1].split("-")[0] == str(old).rsplit("/", 1)[-1]:
                # the IRI names the agency as extracted: it stays (links and decisions keep working), said
                code, right = str(old).rsplit("/", 1)[-1], str(agency).rsplit("/", 1)[-1]
                self.g.add((case, SKOS.editorialNote, Literal(
                    f"이 IRI는 추출된 주관 기관({code})으로 만들어졌다. 주관 기관은 큐레이터의 정정({decision})에 따라 "
                    f"{right}이다.", lang="ko")))
                self.g.add((case, SKOS.editorialNote, Literal(
                    f"This IRI was minted with the lead agency as extracted ({code}); the lead agency is {right} "
                    f"after a curator's correction ({decision}).", lang="en")))
        return ""

    def _move_departments(self, case: URIRef, old: URIRef, agency: URIRef) -> None:
        """The case's departments that were units of *old* become units of *agency* (same names);
        their evidence follows them, and a unit no other case names leaves the graph."""
        for row in self.select("case-facts.rq", case=case, property=AKG.department):
            unit = row.value
            if (unit, ORG.unitOf, old) not in self.g:
                continue
            moved = self.emitter.unit(agency, str(self.g.value(unit, SKOS.prefLabel)))
            for name in ("replace-fact.ru", "move-evidence.ru"):
                self.update(name, body=case, property=AKG.department, old=unit, new=moved)
            self.update("drop-orphan.ru", node=unit)

    def _correct_title(self, o: Override, found) -> str:
        for case, _ in found:
            old = self.g.value(case, DCTERMS.title)
            self.update("set-title.ru", case=case, title=Literal(o.correction, lang="ko"))
            self.record(o, case, None, rank=WIKIBASE.DeprecatedRank, text=old,
                        corrected=Literal(o.correction, lang="ko"))
        return ""

    def _correct_value(self, o: Override, found) -> str:
        """A department, technology, partner or beneficiary replaced by the curator's."""
        prop = PROPERTY[o.kind]
        for case, old in found:
            new, problem = self.value_of(o.kind, o.correction, case)
            if new is None:
                return problem
            if new == old:
                continue
            label = self.label(old)
            self.update("replace-fact.ru", body=case, property=prop, old=old, new=new)
            self.update("drop-fact.ru", body=case, property=prop, value=old)
            if o.kind in ("department", "partner"):
                self.update("drop-orphan.ru", node=old)
            self.record(o, case, old, rank=WIKIBASE.DeprecatedRank, text=label, corrected=new)
        return ""

    def value_of(self, kind: str, text: str, case: URIRef) -> tuple[URIRef | None, str]:
        """The resource a correction of *kind* names, or None and what is wrong."""
        if kind in SCHEME:
            hits = [r.concept for r in self.select("concept.rq", graph=self.emitter.vocab, scheme=SCHEME[kind],
                                                   text=Literal(text))]
            if len(hits) == 1:
                return hits[0], ""
            return None, (f"{text!r} names {len(hits)} concepts of {SCHEME[kind]}" if hits else
                          f"{text!r} names no concept of {SCHEME[kind]} (give its code or label)")
        if kind == "department":
            if text.startswith(("http://", "https://")):
                return URIRef(text), ""
            return self.emitter.unit(self.g.value(case, AKG.leadAgency), text), ""
        # a partner: a body of the gazetteer, an organisation's IRI, or a name whose form says what it is
        body = self.agency(text)
        if body is not None:
            return body, ""
        for pattern, cls, sector in self.lexicon.form_patterns:
            if pattern.fullmatch(text):
                from .loaders.records import OrgRef

                return self.emitter.org(OrgRef(text, cls=cls, sector=sector)), ""
        return None, (f"{text!r} is no body of the gazetteer and its form does not say what it is "
                      "(give an official code, an IRI or the full name)")

    def label(self, node) -> Literal | None:
        """*node*'s Korean name (its skos:prefLabel in the graph or the vocabularies), else any."""
        labels = [*self.g.objects(node, SKOS.prefLabel), *self.emitter.vocab.objects(node, SKOS.prefLabel)]
        return next((lab for lab in labels if lab.language == "ko"), labels[0] if labels else None)

    @property
    def lexicon(self):
        if self._lexicon is None:
            from .loaders.korean import Lexicon

            self._lexicon = Lexicon(vocab=self.emitter.vocab, gazetteer=self._gazetteer)
        return self._lexicon

    def _correct_award(self, o: Override, found) -> str:
        """An award's rank, grade, contest (the award moves to the contest of that name) or its
        contest's year."""
        for case, award in found:
            # the contest first: a year corrected with it is the year of the contest it moves to
            for name, text in sorted(award_fields(o.correction), key=lambda f: f[0] != "contest"):
                prop = AWARD_FIELDS[name]
                node = self.g.value(award, AKG.contest) if name == "year" else award
                old = self.g.value(node, prop)
                text_before = old
                if name in ("rank", "year"):
                    new = Literal(int(text))
                    self.update("set-value.ru", node=node, property=prop, value=new)
                elif name == "grade":
                    new, problem = self.value_of("grade", text, case)
                    if new is None:
                        return problem
                    text_before = self.label(old)
                    if old is not None:
                        self.update("drop-fact.ru", body=award, property=prop, value=old)
                    self.update("set-value.ru", node=award, property=prop, value=new)
                else:
                    year = self.g.value(old, AKG.year) if old is not None else None
                    new = self.emitter.contest_iri(edition_key(text, year.toPython() if year is not None else None))
                    text_before = self.g.value(old, SCHEMA.name)
                    if new == old:
                        continue
                    self.update("set-contest.ru", award=award, contest=new, name=Literal(text, lang="ko"))
                    self.update("drop-orphan.ru", node=old)
                if new != old:
                    self.record(o, case, award, rank=WIKIBASE.DeprecatedRank, text=text_before, corrected=new,
                                corrected_property=prop)
        return ""

    def _correct_metric(self, o: Override, found) -> str:
        new = Literal(Decimal(o.correction.replace(",", "")), datatype=XSD.decimal)
        for metric, _ in found:
            old = self.g.value(metric, SCHEMA.value)
            self.update("set-value.ru", node=metric, property=SCHEMA.value, value=new)
            self.record(o, self._case(metric), metric, rank=WIKIBASE.DeprecatedRank, text=old, corrected=new)
        return ""

    def _merge(self, o: Override) -> str:
        found = self.targets(o)
        into = URIRef(o.correction)
        if not found:
            return self._stale(o)
        if (into, RDF.type, AKG.InnovationCase) not in self.g:
            return f"the case to merge into, {into}, is not in the graph"
        for duplicate, _ in found:
            if duplicate != into:
                self.update("merge.ru", duplicate=duplicate, into=into)
                self.record(o, into, duplicate, rank=WIKIBASE.PreferredRank, corrected=into)
        return ""

    def _add(self, o: Override) -> str:
        from .loaders.records import CaseRecord, OrgRef

        if o.doc_sha256 not in self.emitter.docs:
            return self._stale(o)
        agency = self.agency(o.correction)
        if agency is None:
            return f"no agency {o.correction!r} in the gazetteer (give its official code)"
        body = self.gazetteer.bodies.get(agency)
        if body is None:
            return f"{o.correction!r} is no agency of the gazetteer (give its official code)"
        rec = CaseRecord(SimpleNamespace(sha256=o.doc_sha256), o.title, OrgRef(body.name, iri=agency))
        case = self.emitter.emit(rec, 0)
        self.record(o, case, None, rank=WIKIBASE.PreferredRank, text=Literal(o.title, lang="ko"))
        return ""

    def _case(self, subject: URIRef) -> URIRef:
        """The case a fact is about (a metric's case for a metric)."""
        if (subject, RDF.type, AKG.Metric) in self.g:
            outcome = self.g.value(None, AKG.metric, subject)
            return self.g.value(None, AKG.outcome, outcome) or subject
        return subject

    def record(self, o: Override, case: URIRef, value, *, rank: URIRef, text=None, corrected=None,
               corrected_property: URIRef | None = None) -> URIRef:
        """The decision's node: who decided what about which fact, when and why. *text* is the value
        before, as text (a title, a label, a rank); *corrected* the value after (a resource or a
        literal), of *corrected_property* where that is not the fact's own."""
        g = self.g
        part = "" if corrected_property is None else "-" + corrected_property.split("#")[-1]
        node = self.mint.iri("curation", f"{o.key()}-{_short(f'{case} {value}')}{part}")
        g.add((node, RDF.type, AKG.CuratorDecision))
        g.add((node, OA.motivatedBy, OA.editing if o.action in ("correct", "merge", "add") else OA.assessing))
        g.add((node, AKG.curationAction, ACTION[o.action]))
        g.add((node, OA.hasBody, case))
        g.add((node, AKG.assertedProperty, PROPERTY[o.kind] if o.action != "merge" else OWL.sameAs))
        if isinstance(value, URIRef):
            g.add((node, AKG.assertedValue, value))
        if o.kind == "metric" or text is not None or (o.quote and not isinstance(value, URIRef)):
            g.add((node, RDF.value, Literal(str(text) if text is not None else o.quote)))
        if corrected is not None:
            g.add((node, AKG.correctedValue, corrected))
        if corrected_property is not None:
            g.add((node, AKG.correctedProperty, corrected_property))
        g.add((node, WIKIBASE.rank, rank))
        curator = self.mint.iri("curator", hashlib.sha1(o.curator.encode("utf-8")).hexdigest()[:12])
        g.add((curator, RDF.type, PROV.Agent))
        g.add((curator, RDFS.label, Literal(o.curator)))
        g.add((node, PROV.wasAttributedTo, curator))
        g.add((node, DCTERMS.date, Literal(o.date, datatype=XSD.date)))
        if o.note:
            g.add((node, SKOS.note, Literal(o.note)))
        if o.doc_sha256 in self.emitter.docs:
            g.add((node, PROV.wasDerivedFrom, self.emitter.docs[o.doc_sha256]))
        return node


def _short(term) -> str:
    return hashlib.sha1(str(term).encode("utf-8")).hexdigest()[:8]


def apply_curation(emitter, sources: list[Path | str], *, gazetteer=None) -> CurationReport:
    """Read the curation files under *sources* and apply them to *emitter*'s graph."""
    overrides, errors = read_overrides(sources)
    report = Curator(emitter, gazetteer=gazetteer).apply(overrides)
    report.errors = errors
    return report


__all__ = ["ACTIONS", "COLUMNS", "CurationReport", "Curator", "Override", "PROPERTY", "apply_curation",
           "curation_files", "read_overrides"]
