"""Korean innovation reports → :class:`CaseRecord` s (card news, award articles, ranked lists).

Passes after reading (see ``loaders.documents``), in order:

5. ``sentences`` — lines, then sentences within lines, with offsets;
6. ``find_orgs`` — gazetteer bodies by every label (longest match, Hangul boundaries), bodies
   recognised by the form of their name (…공단, …재단, …대학교);
7. ``resolve`` — an ambiguous name (중구) takes the province the document speaks of, a date
   picks the body that existed then;
8. ``candidates`` — case titles: list items (▲ △ ◇ …), quoted titles in sentences that select
   or award, grade phrases (최우수 사례에는 X가 선정), card-news headings (an agency alone on a
   line, then its practice); duplicates (the same paragraph twice) merge;
9. ``fields`` — within each case's scope: units, technologies, beneficiaries, partners,
   metrics, problem and intervention statements; awards from the contest named in the document.

Every word list lives in ``loaders/lexicon/korean.toml`` and the SKOS vocabularies.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation
from functools import cached_property
from pathlib import Path

from rdflib import Graph, URIRef
from rdflib.namespace import RDF, SKOS

from adminkg import paths
from adminkg.graphio import load_files
from adminkg.namespaces import AKG, ORG
from adminkg.resolve import Gazetteer, normalise

from . import regex as re
from .align import dice
from .documents import Document
from .features import (
    agency_features,
    award_features,
    body_features,
    case_features,
    fact_features,
    metric_features,
)
from .generate import propose
from .model import Model
from .records import AwardRecord, CaseRecord, MetricRecord, OrgRef, Span

LEXICON_FILE = Path(__file__).parent / "lexicon" / "korean.toml"
TECH_SCHEME = URIRef("https://w3id.org/adminkg/vocab/technology")
BEN_SCHEME = URIRef("https://w3id.org/adminkg/vocab/beneficiary")
DOMAIN_SCHEME = URIRef("https://w3id.org/adminkg/vocab/domain")
GRADE_SCHEME = URIRef("https://w3id.org/adminkg/vocab/grade")
HANGUL = re.compile(r"[가-힣]")


def strip_conjunction(title: str, conjunctions: list[str], syllable: dict[str, str]) -> str:
    """A list item that joins the next one ("A 운영과 ▲B", "A 확충 및 ▲B") without its joining word.
    *syllable* says after which kind of syllable a conjunction can stand (과 after a closed one)."""
    m = re.search(r"([가-힣])\s?(" + "|".join(map(re.escape, conjunctions)) + r")$", title)
    if not m:
        return title
    closed = (ord(m.group(1)) - 0xAC00) % 28 != 0  # a Hangul syllable with a final consonant
    if syllable.get(m.group(2), "closed" if closed else "open") != ("closed" if closed else "open"):
        return title
    return title[: m.start(2)].rstrip(" ,")


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


class Lexicon:
    """The declarative knowledge the extractor uses: lexicon file, vocabularies, gazetteer."""

    def __init__(
        self,
        lexicon_file: Path = LEXICON_FILE,
        vocab: Graph | None = None,
        gazetteer: Gazetteer | None = None,
        gazetteer_graph: Graph | None = None,
    ):
        with open(lexicon_file, "rb") as fh:
            self.data = tomllib.load(fh)
        if vocab is None:
            vocab, errors = load_files(paths.ontology_files())
            if errors:
                raise errors[0]
        self.vocab = vocab
        if gazetteer_graph is None:
            gazetteer_graph, errors = load_files([paths.GAZETTEER_TTL])
            if errors:
                raise errors[0]
        self.gaz_graph = gazetteer_graph
        self.gazetteer = gazetteer or Gazetteer(gazetteer_graph)

    # -- technologies ------------------------------------------------------------------
    @cached_property
    def technology_patterns(self) -> list[tuple[str, re.Pattern]]:
        tech = self.data["technology"]
        report_as = tech.get("report_as", {})
        skip = set(tech.get("label_only_in_patterns", []))
        out = []
        for concept in sorted(self.vocab.subjects(SKOS.inScheme, TECH_SCHEME)):
            code = str(self.vocab.value(concept, SKOS.notation))
            forms = {str(x) for p in (SKOS.prefLabel, SKOS.altLabel) for x in self.vocab.objects(concept, p)}
            forms = [
                re.escape(f)
                for f in sorted(forms, key=lambda f: (-len(f), f))
                if len(f) >= 2 and not re.fullmatch(r"[A-Za-z]{1,3}", f) and f not in skip
            ]
            forms += tech["patterns"].get(code, [])
            if forms:
                out.append((report_as.get(code, code), re.compile("|".join(f"(?:{f})" for f in forms))))
        for rule in tech.get("implies", {}).values():
            for code in rule["codes"]:
                out.append((code, re.compile(rule["pattern"])))
        return out

    # -- beneficiaries and policy domains ---------------------------------------------------
    def korean_labels(self, scheme: URIRef) -> tuple[str, dict[str, URIRef]]:
        """(regex alternation of the Korean labels of *scheme*, longest first; label → concept)."""
        by_label: dict[str, URIRef] = {}
        for concept in sorted(self.vocab.subjects(SKOS.inScheme, scheme)):
            for p in (SKOS.prefLabel, SKOS.altLabel):
                for label in sorted(self.vocab.objects(concept, p)):
                    if label.language == "ko":
                        by_label.setdefault(str(label), concept)
        return "|".join(re.escape(x) for x in sorted(by_label, key=lambda x: (-len(x), x))), by_label

    @cached_property
    def beneficiary_pattern(self) -> tuple[re.Pattern, dict[str, URIRef]]:
        alternation, by_label = self.korean_labels(BEN_SCHEME)
        return re.compile(f"(?:[가-힣]{{1,6}}\\s)?(?:{alternation})"), by_label

    @cached_property
    def beneficiary_labels(self) -> re.Pattern:
        """The group labels alone, longest first (어린이부터 어르신까지 names two groups)."""
        return re.compile(self.korean_labels(BEN_SCHEME)[0])

    @cached_property
    def domain_pattern(self) -> tuple[re.Pattern, dict[str, URIRef]]:
        alternation, by_label = self.korean_labels(DOMAIN_SCHEME)
        return re.compile(alternation), by_label

    # -- gazetteer labels -----------------------------------------------------------------
    @cached_property
    def org_pattern(self) -> re.Pattern:
        labels = set()
        for key_prop in (SKOS.prefLabel, SKOS.altLabel, AKG.formerName):
            for _s, label in self.gaz_graph.subject_objects(key_prop):
                if label.language == "ko" and len(str(label)) >= 2:
                    labels.add(str(label))
        parts = sorted(labels, key=lambda x: (-len(x), x))
        alternation = "|".join(r"\s?".join(re.escape(w) for w in label.split()) for label in parts)
        return re.compile(f"(?:{alternation})")

    @cached_property
    def owned_forms(self) -> list[tuple[re.Pattern, str]]:
        """Units known by the form of their name whose owner the lexicon names (…경찰서 → 경찰청)."""
        return [(re.compile(f"(?:.{{2,14}}){form['suffix']}"), form["owner"])
                for form in self.data["orgs"]["forms"] if form.get("owner")]

    @cached_property
    def form_patterns(self) -> list[tuple[re.Pattern, str, str]]:
        out = []
        # a name may carry a particle (한국산림복지진흥원과, 도로교통공단이): it ends before it
        for form in self.data["orgs"]["forms"]:
            # …건설과 is a division, not a company and 과: companies take no 과
            particles = "|".join(self.data["units"]["particles_after"] + ([] if form["class"] == "Company" else ["과"]))
            end = f"(?:(?![가-힣])|(?=(?:{particles})(?![가-힣])))"
            out.append(
                (
                    re.compile(f"(?:\\(사\\)|\\(재\\)|㈜|\\(주\\))?[가-힣A-Za-z0-9]{{2,14}}{form['suffix']}{end}"),
                    form["class"],
                    form["sector"],
                )
            )
        names = "|".join(re.escape(x) for x in self.data["orgs"]["companies"])
        out.append((re.compile(f"(?<![가-힣A-Za-z])(?:{names})(?![가-힣A-Za-z])"), "Company", "private"))
        names = "|".join(re.escape(x) for x in self.data["orgs"]["international"])
        out.append((re.compile(f"(?<![가-힣A-Za-z])(?:{names})"), "InternationalOrganization", "international"))
        return out

    @cached_property
    def unit_pattern(self) -> re.Pattern:
        units = self.data["units"]
        strict = units["strict_suffixes"]
        loose = [s for s in units["suffixes"] if s not in strict]
        loose_alt = "|".join(re.escape(s) for s in sorted(loose, key=len, reverse=True))
        strict_alt = "|".join(strict.values())
        # the strict neighbourhood forms carry their own context; the others may take a particle (혁신실이)
        named_alt = "|".join(v for k, v in strict.items() if k not in units["place_suffixes"])
        particles = "|".join(units["particles_after"])
        return re.compile(
            f"(?<![가-힣])(?:[0-9]*[가-힣][가-힣0-9]{{0,10}}?(?:{loose_alt})|{strict_alt})(?![가-힣])"
            f"|(?<![가-힣])(?:[0-9]*[가-힣][가-힣0-9]{{0,10}}?(?:{loose_alt})|{named_alt})(?=(?:{particles})(?![가-힣]))"
        )

    @cached_property
    def quote_patterns(self) -> list[re.Pattern]:
        """One pattern per pair of quotation marks; group 1 is the quoted text."""
        return [
            re.compile(re.escape(a) + r"([^" + re.escape(a + b) + r"\n]{2,90})" + re.escape(b))
            for a, b in self.data["cases"]["quotes"].items()
        ]

    @cached_property
    def paired_quote_patterns(self) -> list[re.Pattern]:
        """The quote patterns whose marks open and close differently (‘…’, “…”), which nest safely."""
        return [p for p, (a, b) in zip(self.quote_patterns, self.data["cases"]["quotes"].items()) if a != b]

    @cached_property
    def marker_class(self) -> str:
        """A character class of the list markers (▲ △ ◇ …), the hyphen left out."""
        return "[" + re.escape(self.data["cases"]["markers"].replace("-", "")) + "]"

    @cached_property
    def grade_alternation(self) -> str:
        """The grade words as a regular-expression alternation, longest first."""
        return "|".join(re.escape(w) for w in self.grade_words)

    @cached_property
    def group_title_pattern(self) -> re.Pattern:
        """A text ending in a beneficiary group (… 초고령 독거노인): a group served, not a practice."""
        return re.compile(f"(?:{self.beneficiary_pattern[0].pattern})\\W*$")

    @cached_property
    def generic_beneficiaries(self) -> set[URIRef]:
        """Groups so general (residents, staff) that only a title naming them counts."""
        generic = self.data["beneficiaries"]["generic"]
        by_label = self.beneficiary_pattern[1]
        return {c for c in set(by_label.values()) if str(self.vocab.value(c, SKOS.notation)) in generic}

    @cached_property
    def served_generic(self) -> set[URIRef]:
        """Generic groups that count outside a title where the sentence serves them (주민들에게)."""
        served = self.data["beneficiaries"]["served_generic"]
        return {c for c in self.generic_beneficiaries if str(self.vocab.value(c, SKOS.notation)) in served}

    @cached_property
    def grade_words(self) -> list[str]:
        words = [w for family in self.data["awards"]["tiers"] for w in family] + self.data["awards"]["named"]
        return sorted(words, key=len, reverse=True)

    @cached_property
    def grade_notation(self) -> dict[str, str]:
        """Every label of the award-grade vocabulary (spaces removed) → the grade's notation."""
        out = {}
        for concept in self.vocab.subjects(SKOS.inScheme, GRADE_SCHEME):
            notation = self.vocab.value(concept, SKOS.notation)
            if notation is None:
                continue
            for p in (SKOS.notation, SKOS.prefLabel, SKOS.altLabel):
                for label in self.vocab.objects(concept, p):
                    out[normalise(str(label))] = str(notation)
        return out

    def canonical_grade(self, word: str | None) -> str | None:
        if word is None:
            return None
        key = normalise(word)
        return self.grade_notation.get(key) or self.grade_notation.get(re.sub(r"(?:상|사례)$", "", key)) or word

    @cached_property
    def grade_pattern(self) -> re.Pattern:
        not_after = self.data["awards"].get("not_grade_after", {})
        only_before = self.data["awards"].get("grade_only_before", {})
        not_before = self.data["awards"].get("not_grade_before", {})
        alts = []
        for w in self.grade_words:
            guard = "|".join(not_after.get(w, []))
            alt = "".join(f"(?<!{re.escape(b)})(?<!{re.escape(b)} )" for b in not_before.get(w, []))
            alt += re.escape(w) + (f"(?!\\s?(?:{guard}))" if guard else "")
            if w in only_before:
                alt += f"(?=\\s?(?:{'|'.join(only_before[w])})|\\s*$)"
            alts.append(alt)
        return re.compile(f"(?<![가-힣])(?:{'|'.join(alts)})(?:상|사례)?")


class KoreanExtractor:
    """Extract cases from one document (see the module docstring for the passes)."""

    def __init__(self, lexicon: Lexicon | None = None, model: Model | None = None, *, observe=None):
        """``model`` decides (a :class:`loaders.model.Model`; None: the rules alone decide).
        ``observe(kind, doc, item, features)``, for training, sees every candidate with its
        features and keeps them all."""
        self.lex = lexicon or Lexicon()
        self.model = model
        self.observe = observe
        self.cfg = self.lex.data
        self.grammar = {k: set(v) if isinstance(v, str) else v for k, v in self.cfg["grammar"].items()}
        self._fullest: dict[URIRef, str] = {}  # fullest_forms of the document being read
        self._leads: dict[URIRef, bool] = {}  # is_agency of gazetteer bodies

    # -- pass 5: sentences --------------------------------------------------------------
    def sentences(self, text: str) -> list[Sentence]:
        out = []
        for line_no, m in enumerate(re.finditer(r"[^\n]+", text)):
            line, base = m.group(), m.start()
            start = 0
            # a list item on its own line keeps its ? and ! (▲내 버스 지금 어디? 실시간 …)
            cuts = r"(?<=[다요음됨함임])\.(?=\s|$)"
            markers = self.lex.marker_class
            if not re.match(r"\s*" + markers, line) and len(re.findall(markers, line)) < 2:
                cuts += r"|(?<=[.?!])\s+(?=[가-힣‘'\"“(▲△◇○■□◆])"
            # no cut inside a quotation (‘전국 최초! 플라즈마 …’)
            quoted = [(q.start(), q.end()) for p in self.lex.paired_quote_patterns for q in p.finditer(line)]
            for cut in re.finditer(cuts, line):
                end = cut.end()
                if any(a < cut.start() < b for a, b in quoted):
                    continue
                if line[start:end].strip():
                    out.append(Sentence(base + start, base + end, line[start:end], line_no))
                start = end
            if line[start:].strip():
                out.append(Sentence(base + start, base + len(line), line[start:], line_no))
        return out

    # -- pass 6/7: organisations -----------------------------------------------------------
    def find_orgs(self, text: str, on: date | None) -> list[OrgRef]:
        found: list[OrgRef] = []
        taken = [False] * (len(text) + 1)
        # a body named after its place (여수시도시관리공단, 경기도교육청): the whole name, not the place
        forms = [(m, cls, sector) for pattern, cls, sector in self.lex.form_patterns for m in pattern.finditer(text)]
        named_after: dict[int, int] = {}
        for m, _cls, _sector in forms:
            named_after.setdefault(m.start(), m.end())
        for m in self.lex.org_pattern.finditer(text):
            label = m.group()
            if named_after.get(m.start(), 0) > m.end() and not self.lex.gazetteer.lookup(
                text[m.start() : named_after[m.start()]], on
            ):
                continue
            before = text[m.start() - 1] if m.start() else " "
            after = text[m.end()] if m.end() < len(text) else " "
            if len(normalise(label)) <= 3 and HANGUL.match(before):
                continue
            if (
                re.match(self.cfg["orgs"]["neighbourhood_after"], text[m.end() : m.end() + 4])
                and label[-1] not in self.cfg["orgs"]["government_endings"]
            ):
                continue  # 거제1동, 남원읍, 종로3가: a neighbourhood named after the place, not the body
            if (
                label[-1] not in self.grammar["admin_endings"]
                and HANGUL.match(after)
                and after not in self.grammar["particles"]
            ):
                continue
            hits = self.lex.gazetteer.lookup(label, on)
            org = OrgRef(name=label, span=Span(m.start(), m.end(), label))
            org.candidates = hits  # type: ignore[attr-defined]
            found.append(org)
            taken[m.start() : m.end()] = [True] * (m.end() - m.start())
        for m, cls, sector in forms:
            if any(taken[m.start() : m.end()]):
                continue
            name = m.group()
            org = OrgRef(name=name, cls=cls, sector=sector, span=Span(m.start(), m.end(), name))
            org.candidates = []  # type: ignore[attr-defined]
            found.append(org)
            taken[m.start() : m.end()] = [True] * (m.end() - m.start())
        found.sort(key=lambda o: o.span.start)
        return found

    def resolve(self, orgs: list[OrgRef]) -> None:
        """Pick one body for each ambiguous name: the one inside a province the document names."""
        context: dict[URIRef, int] = {}
        for org in orgs:
            hits = org.candidates  # type: ignore[attr-defined]
            if len(hits) == 1:
                for anc in self.ancestors(hits[0]):
                    context[anc] = context.get(anc, 0) + 1
                context[hits[0]] = context.get(hits[0], 0) + 1
        for org in orgs:
            hits = org.candidates  # type: ignore[attr-defined]
            if len(hits) == 1:
                org.iri = hits[0]
            elif len(hits) > 1:
                scored = sorted(hits, key=lambda h: -sum(context.get(a, 0) for a in self.ancestors(h)))
                best = scored[0]
                if sum(context.get(a, 0) for a in self.ancestors(best)) > 0:
                    org.iri = best
                else:
                    # no province named: the one top-level body among them (광주시 → 광주광역시,
                    # not 경기도 광주시, which a document names with its province)
                    top = [h for h in hits if not self.ancestors(h)]
                    if len(top) == 1:
                        org.iri = top[0]
            if org.iri is not None:
                org.name = self.label(org.iri)

    def ancestors(self, iri: URIRef) -> list[URIRef]:
        out, seen = [], set()
        g = self.lex.gaz_graph
        cur = g.value(iri, ORG.subOrganizationOf) or g.value(iri, ORG.unitOf)
        while cur is not None and cur not in seen:
            out.append(cur)
            seen.add(cur)
            cur = g.value(cur, ORG.subOrganizationOf) or g.value(cur, ORG.unitOf)
        return out

    def label(self, iri: URIRef) -> str:
        for lab in self.lex.gaz_graph.objects(iri, SKOS.prefLabel):
            if lab.language == "ko":
                return str(lab)
        return str(iri)

    def is_org_name(self, name: str) -> bool:
        if self.lex.gazetteer.lookup(name):
            return True
        return any(p.fullmatch(name) for p, _cls, _sector in self.lex.form_patterns)

    def unit_owner(self, name: str) -> URIRef | None:
        """The body a unit's name begins with: 전북소방본부 → 전북특별자치도, 서귀포보건소 → 서귀포시;
        or the owner the lexicon gives its form: 연수경찰서 → 경찰청."""
        for pattern, owner in self.lex.owned_forms:
            if pattern.fullmatch(name):
                hits = self.lex.gazetteer.lookup(owner)
                return hits[0] if len(hits) == 1 else None
        for cut in range(len(name) - 2, 1, -1):
            hits = [h for h in self.lex.gazetteer.lookup(name[:cut]) if self.is_agency(OrgRef(name="", iri=h))]
            if len(hits) == 1:
                return hits[0]
        return None

    def is_agency(self, org: OrgRef) -> bool:
        """A body that can lead a case (not a unit such as an 일반구)."""
        if org.iri is None:
            return org.cls in ("PublicInstitution", "CentralGovernmentBody")  # a "Unit" is not
        if org.iri not in self._leads:
            g = self.lex.gaz_graph
            units = (AKG.GeneralDistrict, ORG.OrganizationalUnit)
            self._leads[org.iri] = not any((org.iri, RDF.type, cls) in g for cls in units)
        return self._leads[org.iri]

    def is_actor(self, org: OrgRef, text: str) -> bool:
        """Not a place phrase (인천 최초, 충남 유일, 서울시 전역): such a mention names where, not who."""
        return org.span is None or not self.names_a_place(org.span.end, text)

    def names_a_place(self, end: int, text: str) -> bool:
        """The words after a name ending at *end* make it a place phrase (인천 최초, 서울시 전역)."""
        return bool(re.match(self.cfg["orgs"]["place_phrase"], text[end : end + 12]))

    # -- document facts --------------------------------------------------------------------
    def document_date(self, doc: Document) -> date | None:
        for value in (doc.date, doc.text[:600]):
            for pattern in self.cfg["document"]["date_patterns"]:
                m = re.search(pattern, value or "")
                if m:
                    try:
                        return date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
                    except ValueError:
                        continue
        return None

    def main_agency(self, orgs: list[OrgRef], text: str, doc: Document, on: date | None) -> OrgRef | None:
        """The body the document is about: the first body its (manifest) title names, else the
        subject of its opening, else the body it names most. A unit stands for its parent."""
        if doc.title:
            titled = self.find_orgs(doc.title, on)
            self.resolve(titled)
            for o in titled:
                if o.iri is not None:
                    same = next((x for x in orgs if x.iri == o.iri), None)
                    return self.as_agency(OrgRef(name=o.name, iri=o.iri, span=same.span if same else None))
        known = [o for o in orgs if o.iri is not None] or [o for o in orgs if self.is_agency(o)]
        if not known:
            return None
        for o in known:
            if o.span.start < 400 and self.is_subject(o, text):
                return self.as_agency(o)
        counts: dict[str, int] = {}
        for o in known:
            counts[o.name] = counts.get(o.name, 0) + 1
        best = max(counts.values())
        return self.as_agency(next(o for o in known if counts[o.name] == best))

    def subject_unit(self, orgs: list[OrgRef], text: str, main: OrgRef | None) -> tuple[str, Span] | None:
        """The regional office a document is about (인천본부세관은 … 경진대회를 개최): a gazetteer unit of
        the main agency that is the subject of the opening; its cases are that office's."""
        if main is None or main.iri is None:
            return None
        g = self.lex.gaz_graph
        for o in orgs:
            if o.span.start >= 400:
                break
            if o.iri is None or g.value(o.iri, ORG.unitOf) != main.iri:
                continue
            if self.is_subject(o, text) or text[o.span.end : o.span.end + 1] in "(（":  # 인천본부세관(세관장 …)은
                return self._fullest.get(o.iri, o.name), o.span
        return None

    def is_subject(self, org: OrgRef, text: str) -> bool:
        """The name is marked as the subject (…는, …이, …에서)."""
        after = text[org.span.end : org.span.end + 2]
        return after[:1] in self.grammar["subject_markers"] or after.startswith("에서")

    @staticmethod
    def fullest_forms(orgs: list[OrgRef]) -> dict[URIRef, str]:
        """Each gazetteer body → the fullest form the document writes it in (인천세관 … 인천본부세관)."""
        out: dict[URIRef, str] = {}
        for o in orgs:
            if o.iri is not None and o.span is not None and len(o.span.text) > len(out.get(o.iri, "")):
                out[o.iri] = o.span.text
        return out

    def as_agency(self, org: OrgRef) -> OrgRef:
        """The body that can lead a case: a unit (일반구, regional office, 소방본부) gives way to its parent."""
        if org.iri is None and org.cls == "Unit":
            owner = self.unit_owner(org.name)
            return OrgRef(name=self.label(owner), iri=owner, span=org.span) if owner is not None else org
        if org.iri is None or self.is_agency(org):
            return org
        parent = self.lex.gaz_graph.value(org.iri, ORG.unitOf)
        return OrgRef(name=self.label(parent), iri=parent, span=org.span) if parent is not None else org

    # -- pass 8: candidates ----------------------------------------------------------------
    def clean_title(self, title: str) -> str:
        title = title.strip(" ,.·ㆍ-–—:;\t" + self.cfg["cases"]["markers"])
        title = re.sub(self.cfg["cases"]["title_tail"], "", title)
        title = re.sub(self.cfg["cases"]["title_head"], "", title)
        for opening, closing in self.cfg["cases"]["quotes"].items():
            if title.startswith(opening) and title.endswith(closing) and len(title) > 2:
                title = title[1:-1]
            elif title.startswith(opening) and closing not in title[1:]:
                title = title[1:]  # a quote cut off by the end of the item
        return title.strip(" ,.")

    def quoted(self, sentence: Sentence) -> list[Span]:
        out = []
        for pattern in self.lex.quote_patterns:
            for m in pattern.finditer(sentence.text):
                out.append(Span(sentence.start + m.start(1), sentence.start + m.end(1), m.group(1)))
        return sorted(out, key=lambda s: s.start)

    def is_title_like(self, text: str) -> bool:
        t = text.strip()
        c = self.cfg["cases"]
        if not (c["min_title"] <= len(t) <= c["max_title"]):
            return False
        if any(re.search(p, t) for p in c["not_titles"]):
            return False
        rest = self.lex.grade_pattern.sub("", t)
        if not (HANGUL.search(rest) or re.search(r"[A-Za-z]{3,}", rest)):
            return False  # grade and prize words only: 대상(대통령상)
        contest_like = any(w in t for w in c["contest_words"]) or (
            any(w in t for w in c["contest_words_with_year"]) and re.search(r"(?:19|20)\d\d", t)
        )
        if contest_like and not re.search(c["practice_words"], t):
            return False
        if re.search(c["contest_ending"], t) or re.search(c["programme_title"], t):
            return False  # …개선 우수사례 경진대회: a contest, whatever its words
        if self.lex.group_title_pattern.search(t):
            return False  # ‘알코올 의존도가 높은 초고령 독거노인’: a group served, not a practice
        if len(HANGUL.findall(re.sub(r"\d+\s?[년월일]", "", t))) < 2 and not re.search(r"[A-Za-z]{3,}", t):
            return False  # 2025년( …: a date or a fragment
        if re.search(c["period_only"], t) and len(t) < 20:
            return False
        if any(t.endswith(e) for e in c["speech_endings"]) and len(t) > 25:
            return False
        if self.lex.gazetteer.lookup(t):
            return False
        return bool(HANGUL.search(t) or re.search(r"[A-Za-z]{3,}", t))

    def criteria_list(self, sentence: str, markers: list) -> bool:
        """A list of evaluation criteria or steps (심사항목은 △체감도 △적극성), not of practices."""
        c = self.cfg["cases"]
        lead = sentence[: markers[0].start()]
        if any(w in lead for w in c["list_skip_lead"]):
            return True
        body = sentence[markers[0].start() :]
        items = [body[m.end() - markers[0].start() :] for m in markers]
        hits = sum(any(w in item[:20] for w in c["list_skip_items"]) for item in items)
        if len(markers) >= 2 and hits * 2 > len(markers):
            return True
        tail = sentence[markers[-1].end() :]
        return any(w in tail for w in c["list_skip_after"]) and len(tail) < 60

    def is_speech(self, text: str, quote_end: int) -> bool:
        """A quotation followed by a reporting verb (“…”라며, “…”고 말했다) is speech; one followed by a
        topic marker (‘…’는 …) is speech unless the rest of its sentence awards it."""
        after = text[quote_end + 1 : quote_end + 6]
        if not any(after.startswith(w) for w in self.cfg["cases"]["speech_after"]):
            return False
        if after.startswith(tuple(self.cfg["cases"]["topic_after"])):
            rest = re.split(r"(?<=다)\.\s|\n", text[quote_end + 1 : quote_end + 200])[0]
            return not (self.lex.grade_pattern.search(rest) or re.search(self.cfg["cases"]["award_verbs"], rest))
        return True

    def grade_in(self, text: str, offset: int) -> tuple[str | None, Span | None]:
        found = list(self.lex.grade_pattern.finditer(text))
        if not found:
            return None, None
        m = found[-1]
        word = re.sub(r"(?:상|사례)$", "", m.group()) if m.group() not in self.lex.grade_words else m.group()
        if word not in self.lex.grade_words:
            word = m.group()
        return word, Span(offset + m.start(), offset + m.end(), m.group())

    def clause_scopes(self, text: str, cands: list[Candidate]) -> None:
        """Narrow the scope of cases quoted in one sentence to their own clause (the commas outside
        quotes and brackets cut clauses): "‘가’에 위생과 …, ‘나’의 건축과 …". Where one clause holds
        several quotes, a unit goes forward when the quotes are possessed (위생과의 ‘가’), else back."""
        by_sentence: dict[int, list[Candidate]] = {}
        for cand in cands:
            if cand.span is not None:
                by_sentence.setdefault(cand.sentence.start, []).append(cand)
        for group in by_sentence.values():
            if len(group) < 2:
                continue
            group.sort(key=lambda c: c.span.start)
            s = group[0].sentence
            masked = list(s.text)
            for q in self.quoted(s):
                for i in range(q.start - s.start, q.end - s.start):
                    masked[i] = "x"
            masked = re.sub(r"[(（][^()（）]*[)）]", lambda m: "x" * len(m.group()), "".join(masked))
            cuts = [s.start] + [s.start + m.end() for m in re.finditer(r",\s", masked)] + [s.end]
            clauses = list(zip(cuts, cuts[1:]))
            owners: list[list[Candidate]] = [[c for c in group if a <= c.span.start < b] for a, b in clauses]
            scopes: dict[int, list[tuple[int, int]]] = {id(c): [] for c in group}
            last = None
            pending: list[tuple[int, int]] = []
            for (a, b), own in zip(clauses, owners):
                if not own:
                    if last is None:
                        pending.append((a, b))
                    else:
                        scopes[id(last)].append((a, b))
                    continue
                if len(own) == 1:
                    scopes[id(own[0])].append((a, b))
                else:
                    mark = "(?:" + "|".join(self.grammar["possessive"]) + r")\s?$"
                    possessed = [re.search(mark, text[max(a, c.span.start - 4) : c.span.start - 1]) for c in own]
                    forward = sum(map(bool, possessed)) * 2 > len(own)
                    for i, c in enumerate(own):
                        if forward:
                            start = own[i - 1].span.end + 1 if i else a
                            end = c.span.end + 1 if i + 1 < len(own) else b
                        else:
                            start = c.span.start - 1 if i else a
                            end = own[i + 1].span.start - 1 if i + 1 < len(own) else b
                        scopes[id(c)].append((start, end))
                if pending:
                    scopes[id(own[0])] += pending
                    pending = []
                last = own[-1]
            for c in group:
                c.scope = sorted(scopes[id(c)]) or c.scope

    def bracket_units(self, inner: str) -> list[str] | None:
        """The units a bracket after a title names, or None when it says something else: units and
        centres (농업기술원), the government itself (도, 시) and a person with their post."""
        words = inner.strip().split()
        units: list[str] = []
        for i, word in enumerate(words):
            if self.lex.unit_pattern.fullmatch(word) or re.fullmatch(self.cfg["units"]["centre_words"], word):
                units.append(word)
            elif i == 0 and word in self.grammar["self_reference"]:
                continue
            elif units and re.fullmatch(self.cfg["units"]["person_after"], " ".join(words[i:])):
                break
            else:
                return None
        return units or None

    def bracketed_agency(self, text: str, start: int, end: int, orgs: list[OrgRef]) -> OrgRef | None:
        """The gazetteer body named in brackets at the end of text[start:end] (…플랫폼(경찰청))."""
        tail = re.search(r"[(（]([^()（）]{2,30})[)）][\s,，]*(?:등|이며|이다)?[^가-힣]*$", text[start:end])
        if not tail:
            return None
        a, b = start + tail.start(1), start + tail.end(1)
        return next(
            (o for o in orgs if o.iri is not None and o.span.start == a and o.span.end == b and self.is_agency(o)),
            None,
        )

    def heads(self, s: Sentence, m: re.Match) -> bool:
        """The grade word *m* of *s* heads what follows it (최우수상에는 …, 장려상은 …)."""
        return bool(re.match(self.cfg["awards"]["grade_heads"], s.text[m.end() :]))

    def grade_mentions(self, s: Sentence) -> list[re.Match]:
        """The grade words of a sentence outside its quotations; the generic 우수사례 only as a heading."""
        inside = [(x.start - 1, x.end + 1) for x in self.quoted(s)]
        return [
            m
            for m in self.lex.grade_pattern.finditer(s.text)
            if (self.heads(s, m) or not re.fullmatch(self.cfg["awards"]["generic_phrase"], m.group()))
            and not any(a <= s.start + m.start() < b for a, b in inside)
        ]

    def grade_of_quote(self, s: Sentence, q: Span) -> tuple[str | None, Span | None]:
        """The grade a sentence gives one of its quoted titles: the first grade word after it unless
        that word heads what follows (우수상에는 ‘…’), else the last heading grade before it."""
        mentions = self.grade_mentions(s)
        after = [m for m in mentions if s.start + m.start() >= q.end]
        if after and not self.heads(s, after[0]):
            chosen = after[0]
        else:
            before = [m for m in mentions if s.start + m.end() <= q.start and self.heads(s, m)]
            chosen = before[-1] if before else None
        if chosen is None:
            return None, None
        return self.grade_in(chosen.group(), s.start + chosen.start())

    def candidates(self, doc: Document, sents: list[Sentence], orgs: list[OrgRef]) -> list[Candidate]:
        text = doc.text
        c = self.cfg["cases"]
        markers = re.escape(c["markers"].replace("-", "")) + "\\-"
        out: list[Candidate] = []
        # (a) list items
        selfref = "|".join(self.grammar["self_reference"])
        head_units = re.compile(r"\s*(?:(?:" + selfref + r")\s+|(" + self.lex.unit_pattern.pattern + r")\s+)")
        tail_words = "|".join(c["item_tail_words"]) + "|" + self.lex.grade_alternation
        item_heads = self.cfg["awards"]["grade_heads"] + r"|^\s?에\s"  # "▲우수에 …" too
        for s in sents:
            items = list(re.finditer(f"[{markers}]\\s?", s.text))
            real = [m for m in items if m.group().strip() != "-" or m.start() == 0]
            if not real or (len(real) < 2 and not re.match(f"\\s*[{markers}]", s.text)):
                continue
            window = text[max(0, s.start - 200) : s.end]
            cued = any(re.search(p, window) for p in c["list_cues"]) or self.lex.grade_pattern.search(s.text)
            if self.criteria_list(s.text, real) or not cued:
                continue
            sentence_grade = (None, None)
            for i, m in enumerate(real):
                end = real[i + 1].start() if i + 1 < len(real) else len(s.text)
                seg = s.text[m.end() : end]
                seg_start = s.start + m.end()
                quotes = self.quoted(Sentence(seg_start, seg_start + len(seg), seg, s.line))
                after_quote = text[quotes[0].end + 1 : s.start + end] if quotes else ""
                if quotes and (
                    re.match(self.cfg["cases"]["title_goes_on"], after_quote)
                    or re.match(self.cfg["cases"]["category_after"], after_quote)
                ):
                    quotes = []  # "△허위인건비 피해방지를 위한 「근로사실확인 알림톡」 신설": the item is the title
                raw = quotes[0].text if quotes else seg
                raw_start = quotes[0].start if quotes else seg_start
                item_agency = None
                # "◇대상-경기도 김포시 ‘…’": a grade heading, then the body, then the title
                head = self.lex.grade_pattern.match(seg)
                body_start, head_grade = seg_start, (None, None)
                if head and re.match(r"\s?[-–:·]\s?", seg[head.end() :]):
                    body_start = seg_start + head.end() + len(re.match(r"\s?[-–:·]\s?", seg[head.end() :]).group())
                    head_grade = self.grade_in(head.group(), seg_start)
                lead_org = next(
                    (
                        o
                        for o in orgs
                        if body_start <= o.span.start <= body_start + 1
                        and o.iri is not None
                        and self.is_actor(o, text)
                        and not re.match(c["partner_after"], text[o.span.end : o.span.end + 12])
                        and (not quotes or o.span.end <= quotes[0].start)
                    ),
                    None,
                )
                if lead_org is not None:
                    item_agency = lead_org
                    rest = text[lead_org.span.end : s.start + end]
                    pm = re.match(r"\s?[(（]([^()（）]{4,90})[)）]", rest)
                    if pm and not quotes:
                        raw = pm.group(1)
                        raw_start = lead_org.span.end + pm.start(1)
                    elif not quotes:  # "▲보령시 충남 최초 공영장례 …": the body heads the item, the rest is the title
                        raw = text[lead_org.span.end : s.start + end]
                        raw_start = lead_org.span.end
                lead_units: list[tuple[str, Span]] = []
                if not quotes:
                    # "▲도 토지관리과 하늘에서 …": the government itself (도, 시) and its units head the item
                    while True:
                        hm = head_units.match(raw)
                        if not hm or not hm.group(1) and hm.end() == len(raw):
                            break
                        if hm.group(1):
                            unit = hm.group(1)
                            and_pair = re.match(self.cfg["units"]["kwa_pair"], raw[hm.end(1) :])
                            if unit.endswith(self.cfg["units"]["and_suffix"]) and and_pair:
                                break  # "▲노점상인과 청년, …": the item's title, not a unit
                            lead_units.append((unit, Span(raw_start + hm.start(1), raw_start + hm.end(1), unit)))
                        raw, raw_start = raw[hm.end() :], raw_start + hm.end()
                if item_agency is None and not quotes:
                    # "▲디지털 증거 관리 플랫폼(경찰청)": the body in brackets ending the item is its agency
                    owner = self.bracketed_agency(text, seg_start, seg_start + len(seg), orgs)
                    if owner:
                        item_agency = owner
                        raw = text[seg_start : owner.span.start - 1]
                prev_end = real[i - 1].end() if i else 0
                lead = s.text[prev_end : m.start()][-10:]
                grade, gspan = self.grade_in(lead, s.start + m.start() - len(lead))
                if grade is None and i:
                    grade, gspan = sentence_grade
                seg_grade, seg_gspan = self.grade_in(seg[:12], seg_start)
                if (
                    seg_grade
                    and seg_gspan.start - seg_start <= 1
                    and (not quotes or re.match(item_heads, text[seg_gspan.end :]))
                ):
                    grade, gspan = seg_grade, seg_gspan
                trailing = re.search(f"[(（]\\s?({self.lex.grade_pattern.pattern})\\s?[)）][^()（）]{{0,12}}$", seg)
                if trailing:  # "△‘…’(최우수)": the grade follows its item
                    grade, gspan = self.grade_in(trailing.group(1), seg_start + trailing.start(1))
                if head_grade[0]:
                    grade, gspan = head_grade
                sentence_grade = (grade, gspan)
                depts = list(lead_units)
                pm = re.search(r"\(([^()]{2,30})\)\s*(?:[,，]?\s*(?:" + tail_words + r").*)?$", raw)
                # "…(재무과)", "…(세무2과 홍길동 주무관)", "…(도 소상공인기업과)", "…(농업기술원 기술지원조정과)":
                # the item's own units
                units = self.bracket_units(pm.group(1)) if pm else None
                if units:
                    for unit in units:
                        ustart = raw_start + pm.start(1) + pm.group(1).find(unit)
                        depts.append((unit, Span(ustart, ustart + len(unit), unit)))
                    raw = raw[: pm.start()]
                title = self.clean_title(raw)
                if i + 1 < len(real):
                    title = strip_conjunction(
                        title, self.grammar["conjunctions"], self.grammar["conjunction_syllable"]
                    )  # "▲A 운영과 ▲B"
                title = re.sub(r",?\s*(?:" + self.lex.grade_alternation + r")\s*$", "", title).strip(" ,")
                person = self.cfg["units"]["person_after"] + r"(?:\s?등.*)?"
                if depts and re.fullmatch(person, raw.strip()):
                    title = ""  # "△관광과 홍길동 팀장": a unit and a person awarded, no practice named
                elif not self.is_title_like(title):
                    continue
                tstart = text.find(title, raw_start) if title else -1
                span = Span(tstart, tstart + len(title), title) if tstart >= 0 else None
                cand = Candidate(
                    title, span, s, agency=item_agency, grade=grade, grade_span=gspan, departments=depts, origin="list"
                )
                cand.scope = [(seg_start, s.start + end)]
                out.append(cand)
        # (b) quoted titles in sentences that select or award
        lines_seen = set()
        for s0 in sents:
            if s0.line in lines_seen:
                continue
            lines_seen.add(s0.line)
            line_sents = [x for x in sents if x.line == s0.line]
            whole = Sentence(
                line_sents[0].start, line_sents[-1].end, text[line_sents[0].start : line_sents[-1].end], s0.line
            )
            speeches = [(m.start(), m.end()) for m in re.finditer(r"“[^“”\n]{4,400}”", text[whole.start : whole.end])]
            speeches = [(whole.start + a, whole.start + b) for a, b in speeches]
            for q in self.quoted(whole):  # a quote may hold a full stop ("A.I. 푸드스캐너")
                s = next(x for x in line_sents if x.start <= q.start < x.end or x is line_sents[-1])
                s = Sentence(s.start, max(s.end, q.end), text[s.start : max(s.end, q.end)], s.line)
                prev = [x for x in line_sents if x.end <= s.start]
                # "최우수상 수상작은 … 선정됐다. 양산시는 ‘…’으로 …": the sentence before awards
                awarded_before = bool(prev) and self.lex.grade_pattern.search(prev[-1].text) is not None
                cued = any(cue in s.text for cue in c["cues"])
                if not cued and not awarded_before:
                    continue
                title = self.clean_title(q.text)
                if not self.is_title_like(title) or self.is_speech(text, q.end):
                    continue
                if re.search(c["speech_inside"], q.text):
                    continue
                if re.match(c["category_after"], text[q.end + 1 : q.end + 8]):
                    continue  # ‘적극행정’ 분야에서: a contest category, not a practice
                if re.match(c["not_title_after"], text[q.end + 1 : q.end + 12]):
                    continue  # ‘…’을 활용한, ‘…’를 실현하기 위해: a means or a goal, not a practice
                if any(a < q.start and q.end < b and self.is_speech(text, b - 1) for a, b in speeches):
                    continue  # “… ‘사람과 자연이 행복한 제주’를 만들겠다”며: inside someone's words
                if any(x.span and x.span.start <= q.start < x.span.end + 2 for x in out):
                    continue
                grade, gspan = self.grade_of_quote(s, q)
                own = re.search(f"[(（]\\s?({self.lex.grade_pattern.pattern})\\s?[)）]\\s*$", q.text)
                if own:  # ‘…서비스 구현(최우수)’: the grade closes the title itself
                    grade, gspan = self.grade_in(own.group(1), q.start + own.start(1))
                    title = self.clean_title(q.text[: own.start()])
                if grade is None:
                    grade, gspan = self.grade_in(text[q.end : s.end][:40], q.end)
                if grade is None:
                    grade, gspan = self.grade_in(
                        text[s.start : q.start][-25:], q.start - len(text[s.start : q.start][-25:])
                    )
                if grade is None and awarded_before and not cued:
                    grade, gspan = self.grade_in(prev[-1].text, prev[-1].start)  # the grade the sentence before gives
                cand = Candidate(title, Span(q.start, q.end, q.text), s, grade=grade, grade_span=gspan, origin="quote")
                owner = self.bracketed_agency(text, q.start, q.end, orgs)
                if owner is not None:  # ‘… 분석(우정사업본부)’: the body in brackets ending the title
                    cand.agency = owner
                    cand.title = self.clean_title(text[q.start : owner.span.start - 1])
                um = re.search(r"[(（]([^()（）]{2,24})[)）]\s*$", q.text)
                if um:  # ‘…해결(건축과)’, ‘…찾아내다! (대구시 복지정책과)’: the unit, and its body
                    inner, ustart = um.group(1).strip(), q.start + um.start(1)
                    head = next((o for o in orgs if o.span.start == ustart and o.iri is not None), None)
                    unit = inner[len(head.span.text) :].strip() if head else inner
                    if self.lex.unit_pattern.fullmatch(unit):
                        at = text.find(unit, ustart)
                        cand.departments.append((unit, Span(at, at + len(unit), unit)))
                        cand.title = self.clean_title(q.text[: um.start()])
                        if head is not None and self.is_agency(head):
                            cand.agency = head
                cand.scope = [(s.start, s.end)]
                out.append(cand)
        self.clause_scopes(text, [c for c in out if c.origin == "quote"])
        # (c) unquoted grade phrases: 최우수 사례에는 X가 선정됐다 / 우수 사례로는 X, Y를 선정
        gw = self.lex.grade_alternation
        phrase = re.compile(c["award_phrase"].replace("{grades}", gw))
        for s in sents:
            for m in phrase.finditer(s.text):
                body, body_start = m.group(2), s.start + m.start(2)
                if self.quoted(Sentence(body_start, body_start + len(body), body, s.line)):
                    continue
                if len(re.findall(self.lex.marker_class, body)) >= 2:
                    continue  # "장려상에는 △A △B": the list items are the cases
                pos = 0
                for piece in re.split(r",\s|，\s?", body):
                    pstart = body_start + body.find(piece, pos)
                    pos = body.find(piece, pos) + len(piece)
                    title = self.clean_title(piece)
                    if not self.is_title_like(title) or title.startswith(tuple(c["not_title_starts"])):
                        continue
                    cand = Candidate(
                        title,
                        Span(pstart, pstart + len(piece), piece),
                        s,
                        grade=m.group(1),
                        grade_span=Span(s.start + m.start(1), s.start + m.end(1), m.group(1)),
                        origin="phrase",
                    )
                    cand.scope = [(s.start, s.end)]
                    out.append(cand)
        # (c2) "A으로 제안실행 부문 최우수상, B로 우수상을 받았다": unquoted titles that earned a grade
        by_means = re.compile(c["award_by_means"].replace("{grades}", gw))
        subject_mark = r"^\s?(?:" + "|".join(map(re.escape, self.grammar["subject_markers"])) + r")?\s"
        award_verb = re.compile(self.cfg["cases"]["award_verbs"])
        for s in sents:
            if not award_verb.search(s.text) or self.quoted(s):
                continue
            pos = 0
            for piece in re.split(r",\s", s.text):
                pstart = s.start + s.text.find(piece, pos)
                pos = s.text.find(piece, pos) + len(piece)
                m = by_means.match(piece)
                if not m:
                    continue
                title = self.clean_title(m.group("title"))
                lead = next((o for o in orgs if o.span.start == pstart + m.start("title") and o.iri is not None), None)
                if lead is not None:  # "강서구는 A로 …": the subject heads the piece
                    rest = text[lead.span.end : pstart + m.end("title")]
                    title = self.clean_title(re.sub(subject_mark, "", rest))
                    if len(title) < 6:
                        continue
                title = self.clean_title(re.sub(c["means_title_cut"], "", title))
                if not self.is_title_like(title) or any(x.span and x.span.start <= pstart < x.span.end for x in out):
                    continue
                tstart = text.find(title, pstart)
                gstart = pstart + m.start("grade")
                cand = Candidate(
                    title,
                    Span(tstart, tstart + len(title), title) if tstart >= 0 else None,
                    s,
                    agency=lead,
                    grade=m.group("grade"),
                    grade_span=Span(gstart, gstart + len(m.group("grade")), m.group("grade")),
                    origin="phrase",
                )
                cand.scope = [(pstart, pstart + len(piece))]
                out.append(cand)
        # (e) bodies awarded by name without a practice title: "목포시, 화순군이 우수상을 받았다"
        conjunction = r"\s?(?:" + "|".join(self.grammar["conjunctions"]) + r")\s"
        for s in sents:
            if not award_verb.search(s.text):
                continue
            sent_orgs = [
                o
                for o in orgs
                if s.start <= o.span.start < s.end
                and o.iri is not None
                and self.is_agency(o)
                and self.is_actor(o, text)
            ]
            inside = [(q.start - 1, q.end + 1) for q in self.quoted(s)]
            mentions = self.grade_mentions(s)
            titled = [c for c in out if c.span is not None and c.sentence.start == s.start]
            graded: dict[int, re.Match] = {}
            for o in sorted(sent_orgs, key=lambda o: -o.span.start):
                if any(a <= o.span.start < b for a, b in inside):
                    continue
                # the owner of a quoted title next to it ("X의 ‘…’", "‘…’를 발표한 X") is that case's agency
                if any(-2 <= c.span.start - o.span.end <= 12 or -2 <= o.span.start - c.span.end <= 12 for c in titled):
                    continue
                grade_m = None
                after = [m for m in mentions if s.start + m.start() >= o.span.end]
                if after and not self.heads(s, after[0]):
                    between = text[o.span.end : s.start + after[0].start()]
                    if re.fullmatch(self.cfg["cases"]["awarded_before_grade"], between):
                        grade_m = after[0]  # "목포시, 화순군이 우수상을 받았다"
                if grade_m is None:
                    heads = [m for m in mentions if s.start + m.end() <= o.span.start and self.heads(s, m)]
                    between = text[s.start + heads[-1].end() : o.span.start] if heads else ""
                    if heads and re.fullmatch(self.cfg["cases"]["awarded_after_heading"], between):
                        grade_m = heads[-1]  # "장려상은 원주시, 영월군, 정선군이 차지했다"
                if grade_m is None and re.match(conjunction, text[o.span.end : o.span.end + 3]):
                    # "…을 차단한 관세청과 …을 운영한 서울특별시가 최우수상을": the next body's grade
                    later = [x for x in sent_orgs if x.span.start > o.span.end]
                    nxt = min(later, key=lambda x: x.span.start, default=None)
                    m2 = graded.get(id(nxt)) if nxt is not None else None
                    if m2 is not None and not any(o.span.end <= s.start + m.start() < nxt.span.start for m in mentions):
                        grade_m = m2
                if grade_m is None:
                    continue
                graded[id(o)] = grade_m
                if any(c.sentence.start == s.start and c.agency is not None and c.agency.iri == o.iri for c in out):
                    continue
                grade, gspan = self.grade_in(grade_m.group(), s.start + grade_m.start())
                cand = Candidate("", None, s, agency=o, grade=grade, grade_span=gspan, origin="awarded")
                cand.scope = [(o.span.start, o.span.end)]
                out.append(cand)
        # (d) card news: an agency alone on its line, its practice on the next lines
        lines = [(m.start(), m.end(), m.group()) for m in re.finditer(r"[^\n]+", text)]
        heads = []
        for i, (ls, le, line) in enumerate(lines):
            stripped = line.strip()
            hit = [o for o in orgs if o.span.start >= ls and o.span.end <= le and o.iri is not None]
            if hit and len(normalise(stripped)) <= len(normalise(hit[0].span.text)) + 1:
                heads.append((i, hit[0]))
        if len(heads) >= 2:
            for k, (i, org) in enumerate(heads):
                nxt = heads[k + 1][0] if k + 1 < len(heads) else len(lines)
                body = [ln for ln in lines[i + 1 : nxt] if ln[2].strip()]
                if not body:
                    continue
                rows = self.table_rows(body)
                if rows:  # a table under the body: one row (unit, then title) per case
                    for r, (unit, (ls, le, line), place) in enumerate(rows):
                        end = rows[r + 1][0][1].start if r + 1 < len(rows) else lines[nxt - 1][1]
                        s = next((x for x in sents if x.start <= ls < x.end), Sentence(ls, le, line, i + 1))
                        cand = Candidate(self.clean_title(line), Span(ls, le, line), s, agency=org, origin="card")
                        cand.departments, cand.place = [unit], place
                        cand.scope = [(ls, end)]
                        out.append(cand)
                    continue
                ls, le, line = body[0]
                quotes = self.quoted(Sentence(ls, le, line, i + 1))
                title = self.clean_title(quotes[0].text if quotes else line)
                if len(title) > self.cfg["cases"]["max_title"]:
                    continue  # a paragraph of running text, not a card's title
                span = quotes[0] if quotes else Span(ls, le, line)
                s = next((x for x in sents if x.start <= ls < x.end), Sentence(ls, le, line, i + 1))
                cand = Candidate(title, span, s, agency=org, origin="card")
                cand.scope = [(lines[i][0], lines[nxt - 1][1])]
                out.append(cand)
        return out

    def table_rows(
        self, body: list[tuple[int, int, str]]
    ) -> list[tuple[tuple[str, Span], tuple[int, int, str], int | None]]:
        """Rows of a table laid out one cell a line: a unit alone on its line, then the case's title,
        then maybe its place (3, "9 표창 …")."""
        rows = []
        for k, ((us, _ue, unit_line), (ls, le, line)) in enumerate(zip(body, body[1:])):
            unit = unit_line.strip()
            title = self.clean_title(line)
            if self.is_unit_word(unit, loose=True) and self.is_title_like(title) and not self.is_unit_word(title):
                at = us + unit_line.find(unit)
                pm = re.match(r"\s*(\d{1,2})(?!\d)", body[k + 2][2]) if k + 2 < len(body) else None
                rows.append(((unit, Span(at, at + len(unit), unit)), (ls, le, line), int(pm.group(1)) if pm else None))
        return rows if len(rows) >= 2 else []

    def assign_agency(self, cand: Candidate, orgs: list[OrgRef], main: OrgRef | None, text: str) -> None:
        if cand.agency is not None:
            return
        start = cand.span.start if cand.span else cand.sentence.start
        before = [
            o
            for o in orgs
            if cand.sentence.start <= o.span.end <= start
            and (self.is_agency(o) or o.iri is not None or o.cls == "Unit")  # a unit stands for its body
            and start - o.span.end <= 12
            and self.is_actor(o, text)
        ]
        if before:
            cand.agency = before[-1]
        elif cand.origin == "list":
            # "▲경기도 김포시 ‘…’": an agency at the head of the item
            head = [
                o
                for o in orgs
                if cand.scope
                and cand.scope[0][0] <= o.span.start < (cand.span.start if cand.span else 0)
                and self.is_agency(o)
                and self.is_actor(o, text)
            ]
            cand.agency = head[0] if head else self.other_body(cand, orgs, main, text)
        else:
            cand.agency = self.other_body(cand, orgs, main, text)
        if cand.agency is not None and not self.is_agency(cand.agency):
            unit = cand.agency
            owner = self.as_agency(unit)
            if owner is not unit:
                if unit.span is not None:
                    cand.departments.append((unit.span.text, unit.span))
                cand.agency = owner
            elif unit.iri is not None or unit.cls == "Unit":
                cand.agency = main

    def other_body(self, cand: Candidate, orgs: list[OrgRef], main: OrgRef | None, text: str) -> OrgRef | None:
        """When the document's subject is a central or metropolitan body (often the contest's
        organiser), a case whose sentence names another gazetteer body belongs to that body."""
        if main is None or main.iri is None:
            return main
        g = self.lex.gaz_graph
        if not any((main.iri, RDF.type, cls) in g for cls in (AKG.CentralGovernmentBody, AKG.MetropolitanGovernment)):
            return main
        start = cand.span.start if cand.span else cand.sentence.start
        lo, hi = cand.scope[0] if cand.origin == "list" and cand.scope else (cand.sentence.start, cand.sentence.end)
        others = [
            o
            for o in orgs
            if lo <= o.span.start < hi
            and o.iri is not None
            and o.iri != main.iri
            and self.is_agency(o)
            and o.iri not in self.ancestors(main.iri)
            and self.is_actor(o, text)
            # a body joined to the next by 과/와 is listed, not acting (통계청과 인천시 데이터를 …)
            and not re.match("(?:" + "|".join(self.grammar["conjunctions"]) + r")\s", text[o.span.end : o.span.end + 2])
        ]
        if not others:
            return main
        before = [o for o in others if o.span.end <= start]
        return self.as_agency(before[-1] if before else others[0])

    def merge(self, cands: list[Candidate], main: OrgRef | None = None) -> list[Candidate]:
        """The same practice mentioned twice (a list, then its description) is one case. Told once
        under the document's subject and once under another body (도 … ‘가’ / 서귀포시 서홍동 ‘가’),
        it is the other body's."""
        kept: list[Candidate] = []
        main_iri = main.iri if main is not None else None
        for cand in cands:
            twin = None
            for k in kept:
                same_agency = (k.agency.iri == cand.agency.iri) if (k.agency and cand.agency) else True
                if not same_agency and main_iri is not None and main_iri in (k.agency.iri, cand.agency.iri):
                    a, b = normalise(k.title), normalise(cand.title)
                    other = cand.agency if k.agency.iri == main_iri else k.agency
                    if a and a == b and other.iri is not None and main_iri in self.ancestors(other.iri):
                        k.agency = other  # 서귀포시 under 제주특별자치도
                        same_agency = True
                a, b = normalise(k.title), normalise(cand.title)
                if not a or not b:
                    if (
                        same_agency
                        and k.agency is not None
                        and "awarded" in (k.origin, cand.origin)
                        and (a or b)
                        and (
                            k.sentence.start == cand.sentence.start
                            or self.lex.canonical_grade(k.grade) == self.lex.canonical_grade(cand.grade)
                            or (k.grade if a else cand.grade) is None
                        )
                    ):
                        # "공단은 ‘…’로 대상을 받았다", or a headline "공단, … 대상 수상": the body awarded
                        # by name is the titled case of the same body and grade (or of no grade yet)
                        twin = k
                        break
                    continue  # untitled cases (bodies or units awarded by name) are told apart by who
                if same_agency and (dice(a, b) >= 0.6 or (min(len(a), len(b)) >= 5 and (a in b or b in a))):
                    twin = k
                    break
            if twin is None:
                kept.append(cand)
            else:
                if not normalise(twin.title) and normalise(cand.title):
                    cand.scope += twin.scope  # the titled telling stands for the case
                    cand.grade, cand.grade_span = cand.grade or twin.grade, cand.grade_span or twin.grade_span
                    kept[kept.index(twin)] = twin = cand
                    continue
                twin.scope += cand.scope
                if cand.confidence is not None:
                    twin.confidence = max(twin.confidence or 0.0, cand.confidence)
                twin.departments += [d for d in cand.departments if d not in twin.departments]
                twin.place = twin.place if twin.place is not None else cand.place  # a table row's place
                generic = twin.grade_span is not None and re.fullmatch(
                    self.cfg["awards"]["generic_phrase"], twin.grade_span.text
                )
                if cand.grade and (twin.grade is None or generic):  # "우수사례는 ▲…" says less than "최우수상으로"
                    twin.grade, twin.grade_span = cand.grade, cand.grade_span
        return kept

    def extend_scopes(self, cands: list[Candidate], sents: list[Sentence]) -> None:
        """A later sentence that names a case (by its title's first words) belongs to its scope,
        with the rest of that paragraph."""
        for cand in cands:
            key = normalise(cand.title)[:8]
            if len(key) < 4:
                continue
            for s in sents:
                if (
                    key in normalise(s.text)
                    and not any(a < s.end and s.start < b for a, b in cand.scope)
                    and s.line != cand.sentence.line
                ):
                    line_end = max((x.end for x in sents if x.line == s.line), default=s.end)
                    cand.scope.append((s.start, line_end))
        # or by a quoted shorter or longer form of its title (‘방범용 CCTV 업무방식 개선’은 … for
        # "구민을 중심으로 한 방범용 CCTV 업무방식 개선"), when that form fits one case only
        keys = [(c, normalise(c.title)) for c in cands]
        # a title's bracketed short name (…규제비용 절감(전자심사24)) is a form of it too
        keys += [(c, normalise(m.group(1))) for c in cands if (m := re.search(r"\(([^()]+)\)\s*$", c.title))]
        for s in sents:
            for q in self.quoted(s):
                nq = normalise(q.text)
                fits = {id(c): c for c, k in keys if len(nq) >= 5 and len(k) >= 5 and (nq in k or k in nq)}
                hits = list(fits.values())
                if len(hits) != 1:
                    continue
                cand = hits[0]
                if s.line != cand.sentence.line and not any(a < s.end and s.start < b for a, b in cand.scope):
                    line_end = max((x.end for x in sents if x.line == s.line), default=s.end)
                    cand.scope.append((s.start, line_end))
                break
        # the lines after a heading-like line (‘119패스’ alone, then its description), and a
        # paragraph that goes on about the case (해당 사업은 …, 이를 통해 …)
        lines: dict[int, tuple[int, int]] = {}
        for x in sents:
            a, b = lines.get(x.line, (x.start, x.end))
            lines[x.line] = (min(a, x.start), max(b, x.end))
        owned = {c.sentence.line for c in cands}
        text_of = dict.fromkeys(lines, "")
        for x in sents:
            text_of[x.line] += x.text
        go_on = re.compile(self.cfg["cases"]["continuation"])
        # a later sentence of the case's paragraph that goes on about it ("이 사업은 …")
        starts = {c.sentence.start for c in cands}
        for cand in cands:
            following = [x for x in sents if x.line == cand.sentence.line and x.start >= cand.sentence.end]
            for x in following:
                if x.start in starts or not go_on.match(x.text.strip()):
                    break
                cand.scope.append((x.start, x.end))
        for cand in cands:
            line = cand.sentence.line
            heading = cand.span is not None and len(text_of[line].strip()) <= len(cand.title) + 30
            last = max(n for n in lines if any(a <= lines[n][0] < b for a, b in cand.scope) or n == line)
            nxt = sorted(n for n in lines if n > last)
            # a short later line that names the case (우수 사례로는 ‘…’이 선정됐다.) heads what follows it
            named = last != line and len(text_of[last].strip()) <= len(cand.title) + 30
            # a heading led by a list marker (◇대상-김포시 ‘…’) heads the lines up to the next such one
            mark = re.match(self.lex.marker_class, text_of[line].strip()) if heading else None
            if mark:
                for n in nxt[:8]:
                    if n in owned or text_of[n].strip().startswith(mark.group()):
                        break
                    cand.scope.append(lines[n])
                continue
            heading = heading or named
            for n in nxt[:3]:
                if n in owned or not (heading or go_on.match(text_of[n].strip())):
                    break
                cand.scope.append(lines[n])
                heading = False

    # -- pass 9: fields ---------------------------------------------------------------------
    def scope_text(self, text: str, cand: Candidate) -> list[tuple[int, str]]:
        return [(a, text[a:b]) for a, b in sorted(set(cand.scope))]

    def programme_technologies(self, text: str) -> dict[str, Span]:
        """Technologies a programme of the document is named after (2020년도 블록체인 공공선도 시범사업)."""
        out: dict[str, Span] = {}
        programme = self.cfg["technology"]["programme"]
        for code, pattern in self.lex.technology_patterns:
            for m in pattern.finditer(text):
                if m.group() and re.match(f"[^.,\n]{{0,12}}?{programme}", text[m.end() : m.end() + 24]):
                    out.setdefault(code, Span(m.start(), m.end(), m.group()))
                    break
        return out

    def technologies(
        self, parts, inherited: dict[str, Span] | None = None, others: list[Span] | None = None
    ) -> list[tuple[str, Span]]:
        """Technologies named in the case's scope, but not those inside another case's title
        (a list sentence tells several cases), nor negated ones (앱 설치 없이), nor those of a
        sentence about the contest or the spreading of its cases rather than the practice."""
        out: dict[str, Span] = dict(inherited or {})
        cfg = self.cfg["technology"]
        foreign = [(o.start, o.end) for o in others or []]
        for base, chunk in parts:
            for code, pattern in self.lex.technology_patterns:
                if code in out:
                    continue
                for m in pattern.finditer(chunk):
                    start, end = base + m.start(), base + m.end()
                    if not m.group() or any(a <= start < b for a, b in foreign):
                        continue
                    if re.match(cfg["negated_after"], chunk[m.end() : m.end() + 12]):
                        continue
                    head = max(chunk.rfind(c, 0, m.start()) for c in ".\n") + 1
                    tails = [i for i in (chunk.find(c, m.end()) for c in ".\n") if i >= 0]
                    if re.search(cfg["meta_sentence"], chunk[head : min(tails, default=len(chunk))]):
                        continue
                    out[code] = Span(start, end, m.group())
                    break
        return sorted(out.items())

    @staticmethod
    def other_titles(cand: Candidate, cands: list[Candidate]) -> list[Span]:
        """The titles of the other cases, except one overlapping *cand*'s own."""
        own = cand.span
        return [
            c.span
            for c in cands
            if c is not cand and c.span and not (own and own.start < c.span.end and c.span.start < own.end)
        ]

    def title_modifiers(self, text: str, cands: list[Candidate]) -> dict[int, tuple[int, int]]:
        """The words just before each case's title, back to the sentence's start or the previous title
        (…어르신들의 건강한 일상을 위한 ‘스마트 경로당 조성 사업’): they describe that case, not the one before."""
        ends = sorted(c.span.end for c in cands if c.span is not None)
        out = {}
        for cand in cands:
            if cand.span is None:
                continue
            start = max([e for e in ends if e <= cand.span.start] + [cand.span.start - 100, 0])
            # a sentence end or a list marker (△, ▲ …) closes what came before
            cut = [m.end() for m in re.finditer(f"[.!?\n]|{self.lex.marker_class}", text[start : cand.span.start])]
            start += max(cut, default=0)
            if start < cand.span.start:
                out[id(cand)] = (start, cand.span.start)
        return out

    def beneficiaries(
        self, parts, title_span: Span | None = None, modifier: tuple[int, str] | None = None, others=()
    ) -> list[tuple[URIRef, str, Span]]:
        """Groups named in the title, in the words just before it (*modifier*), or in a scope sentence
        that says the practice is for them (not one about the contest, nor another case's modifier in
        *others*). A group name counts as a whole word only, and not where the group takes part;
        generic groups (residents, staff) only from the title, or residents where the sentence serves them."""
        by_label = self.lex.beneficiary_pattern[1]
        cfg = self.cfg["beneficiaries"]
        generic = self.lex.generic_beneficiaries
        ends = f"(?:{cfg['after']}|{'|'.join(cfg['compounds'])})"
        out, seen = [], set()
        chunks = [(title_span.start, title_span.text, True)] if title_span else []
        if modifier is not None and any(cue in modifier[1] for cue in cfg["cues"]):
            chunks.append((modifier[0], modifier[1], False))
        for base, chunk in parts:
            for m in re.finditer(r"[^.\n]+", chunk):
                if any(a <= base + m.start() < b or a < base + m.end() <= b for a, b in others):
                    continue
                names_case = title_span is not None and base + m.start() <= title_span.start < base + m.end()
                about_contest = any(w in m.group() for w in cfg["about_contest"]) and not names_case
                if any(cue in m.group() for cue in cfg["cues"]) and not about_contest:
                    chunks.append((base + m.start(), m.group(), False))
        for base, chunk, in_title in chunks:
            for m in self.lex.beneficiary_labels.finditer(chunk):
                label = m.group()
                start = base + m.start()
                fused = chunk[: m.start()].endswith(cfg["before_not"])
                if fused or not re.match(ends, chunk[m.end() :]) or re.match(cfg["agent_after"], chunk[m.end() :]):
                    continue
                served = (
                    by_label[label] in self.lex.served_generic
                    and not any(w in chunk for w in cfg["speech"])
                    and re.match(cfg["generic_served"], chunk[m.end() :])
                )
                if label in seen or (by_label[label] in generic and not in_title and not served):
                    continue
                seen.add(label)
                out.append((by_label[label], label, Span(start, start + len(label), label)))
        return out

    def departments(
        self, parts, agency: OrgRef | None, text: str | None = None, orgs: list[OrgRef] | None = None
    ) -> list[tuple[str, Span]]:
        stop = set(self.cfg["units"]["stopwords"])
        out, seen = [], set()
        for base, chunk in parts:
            for m in self.lex.unit_pattern.finditer(chunk):
                name = m.group()
                if name in stop or re.search(self.cfg["units"]["not_unit_ending"], name):
                    continue
                if self.other_bodys_unit(base + m.start(), agency, orgs or []):
                    continue
                # what follows in the text, not in the scope (a scope may end right after "…운영과")
                follows = text[base + m.end() : base + m.end() + 60] if text is not None else chunk[m.end() :]
                joined = name[-1] in self.grammar["conjunctions"] and self.body_and(name[:-1], follows)
                if self.lex.gazetteer.lookup(name) or joined:
                    continue
                if self.kwa_is_and(name, follows):
                    continue
                if name not in seen:
                    seen.add(name)
                    out.append((name, Span(base + m.start(), base + m.end(), name)))
        return out

    def body_and(self, stem: str, follows: str) -> bool:
        """"stem과" is a body's name and 과 ("진흥원과의 협업"); a company-like stem (교통건설, 정보통신) is
        a division's name unless a particle follows (교통건설과 홍길동 주무관 / 대한건설과의 협약)."""
        if self.lex.gazetteer.lookup(stem):
            return True
        forms = [cls for p, cls, _sector in self.lex.form_patterns if p.fullmatch(stem)]
        if forms and all(cls == "Company" for cls in forms):
            return bool(re.match(f"[{self.grammar['particles']}]", follows))
        return bool(forms)

    def kwa_is_and(self, name: str, follows: str) -> bool:
        """"X과" followed by *follows* is "X and", not a division."""
        return name.endswith(self.cfg["units"]["and_suffix"]) and bool(
            # a stem like 성과/결과 makes "X과" "X and" unless a particle or bracket follows
            (
                re.search(self.cfg["units"]["particle_stem"], name[:-1])
                and not re.match(self.cfg["units"]["kwa_stem_followers"], follows)
            )
            or not re.match(self.cfg["units"]["kwa_followers"], follows)
            or len(name) < 3
            or name[:-1] in self.lex.beneficiary_pattern[1]
            or name[:-1] in self.cfg["units"]["kwa_action_stems"]
            or re.search(self.cfg["units"]["not_unit_ending"], name)
        )

    def other_bodys_unit(self, at: int, agency: OrgRef | None, orgs: list[OrgRef]) -> bool:
        """The unit at *at* follows the name of a body other than the agency or one of its units
        (제주도 소통혁신정책관 in a city's case): it is that body's."""
        if agency is None or agency.iri is None:
            return False
        before = next((o for o in orgs if at - 1 <= o.span.end <= at and o.span.start < at), None)
        if before is None or before.iri is None:
            return False
        return before.iri != agency.iri and agency.iri not in self.ancestors(before.iri)

    def is_unit_word(self, word: str, loose: bool = False) -> bool:
        """A word that names a unit by itself (교통정책과, 문화회관; with loose, a neighbourhood: 관문동)."""
        u = self.cfg["units"]
        if word in u["stopwords"] or re.search(u["not_unit_ending"], word) or self.lex.gazetteer.lookup(word):
            return False
        return bool(
            self.lex.unit_pattern.fullmatch(word)
            or re.fullmatch(u["centre_words"], word)
            or (loose and re.fullmatch(f"(?:{u['adjacent_neighbourhood']})", word))
        )

    def adjacent_units(self, text: str, cand: Candidate) -> list[tuple[str, Span]]:
        """Units written right next to the case's title: before it ("건축과 홍길동 주무관은 ‘…’",
        "위생과의 ‘…’"), or after it ("‘…’(관광과)", "‘…’의 토지정보과 홍길동 팀장", "‘…’를 기획한 X")."""
        if cand.span is None:
            if cand.origin != "awarded" or not cand.scope:
                return []
            # a body awarded by name and its unit: "강원도 소방본부가 최우수상을"
            at = cand.scope[0][1]
            um = re.match(rf"\s?([0-9가-힣]+?){self.cfg['units']['adjacent_particles']}?(?=[\s,])", text[at : at + 30])
            if um and self.is_unit_word(um.group(1)):
                return [(um.group(1), Span(at + um.start(1), at + um.end(1), um.group(1)))]
            return []
        # the title's own mention first, then its other mentions (a lead names it, a later line its unit)
        starts = [cand.span.start] + [
            m.start() for m in re.finditer(re.escape(cand.span.text), text) if m.start() != cand.span.start
        ]
        for start in starts if len(cand.span.text) >= 6 else starts[:1]:
            line_start = text.rfind("\n", 0, start) + 1
            lo = cand.sentence.start if start == cand.span.start else line_start
            found = self.units_beside(text, start, start + len(cand.span.text), max(lo, start - 80))
            if found:
                return found
        return []

    def units_beside(self, text: str, a: int, b: int, lo: int) -> list[tuple[str, Span]]:
        """The units written right before or after text[a:b] (from lo on)."""
        u = self.cfg["units"]
        quotes = self.cfg["cases"]["quotes"]
        opens, closes = re.escape("".join(quotes)), re.escape("".join(quotes.values()))
        particles = u["adjacent_particles"]
        person = rf"[가-힣]{{2,4}}\s?{u['adjacent_post']}"
        out: list[tuple[str, Span]] = []
        # before the title: [units] [person] [particle] ‘title’
        pre = re.sub(rf"\s*[{opens}]?\s*$", "", text[lo:a])
        pm = re.search(rf"(?:\s?[(（]\s?{person}\s?[)）]|\s{person})\s?{particles}?$", pre)
        team = (pm.group(1) or pm.group(2)) if pm else None
        end = pm.start() if pm else len(pre)
        while len(out) < 3:
            wm = re.search(r"([0-9A-Za-z가-힣]+)$", pre[:end])
            if not wm:
                break
            word = wm.group(1)
            if not out and not pm and not self.is_unit_word(word, loose=True):
                word = re.sub(particles + "$", "", word)
            if not self.is_unit_word(word, loose=True):
                break
            at = lo + wm.start(1)
            out.insert(0, (word, Span(at, at + len(word), word)))
            end = wm.start(1)
            if not pre[:end].endswith(" "):
                break  # a list marker, a quote or a comma heads the chain
            end -= 1
        if not out:
            # after the title: ‘title’(units), ‘title’의 units person, ‘title’를 기획한 units
            base = b + (1 if re.match(rf"[{closes}]", text[b : b + 1]) else 0)
            rest = text[base : base + 90]
            verbs, owner, obj = u["adjacent_verbs"], u["adjacent_owner"], u["adjacent_object"]
            bm = re.match(r"\s?[(（]([^()（）]{2,40})[)）]", rest)
            am = re.match(
                rf"\s?(?:{owner}\s+|{obj}\s+{verbs}\s+)((?:[^\s,()（）]+\s){{1,2}}?){person}", rest
            ) or re.match(rf"\s?{obj}\s+{verbs}\s+()([^\s,()（）]+?){particles}?(?=[\s,])", rest)
            names: list[str] = []
            if bm:
                names, at = self.bracket_units(bm.group(1)) or [], base + bm.start(1)
                if any(self.lex.gazetteer.lookup(n) for n in names):
                    names = []  # "…(우정사업본부)": a body, not a unit
            elif am:
                names, at = (am.group(1) or am.group(2)).split(), base + am.start(1)
                team = am.group(2) if am.group(1) else None
                if not all(self.is_unit_word(n, loose=True) for n in names):
                    names = []
            for n in names:
                start = text.find(n, at)
                out.append((n, Span(start, start + len(n), n)))
        if not out:
            # the clause's subject is a unit and its person: "건축과 홍길동 주무관은 지자체 최초로 ‘…’"
            clause = pre.rfind(", ") + 1
            subject = rf"(?:^|\s)((?:[0-9가-힣]+\s){{1,2}}){person}\s?{u['adjacent_subject']}\s"
            subjects = list(re.finditer(subject, pre[clause:]))
            if subjects:
                sm = subjects[-1]
                names = sm.group(1).split()
                while names and not self.is_unit_word(names[0], loose=True):
                    names = names[1:]
                if names and all(self.is_unit_word(n, loose=True) for n in names):
                    at = lo + clause + sm.start(1)
                    for n in names:
                        start = text.find(n, at)
                        out.append((n, Span(start, start + len(n), n)))
                    team = sm.group(2)
        if out and team and self.lex.unit_pattern.fullmatch(team) and team not in [n for n, _ in out]:
            start = text.find(team, out[-1][1].end)
            out.append((team, Span(start, start + len(team), team)))
        return out

    def units_of(self, agency: OrgRef | None, parts, orgs: list[OrgRef]) -> list[tuple[str, Span]]:
        """Gazetteer units of the lead agency (a regional office, an 일반구) named in the scope, by the
        fullest name the document writes (인천세관 … 인천본부세관 → 인천본부세관)."""
        if agency is None or agency.iri is None:
            return []
        g = self.lex.gaz_graph
        fullest = self._fullest
        out: list[tuple[str, Span]] = []
        for base, chunk in parts:
            for o in orgs:
                if o.iri is None or not base <= o.span.start < base + len(chunk):
                    continue
                name = fullest.get(o.iri, o.name)
                if g.value(o.iri, ORG.unitOf) == agency.iri and name not in [n for n, _ in out]:
                    out.append((name, o.span))
        return out

    def partners(
        self, parts, orgs: list[OrgRef], agency: OrgRef | None, organisers: set, leaders: set | None = None
    ) -> list[tuple[OrgRef, str]]:
        """Organisations next to a collaboration word (협업, 협약, 손잡고 …), not organisers,
        parents, generic words, nor bodies leading other cases of the document. A collaboration word
        reaches every member of a list (A, B, C 등과 협력), a hyphen pairs two bodies (A시-B군 연합운영),
        and a quoted name followed by 과/와 and an agreement word is an organisation too."""
        orgs_cfg = self.cfg["orgs"]
        collab, not_partner, reach = orgs_cfg["collaboration"], orgs_cfg["not_partner"], orgs_cfg["cue_reach"]
        out, seen = [], set()
        for base, chunk in parts:
            end = base + len(chunk)
            # a collaboration word in a phrase that says something else (…와 함께 선정) is no cue
            masked = re.sub(orgs_cfg["not_collaboration"], lambda m: " " * len(m.group()), chunk)
            inside = self.partner_mentions(chunk, base, [o for o in orgs if base <= o.span.start < end])
            cues: list[str | None] = []
            for o in inside:
                near = masked[max(0, o.span.start - base - reach) : o.span.end - base + reach]
                cue = next((kind for word, kind in collab.items() if word in near), None)
                if (
                    cue is None
                    and o.name in orgs_cfg["companies"]
                    and re.match(orgs_cfg["listed_after"], chunk[o.span.end - base :])
                ):
                    cue = "PUBLIC_PRIVATE"  # a well-known company listed in the case's own scope (야놀자, 여기어때 등)
                if cue is None and (
                    re.search(orgs_cfg["role_before"], chunk[max(0, o.span.start - base - 16) : o.span.start - base])
                    or re.match(orgs_cfg["agent_after"], chunk[o.span.end - base :])
                ):
                    cue = "INTER_AGENCY"  # the body that carried out or built it (수행기관인 …, …가 개발했다)
                cues.append(cue)
            for i in range(len(inside) - 1):
                gap = chunk[inside[i].span.end - base : inside[i + 1].span.start - base]
                if re.fullmatch(orgs_cfg["pair_gap"], gap):
                    cues[i] = cues[i] or "INTER_AGENCY"
                    cues[i + 1] = cues[i + 1] or "INTER_AGENCY"
            # members of one list share a cue: forwards, then backwards
            linked = [
                bool(re.fullmatch(orgs_cfg["list_gap"], chunk[a.span.end - base : b.span.start - base]))
                for a, b in zip(inside, inside[1:])
            ]
            for i, link in enumerate(linked):
                if link and cues[i + 1] is None:
                    cues[i + 1] = cues[i]
            for i in reversed(range(len(linked))):
                if linked[i] and cues[i] is None:
                    cues[i] = cues[i + 1]
            for o, cue in zip(inside, cues):
                if cue is None or self.not_a_partner_name(o, chunk[o.span.end - base :]):
                    continue
                if o.iri is None and o.cls == "Unit":
                    o = self.as_agency(o)  # a 소방본부 partners through its government
                    if o.iri is None:
                        continue
                if leaders and (o.iri or o.name) in leaders:
                    continue
                near = chunk[max(0, o.span.start - base - reach) : o.span.end - base + reach]
                if any(w in near for w in orgs_cfg["organiser_words"]):
                    continue
                if agency is not None and (o.iri is not None and o.iri == agency.iri or o.name == agency.name):
                    continue
                tail = chunk[o.span.end - base : o.span.end - base + 6]
                if any(tail.startswith(w) or tail.lstrip("이가의은는 ").startswith(w) for w in not_partner):
                    continue
                if o.name in organisers or (o.iri is None and o.cls == "PublicAgency"):
                    continue
                if o.iri is not None and agency is not None and agency.iri is not None:
                    # the body the lead belongs to is no partner; a municipality of a lead province is
                    if o.iri in self.ancestors(agency.iri) or agency.iri == self.as_agency(o).iri:
                        continue
                key = o.iri or o.name
                if key in seen:
                    continue
                seen.add(key)
                kind = cue
                if o.sector == "private":
                    kind = "PUBLIC_PRIVATE"
                elif o.sector in ("civil-society",):
                    kind = "PUBLIC_CIVIC"
                out.append((o, kind))
        return out

    def partner_scope(
        self, text: str, cand: Candidate, cands: list[Candidate], sents: list[Sentence], orgs: list[OrgRef]
    ) -> list[tuple[int, str]]:
        """The case's scope, and the rest of the paragraph its scope ends in, up to a sentence another
        case owns: a sentence after the one naming the case often tells who it was done with. The
        document's only named case also takes any later sentence its own body is the subject of
        (아울러 식약처는 …와 협력하여). A sentence whose subject is another body tells that body's story."""
        spans = sorted(set(cand.scope))
        if not spans or cand.agency is None:
            return [(a, text[a:b]) for a, b in spans]
        only = bool(cand.title) and not any(c.title for c in cands if c is not cand)
        others = [(a, b) for c in cands if c is not cand for a, b in c.scope]
        last = max(b for _a, b in spans)
        line = next((x.line for x in sents if x.start < last <= x.end), None)
        rest = True
        for x in sents:
            if x.start < last or any(a <= x.start < b for a, b in spans):
                continue
            rest = rest and x.line == line and not any(a < x.end and x.start < b for a, b in others)
            subject = next((o for o in orgs if x.start <= o.span.start < x.end and self.is_subject(o, text)), None)
            own = subject is not None and self.same_body(subject, cand.agency)
            if own or (rest and subject is None):
                spans.append((x.start, x.end))
            elif not only:
                break
            if not (rest or only):
                break
        return [(a, text[a:b]) for a, b in sorted(set(spans))]

    def same_body(self, org: OrgRef, agency: OrgRef) -> bool:
        if org.name == agency.name:
            return True
        return agency.iri is not None and agency.iri in (org.iri, self.as_agency(org).iri)

    def partner_mentions(self, chunk: str, base: int, inside: list[OrgRef]) -> list[OrgRef]:
        """The scope's organisations as partners see them: adjacent international names are one body
        (UN 세계식량계획), and a quoted name that makes an agreement (‘…’과 협약) is an organisation."""
        orgs_cfg = self.cfg["orgs"]
        out: list[OrgRef] = []
        for o in inside:
            prev = out[-1] if out else None
            if (
                prev is not None
                and prev.cls == o.cls == "InternationalOrganization"
                and chunk[prev.span.end - base : o.span.start - base] == " "
            ):
                name = f"{prev.name} {o.name}"
                out[-1] = OrgRef(name=name, cls=o.cls, sector=o.sector, span=Span(prev.span.start, o.span.end, name))
                continue
            out.append(o)
        for pattern in self.lex.paired_quote_patterns:
            for m in pattern.finditer(chunk):
                name = m.group(1).strip()
                if not re.match(orgs_cfg["quoted_partner_after"], chunk[m.end() :]) or len(name) > 20:
                    continue
                if any(o.span.start < base + m.end() and base + m.start() < o.span.end for o in out):
                    continue
                span = Span(base + m.start(1), base + m.end(1), name)
                out.append(OrgRef(name=name, cls="CivilSocietyOrganization", sector="civil-society", span=span))
        out.sort(key=lambda o: o.span.start)
        return out

    def not_a_partner_name(self, org: OrgRef, after: str) -> bool:
        """Kinds of body (기초자치단체), places named like a body (부곡공단) or named as a place
        (남양주 지역), and an international name used as a modifier (유엔 식품조달시장)."""
        orgs_cfg = self.cfg["orgs"]
        if org.name in orgs_cfg["generic"] or any(org.name.endswith(g) for g in orgs_cfg["generic"] if len(g) > 3):
            return True
        if org.iri is None and re.fullmatch(orgs_cfg["place_like"], org.name):
            return True
        if re.match(orgs_cfg["place_phrase"], after[:12]) or re.match(orgs_cfg["area_after"], after):
            return True  # 남양주 지역 광역상수도, 인천 최초: where, not who
        return org.cls == "InternationalOrganization" and bool(re.match(orgs_cfg["modifier_after"], after))

    def metrics(self, parts) -> list[MetricRecord]:
        from .metrics import find_metrics  # the metrics pass (loaders/metrics.py, its own lexicon)

        return find_metrics(parts)

    def statements(self, parts) -> tuple[list[tuple[Span, URIRef | None]], list[Span]]:
        pattern, by_label = self.lex.domain_pattern
        problems, interventions = [], []
        for base, chunk in parts:
            for m in re.finditer(r"[^.\n]+(?:\.|$)", chunk):
                sent = m.group().strip()
                if len(sent) < 8:
                    continue
                span = Span(base + m.start(), base + m.end(), m.group())
                if re.search(self.cfg["statements"]["problem"], sent):
                    dm = pattern.search(sent)
                    problems.append((span, by_label.get(dm.group()) if dm else None))
                elif re.search(self.cfg["statements"]["intervention"], sent):
                    interventions.append(span)
        return problems[:3], interventions[:3]

    def awards(
        self,
        doc: Document,
        sents,
        cand: Candidate,
        tiers_in_doc: list[list[str]],
        contest: tuple[str, Span] | None,
        organizer: OrgRef | None,
        on: date | None,
    ) -> list[AwardRecord]:
        if cand.grade is None and contest is None:
            return []
        aw = self.cfg["awards"]
        if (
            cand.grade == self.cfg["awards"]["generic_grade"]
            and cand.grade_span
            and re.fullmatch(self.cfg["awards"]["generic_phrase"], cand.grade_span.text)
            and not any(cand.grade in fam and len(fam) > 1 for fam in tiers_in_doc)
        ):
            cand.grade, cand.grade_span = None, None
        if cand.grade is None and contest is None:
            return []
        rec = AwardRecord(grade=cand.grade, grade_span=cand.grade_span, organizer=organizer)
        if contest:
            rec.contest, rec.contest_span = contest
            ym = re.search(aw["contest_year"], contest[0])  # 2025년, `25년
            year = (int(ym.group(1)) if ym.group(1) else 2000 + int(ym.group(2))) if ym else None
            if year and (on is None or year <= on.year + 1) and year <= date.today().year + 1:
                rec.year = year
            for word, half in aw["half_year"].items():
                if word in contest[0]:
                    rec.half_year = half
            rm = re.search(aw["contest_round"], contest[0])
            if rm:
                rec.round = int(rm.group(1))
        if rec.year is None and on is not None and any(w in doc.text for w in self.cfg["document"]["this_year"]):
            rec.year = on.year
        if cand.place is not None:
            rec.rank = cand.place
        elif cand.grade:
            grade = self.lex.canonical_grade(cand.grade)
            for family in tiers_in_doc:
                if grade in family:  # extract keeps a lone tier only where it ranks by itself
                    rec.rank = family.index(grade) + 1
                    break
        if rec.grade is None and rec.contest == "":
            return []
        return [rec]

    def contest(self, doc: Document, sents: list[Sentence]) -> tuple[str, Span] | None:
        return self.contest_by(doc, sents, self.cfg["awards"]["contest_pattern"]) or self.contest_by(
            doc, sents, self.cfg["awards"]["contest_pattern_short_year"]
        )

    def contest_by(self, doc: Document, sents: list[Sentence], regex: str) -> tuple[str, Span] | None:
        pattern = re.compile(regex)
        aside = re.compile(self.cfg["awards"]["contest_aside"])
        dated = self.document_date(doc) is not None

        def past(at: int) -> bool:
            """'한편, … 2023년 … 평가에서 … 선정된 바 있다': an earlier prize told aside, passed over where the
            document's own date can give the year instead."""
            s = next((x for x in sents if x.start <= at < x.end), None)
            return dated and s is not None and aside.search(s.text) is not None

        titles = []  # quotes that go on past the contest word name a practice (‘… 2025년 … 평가 최고 등급 달성’)
        for q in self.lex.quote_patterns:
            for m in q.finditer(doc.text):
                hit = pattern.search(m.group(1)) if 4 <= len(m.group(1)) <= 60 else None
                words = re.finditer(self.cfg["awards"]["contest_words"], m.group(1))
                last = max((k.end() for k in words if hit and k.start() >= hit.start()), default=0)
                tail = m.group(1)[last:].strip()
                if hit and len(tail) > 6 and not tail.startswith(("(", "（")):
                    titles.append((m.start(1), m.end(1)))
                elif hit and not past(m.start(1)):
                    return m.group(1), Span(m.start(1), m.end(1), m.group(1))
        for m in pattern.finditer(doc.text):
            if not past(m.start()) and not any(a <= m.start() < b for a, b in titles):
                return m.group(), Span(m.start(), m.end(), m.group())
        return None

    def grade_aliases(self, text: str) -> dict[str, str]:
        """Prize names the document equates with a tier: 대상(대통령상) → {대통령상: 대상}."""
        aw = self.cfg["awards"]
        tier = "|".join(re.escape(w) for fam in aw["tiers"][:1] for w in fam)
        named = "|".join(re.escape(w) for w in sorted(aw["named"] + aw["tiers"][-1][1:], key=len, reverse=True))
        out = {}
        for m in re.finditer(f"({tier})상?\\s?[(（]\\s?({named})\\s?[)）]", text):
            out[self.lex.canonical_grade(m.group(2))] = m.group(1)
        for m in re.finditer(f"({named})\\s?[(（]\\s?({tier})상?\\s?[)）]", text):
            out[self.lex.canonical_grade(m.group(1))] = m.group(2)
        return out

    def counted_tiers(self, text: str) -> dict[str, int]:
        """How many winners the text gives each tier (최우수 1건, 우수 2건, 장려 3건), the largest count
        where a tier is counted twice (the agency's own prizes, then the whole contest's)."""
        aw = self.cfg["awards"]
        out: dict[str, int] = {}
        for m in re.finditer(f"(?:{self.lex.grade_pattern.pattern}){aw['tier_count']}", text):
            word = self.lex.grade_pattern.match(m.group()).group()
            if re.fullmatch(aw["generic_phrase"], word):
                continue
            grade = self.lex.canonical_grade(word)
            n = int(re.search(r"\d{1,2}", m.group()[len(word) :]).group())
            out[grade] = max(out.get(grade, 0), n)
        return out

    def fill_counted(self, text: str, cands: list[Candidate]) -> None:
        """Where the text counts each tier's winners, the cases it lists after the graded ones without
        a grade of their own (the sentence that would give it is cut off, or "이 외에도 ▲…") fill the
        tiers' places left over, best tier first."""
        counts = self.counted_tiers(text)
        if not counts:
            return
        family = next((f for f in self.cfg["awards"]["tiers"] if set(counts) <= set(f)), None)
        if family is None:
            return
        ordered = sorted(cands, key=lambda c: c.span.start if c.span else c.sentence.start)
        first = next((i for i, c in enumerate(ordered) if c.grade), None)
        if first is None:
            return
        left = dict(counts)
        for c in ordered:
            grade = self.lex.canonical_grade(c.grade) if c.grade else None
            if grade in left:
                left[grade] -= 1
        for c in ordered[first + 1 :]:
            if c.grade or not c.title:
                continue
            tier = next((t for t in family if left.get(t, 0) > 0), None)
            if tier is None:
                break
            c.grade, left[tier] = tier, left[tier] - 1

    def own_prizes(
        self, text: str, sents: list[Sentence], cands: list[Candidate], main: OrgRef | None, tiers: list[list[str]]
    ) -> bool:
        """The document is one body's report of the prizes it won at a contest run by others (여수시가 …
        우수상과 장려상을 수상했다) and lays out no more tiers than its own: where its best is 최우수, a
        대상 may still stand above it, so the tiers give no rank."""
        if main is None or main.span is None:
            return False
        graded = [c for c in cands if c.grade]
        if not graded or any(c.agency is None or c.agency.iri != main.iri for c in cands):
            return False
        first = next((x for x in sents if x.start <= main.span.start < x.end), None)
        if first is None or not re.search(self.cfg["awards"]["receives_prize"], first.text):
            return False
        own = {self.lex.canonical_grade(c.grade) for c in graded}
        return {w for family in tiers for w in family} <= own

    def tiers_in(self, text: str, cands: list[Candidate], sents: list[Sentence]) -> list[list[str]]:
        """The tiers of each family the document lays out: the grades its cases received and the
        grades it counts (최우수 1건, 우수 2건). "우수사례" alone is the generic word for a good
        practice, not a tier."""
        aw = self.cfg["awards"]
        found = set()
        words = [c.grade_span.text for c in cands if c.grade and c.grade_span]
        counted = re.compile(f"(?:{self.lex.grade_pattern.pattern}){aw['tier_count']}")
        words += [self.lex.grade_pattern.match(m.group()).group() for m in counted.finditer(text)]
        generic = False
        for word in words:
            if re.fullmatch(aw["generic_phrase"], word):
                generic = True
                continue
            found.add(self.lex.canonical_grade(word))
        if generic and any(aw["generic_grade"] in fam and set(fam) & found for fam in aw["tiers"]):
            found.add(aw["generic_grade"])  # 최우수 … 우수사례로는 …: here 우수 is a tier
        # A prize the text names above every grade its cases got is a tier whose winner is no case
        # here (대상 사례로 선정된 …, 최우수 기관으로 선정): the cases rank below it.
        named = re.compile(aw["named_tier"])
        above = set()
        for s in sents:
            for m in self.grade_mentions(s):
                if not (named.match(s.text[m.end() :]) or self.heads(s, m)):
                    continue
                near = s.text[m.end() : m.end() + 24]
                if any(len(c.title) >= 6 and c.title[:6] in near for c in cands):
                    continue  # it heads a case of the document: that case's own grade, named another way
                word = self.lex.canonical_grade(m.group())
                for family in aw["tiers"]:
                    ranks = [family.index(w) for w in found if w in family]
                    if word in family and ranks and family.index(word) < min(ranks):
                        above.add(word)
        found |= above
        out = []
        for family in self.cfg["awards"]["tiers"]:
            present = [w for w in family if w in found]
            if present:
                out.append(present)
        return out

    # -- the whole document ------------------------------------------------------------------
    def extract(self, doc: Document) -> list[CaseRecord]:
        text = doc.text
        on = self.document_date(doc)
        sents = self.sentences(text)
        orgs = self.find_orgs(text, on)
        self.resolve(orgs)
        self._fullest = self.fullest_forms(orgs)
        main = self.main_agency(orgs, text, doc, on)
        cands = self.candidates(doc, sents, orgs)
        n_rule = len(cands)
        if self.model is not None or self.observe is not None:
            cands += self.proposals(text, sents, cands, orgs)
        for cand in cands:
            self.assign_agency(cand, orgs, main, text)
            near_start = cand.span.start - 12 if cand.span else cand.sentence.start
            near_end = (
                cand.scope[0][1]
                if cand.origin == "list" and cand.scope
                else (cand.span.end + 12 if cand.span else cand.sentence.end)
            )
            near = text[max(cand.sentence.start, near_start) : min(cand.sentence.end, near_end)]
            pm = re.search(self.cfg["awards"]["place_pattern"], near)
            if pm and cand.origin != "card" and not re.search(self.cfg["awards"]["place_not_after"] + pm.group(), near):
                cand.place = int(pm.group(1))
        cands = [c for c in cands if c.agency is not None]
        cands, dropped = self.decide_cases(doc, cands, n_rule)
        self.decide_agencies(doc, cands, orgs, main)
        cands += self.decide_bodies(doc, cands, dropped, orgs, main, sents, n_rule)
        cands = self.merge(sorted(cands, key=lambda c: c.span.start if c.span else c.sentence.start), main)
        if not cands and main is not None and self.worth_a_case(text):
            cand = self.document_case(text, sents, main)
            if cand is not None:
                cands = [cand]
                if self.model is not None and self.model.decides("case"):  # the rules' last word, scored
                    p = self.model.probability("case", case_features(self, text, cand, n_rule=0, rule=True))
                    cand.confidence = cand.agency_confidence = p
        if len(cands) == 1:
            cands[0].scope = [(0, len(text))]
        else:
            self.extend_scopes(cands, sents)
        contest = self.contest(doc, sents)
        organizer = None
        if contest:
            before = [
                o
                for o in orgs
                if o.span.end <= contest[1].start and contest[1].start - o.span.end < 40 and self.is_agency(o)
            ]
            organizer = before[-1] if before else None
        if organizer is None and main is not None and main.span is not None:
            # "미래창조과학부가 … 경진대회를 개최했다": the document's subject runs the contest
            first = next((x for x in sents if x.start <= main.span.start < x.end), None)
            if first is not None and re.search(self.cfg["awards"]["runs_contest"], first.text):
                organizer = main
        organisers = {organizer.name} if organizer else set()
        if organizer is not None and organizer.iri is not None and main is not None and organizer.iri == main.iri:
            # a central body writing about the contest it runs: the cases are the other bodies'
            central = (organizer.iri, RDF.type, AKG.CentralGovernmentBody) in self.lex.gaz_graph
            others = [c for c in cands if c.agency is not None and c.agency.iri != main.iri]
            if central and others:
                cands = [c for c in cands if c.agency is None or c.agency.iri != main.iri]
        aliases = self.grade_aliases(text)
        for cand in cands:
            if cand.grade and self.lex.canonical_grade(cand.grade) in aliases:
                cand.grade = aliases[self.lex.canonical_grade(cand.grade)]
        self.fill_counted(text, cands)
        tiers = self.tiers_in(text, cands, sents)
        top = self.cfg["awards"]["top_tiers"]
        best = re.compile(self.cfg["awards"]["best_prize"] + f"({self.lex.grade_pattern.pattern})")
        highest = {self.lex.canonical_grade(m.group(1)) for m in best.finditer(text)}
        if self.own_prizes(text, sents, cands, main, tiers):
            # only a tier nothing stands above ranks; one the text calls the highest (최고상인 최우수상) alone
            tiers = [f if f[0] in top else f[:1] for f in tiers]
        # a lone tier ranks only when nothing can stand above it (대상) or the text says so
        tiers = [f for f in tiers if len(f) > 1 or f[0] in top or f[0] in highest]
        programme_tech = self.programme_technologies(text)
        # bodies leading a named case of their own are none of another case's partners
        leaders = {c.agency.iri or c.agency.name for c in cands if c.agency is not None and c.title}
        subject_unit = self.subject_unit(orgs, text, main)
        mods = self.title_modifiers(text, cands)
        records = []
        mentions = self.fact_mentions(text) if self.decides_facts else None
        # a unit named with the case itself ("…(재무과)", "위생과의 ‘…’") is its department, and not a
        # neighbouring case's; units inside a case's title are part of its name
        own = {id(c): list(c.departments) or self.adjacent_units(text, c) for c in cands}
        claimed = {name: id(c) for c in cands for name, _ in own[id(c)]}
        # (a bracket in the title, "…사례(상하수도사업소 협업)", and a title that is just the unit do not count)
        titles = [
            (c.span.start, c.span.start + len(re.sub(r"\s?[(（][^()（）]*[)）]?\s*$", "", c.span.text)))
            for c in cands
            if c.span is not None
        ]
        for cand in cands:
            parts = self.scope_text(text, cand)
            depts = list(own[id(cand)])
            scoped = self.units_of(cand.agency, parts, orgs) + self.departments(parts, cand.agency, text, orgs)
            for name, span in [] if depts else scoped:
                inside = any(a <= span.start < b and b - a > len(name) for a, b in titles)
                if claimed.get(name, id(cand)) != id(cand) or inside:
                    continue
                if name not in [d[0] for d in depts]:
                    depts.append((name, span))
            if not depts and cand.origin == "quote":
                # "최우수상은 스마트도시과 김 주무관에게 돌아갔다. 김 주무관은 ‘…’": the sentence before
                # names the unit, and no case of its own
                prev = [x for x in sents if x.line == cand.sentence.line and x.end <= cand.sentence.start]
                if prev and not any(c.sentence.start == prev[-1].start for c in cands):
                    depts = self.departments([(prev[-1].start, prev[-1].text)], cand.agency)[:1]
            if subject_unit and cand.agency is not None and cand.agency.iri == main.iri:
                depts = [subject_unit] + [d for d in depts if d[0] != subject_unit[0]]
            problems, interventions = self.statements(parts)
            pscope = self.partner_scope(text, cand, cands, sents, orgs)
            rec = CaseRecord(
                source=doc,
                title=cand.title,
                title_span=cand.span,
                agency=cand.agency,
                departments=depts[:4],
                technologies=self.technologies(parts, programme_tech, self.other_titles(cand, cands)),
                partners=self.partners(pscope, orgs, cand.agency, organisers, leaders),
                beneficiaries=self.beneficiaries(
                    parts,
                    cand.span,
                    (mods[id(cand)][0], text[slice(*mods[id(cand)])]) if id(cand) in mods else None,
                    [m for k, m in mods.items() if k != id(cand)],
                )[:4],
                metrics=self.metrics(parts),
                problems=problems,
                interventions=interventions,
                awards=self.awards(doc, sents, cand, tiers, contest, organizer, on),
            )
            self.decide_facts(doc, cand, rec, parts, pscope, on, len(cands), orgs, cands, mentions)
            if cand.confidence is not None:
                rec.confidence["case"] = round(cand.confidence, 4)
            if cand.agency_confidence is not None:
                rec.confidence["agency"] = round(cand.agency_confidence, 4)
            elif cand.confidence is not None and not cand.title:
                # a body awarded by name: the case decision was about that body
                rec.confidence["agency"] = round(cand.confidence, 4)
            if rec.awards and rec.awards[0].year:
                rec.year = rec.awards[0].year
            elif on is not None:
                rec.year = on.year
            records.append(rec)
        return records

    def proposals(
        self, text: str, sents: list[Sentence], cands: list[Candidate], orgs: list[OrgRef]
    ) -> list[Candidate]:
        """Name-shaped spans the rules did not propose (``loaders.generate``), as candidates."""
        cfg = dict(self.cfg["generate"], quotes=self.cfg["cases"]["quotes"] | self.cfg["generate"]["more_quotes"])
        taken = {(c.span.start, c.span.end) for c in cands if c.span is not None}
        titles = {c.title for c in cands}
        out = []
        bodies = [(o.span.start, o.span.end) for o in orgs if o.span is not None]
        for p in propose(text, cfg, bodies):
            if (p.start, p.end) in taken:
                continue
            sentence = next((x for x in sents if x.start <= p.start < x.end), None)
            if sentence is None:
                continue
            title = self.clean_title(p.text(text))
            if title and title not in titles:
                out.append(Candidate(title, Span(p.start, p.end, p.text(text)), sentence, origin=p.origin))
        return out

    def decide_cases(
        self, doc: Document, cands: list[Candidate], n_rule: int
    ) -> tuple[list[Candidate], list[Candidate]]:
        """Which candidates are cases: the model's decision (its probability kept), or the rules'
        (every candidate they proposed) when there is no model. Returns the kept candidates and those
        the model turned down (scored: :meth:`decide_bodies` takes titles from them)."""
        if self.model is None and self.observe is None:
            return cands, []
        deciding = self.model is not None and "case" in self.model.decisions
        dropped: list[Candidate] = []
        kept = []
        ruled = [(c.span.start, c.span.end) for c in cands[:n_rule] if c.span is not None]
        for i, cand in enumerate(cands):
            overlaps = i >= n_rule and cand.span is not None and any(
                a < cand.span.end and cand.span.start < b for a, b in ruled
            )
            feats = case_features(self, doc.text, cand, n_rule=n_rule, rule=i < n_rule, overlaps=overlaps)
            if self.observe is not None:
                self.observe("case", doc, cand, feats)
                if not deciding:  # learning this decision: every candidate goes on
                    kept.append(cand)
                    continue
            p = self.model.probability("case", feats)
            if p is None:  # a model without this decision: the rules' candidates stand
                if i < n_rule:
                    kept.append(cand)
                continue
            cand.confidence = p
            if self.model.accepts("case", p):
                kept.append(cand)
            else:
                dropped.append(cand)
        return kept, dropped

    @staticmethod
    def body_key(org: OrgRef) -> str:
        """One key per body: its gazetteer IRI, else its name."""
        return str(org.iri) if org.iri is not None else org.name

    def leading_bodies(
        self, orgs: list[OrgRef], text: str, *, actors_only: bool = False
    ) -> dict[str, tuple[OrgRef, list[OrgRef]]]:
        """The bodies of the document that can lead a case (a unit stands for its parent), by
        :meth:`body_key`, each with its mentions; with *actors_only*, mentions that name a place
        (인천 최초) are left out."""
        bodies: dict[str, tuple[OrgRef, list[OrgRef]]] = {}
        for o in orgs:
            a = self.as_agency(o)
            if self.is_agency(a) and (not actors_only or self.is_actor(o, text)):
                bodies.setdefault(self.body_key(a), (a, []))[1].append(o)
        return bodies

    def decide_bodies(
        self, doc: Document, cands: list[Candidate], dropped: list[Candidate], orgs: list[OrgRef],
        main: OrgRef | None, sents: list[Sentence], n_rule: int = 0,
    ) -> list[Candidate]:
        """Bodies leading a case no kept candidate tells (awarded by name, or described without a
        name the candidates caught): the model decides per body of the document that leads none yet;
        such a case takes the best title turned down for that body, if any scored near the threshold."""
        if self.model is None or "case" not in self.model.decisions:
            return []
        deciding = "body" in self.model.decisions
        if not deciding and self.observe is None:
            return []
        bodies = self.leading_bodies(orgs, doc.text, actors_only=True)
        key = self.body_key
        leading = {key(c.agency) for c in cands if c.agency is not None}
        main_key = key(main) if main is not None else None
        out = []
        for k, (body, mentions) in sorted(bodies.items()):
            if k in leading:
                continue
            titles = sorted(
                (c for c in dropped if c.agency is not None and key(c.agency) == k and c.title),
                key=lambda c: (-(c.confidence or 0.0), c.span.start if c.span else 0),
            )
            best = titles[0].confidence or 0.0 if titles else 0.0
            feats = body_features(self, doc.text, body, mentions, main=k == main_key, n_kept=len(cands),
                                  n_bodies=len(bodies), best_title=best, n_rule=n_rule)
            first = mentions[0]
            sentence = next((x for x in sents if x.start <= first.span.start < x.end), None)
            if sentence is None:
                continue
            new = Candidate("", None, sentence, agency=body, origin="body")
            # the grade given right after it (…, 나주시가 최우수기관으로 …)
            stop = min(sentence.end, first.span.end + self.cfg["decide"]["body_grade_reach"])
            reach = doc.text[first.span.end : stop]
            m = next(iter(self.grade_mentions(Sentence(first.span.end, first.span.end + len(reach), reach, 0))), None)
            if m is not None:
                new.grade, new.grade_span = self.grade_in(m.group(), first.span.end + m.start())
            if titles and best >= self.cfg["decide"]["body_title_floor"]:
                new.title, new.span, new.sentence = titles[0].title, titles[0].span, titles[0].sentence
            if self.observe is not None:
                self.observe("body", doc, (new, body), feats)
            if not deciding:
                continue
            p = self.model.probability("body", feats)
            if self.model.accepts("body", p):
                new.confidence = p
                new.agency_confidence = p
                out.append(new)
        return out

    def decide_agencies(self, doc: Document, cands: list[Candidate], orgs: list[OrgRef], main: OrgRef | None) -> None:
        """Which body leads each titled case: the model ranks every body of the document that can
        lead one (the rules' choice is one of its features); without a model the rules' choice stays."""
        deciding = self.model is not None and "agency" in self.model.decisions
        if not deciding and self.observe is None:
            return
        bodies = self.leading_bodies(orgs, doc.text)
        main_key = self.body_key(main) if main is not None else None
        for cand in cands:
            if not cand.title or cand.agency is None:
                continue
            chosen = self.body_key(cand.agency)
            options = dict(bodies)
            options.setdefault(chosen, (cand.agency, []))
            scored = []
            for key, (body, mentions) in sorted(options.items()):
                feats = agency_features(
                    self, doc.text, cand, body, mentions, chosen=key == chosen, main=key == main_key
                )
                if self.observe is not None:
                    self.observe("agency", doc, (cand, body), feats)
                if not deciding:
                    continue
                scored.append((self.model.probability("agency", feats), key, body))
            if scored:
                p, key, body = max(scored, key=lambda x: (x[0], x[1] == chosen))
                if key != chosen:
                    cand.agency = OrgRef(name=body.name, iri=body.iri, cls=body.cls, sector=body.sector, span=body.span)
                cand.agency_confidence = p

    @property
    def decides_facts(self) -> bool:
        """Facts are decided (and learned) once cases are: a model with a case decision."""
        return self.model is not None and "case" in self.model.decisions

    def fact_mentions(self, text: str) -> tuple[list, list[Span]]:
        """The document's technology mentions (:meth:`technology_mentions`) and beneficiary-group
        mentions, read once for all its cases."""
        return self.technology_mentions(text), [
            Span(m.start(), m.end(), m.group()) for m in self.lex.beneficiary_labels.finditer(text)
        ]

    def technology_mentions(self, text: str) -> list[tuple[str, Span, set[str]]]:
        """Every technology word of the document, with what the rules say of it wherever it stands:
        negated (앱 설치 없이), or in a sentence about the contest rather than the practice."""
        tcfg = self.cfg["technology"]
        out = []
        for code, pattern in self.lex.technology_patterns:
            for m in pattern.finditer(text):
                if not m.group():
                    continue
                flags = set()
                if re.match(tcfg["negated_after"], text[m.end() : m.end() + 12]):
                    flags.add("negated")
                head = max(text.rfind(c, 0, m.start()) for c in ".\n") + 1
                tails = [i for i in (text.find(c, m.end()) for c in ".\n") if i >= 0]
                if re.search(tcfg["meta_sentence"], text[head : min(tails, default=len(text))]):
                    flags.add("meta_sentence")
                out.append((code, Span(m.start(), m.end(), m.group()), flags))
        return out

    def fact_candidates(
        self, text: str, cand: Candidate, rec: CaseRecord, parts, pscope, mentions, orgs, cands
    ) -> list:
        """Every fact the case's scope could hold, whatever the rules decided: (kind, value, spans,
        chosen, flags, item) — item is what goes into the record when the fact is kept."""
        out = []
        foreign = [(o.start, o.end) for o in self.other_titles(cand, cands)]
        kept_tech = {code for code, _ in rec.technologies}
        hits: dict[str, list] = {}
        flags: dict[str, set] = {}
        inside = [(a, a + len(t)) for a, t in parts]
        # the whole document: a mention outside the case's scope is a candidate too, flagged
        tech_mentions, group_mentions = mentions
        for code, span, static in tech_mentions:
            hits.setdefault(code, []).append(span)
            fl = flags.setdefault(code, set())
            fl.update(static)
            fl.add("in_scope" if any(a <= span.start < b for a, b in inside) else "out_of_scope")
            if any(a <= span.start < b for a, b in foreign):
                fl.add("other_title")
        rule_spans = dict(rec.technologies)
        for code in sorted(set(hits) | kept_tech):
            spans = hits.get(code, [])
            item = (code, rule_spans.get(code) or (spans[0] if spans else None))
            out.append(("technology", code, spans, code in kept_tech, sorted(flags.get(code, ())), item))
        kept_ben = {surface for _c, surface, _s in rec.beneficiaries}
        by_label = self.lex.beneficiary_pattern[1]
        generic = self.lex.generic_beneficiaries
        bhits: dict[str, list] = {}
        bflags: dict[str, set] = {}
        for span in group_mentions:
            bhits.setdefault(span.text, []).append(span)
            inside_scope = any(a <= span.start < b for a, b in inside)
            bflags.setdefault(span.text, set()).add("in_scope" if inside_scope else "out_of_scope")
        rule_ben = {surface: (concept, surface, span) for concept, surface, span in rec.beneficiaries}
        for label in sorted(set(bhits) | kept_ben):
            spans = bhits.get(label, [])
            concept = by_label.get(label)
            if concept is None and label not in rule_ben:
                continue
            item = rule_ben.get(label) or (concept, label, spans[0])
            fl = (["generic"] if concept in generic else []) + sorted(bflags.get(label, ()))
            out.append(("beneficiary", label, spans, label in kept_ben, fl, item))
        kept_dep = {name for name, _ in rec.departments}
        dhits: dict[str, list] = {}
        for base, chunk in parts:
            for m in self.lex.unit_pattern.finditer(chunk):
                dhits.setdefault(m.group(), []).append(Span(base + m.start(), base + m.end(), m.group()))
        rule_dep = dict(rec.departments)
        for name in sorted(set(dhits) | kept_dep):
            spans = dhits.get(name, [])
            item = (name, rule_dep.get(name) or (spans[0] if spans else None))
            out.append(("department", name, spans, name in kept_dep, [], item))
        kept_par = {o.name for o, _k in rec.partners}
        rule_par = {o.name: (o, k) for o, k in rec.partners}
        lo_hi = [(a, a + len(t)) for a, t in pscope]
        phits: dict[str, list] = {}
        pref: dict[str, OrgRef] = {}
        for o in orgs:
            if o.span is None or not any(a <= o.span.start < b for a, b in lo_hi):
                continue
            if cand.agency is not None and self.same_body(o, cand.agency):
                continue
            phits.setdefault(o.name, []).append(o.span)
            pref.setdefault(o.name, o)
        collab = self.cfg["orgs"]["collaboration"]
        reach = self.cfg["orgs"]["cue_reach"]
        for name in sorted(set(phits) | kept_par):
            spans = phits.get(name, [])
            org = rule_par[name][0] if name in rule_par else pref[name]
            fl = [f"class={org.cls if org.iri is None else 'gaz'}"]
            if any(w in text[max(0, s.start - reach) : s.end + reach] for s in spans for w in collab):
                fl.append("collab_cue")
            if any(w in text[s.end : s.end + 12] for s in spans for w in self.cfg["orgs"]["organiser_words"]):
                fl.append("organiser")
            item = rule_par.get(name) or (org, None)
            out.append(("partner", name, spans, name in kept_par, fl, item))
        return out

    def decide_facts(self, doc: Document, cand: Candidate, rec: CaseRecord, parts, pscope, on: date | None, n_cases,
                     orgs, cands, mentions):
        """Which facts belong to the case: the model decides each fact the scope could hold (its
        probability kept on the record); without a model the rules' facts stand."""
        if not self.decides_facts:
            return  # facts are decided (and learned) once cases are
        if self.observe is None and "technology" not in self.model.decisions:
            return
        kept: dict[str, list] = {"technology": [], "beneficiary": [], "department": [], "partner": []}
        for kind, value, spans, chosen, flags, item in self.fact_candidates(
            doc.text, cand, rec, parts, pscope, mentions, orgs, cands
        ):
            feats = fact_features(kind, value, chosen=chosen, spans=spans, title_span=cand.span,
                                  n_cases=n_cases, origin=cand.origin, flags=flags)
            p = self.model.probability(kind, feats) if self.model is not None else None
            if self.observe is not None:
                self.observe(kind, doc, (cand, value), feats)
            if p is None:
                if chosen:
                    kept[kind].append(item)
                continue
            if self.model.accepts(kind, p) if self.model.decides(kind) else chosen:
                kept[kind].append(item)
                rec.confidence[f"{kind}:{value}"] = round(p, 4)
        rec.technologies = kept["technology"]
        rec.beneficiaries = kept["beneficiary"][:4]
        rec.departments = kept["department"][:4]
        rec.partners = kept["partner"]
        for kind, items, features in (
            ("award", rec.awards, lambda a: award_features(a, on_year=on.year if on else None, origin=cand.origin,
                                                           n_cases=n_cases, n_awards=len(rec.awards))),
            ("metric", rec.metrics, lambda m: metric_features(m, origin=cand.origin, n_cases=n_cases,
                                                              title_span=cand.span)),
        ):
            kept_items = []
            for item in items:
                feats = features(item)
                if self.observe is not None:
                    self.observe(kind, doc, (cand, item), feats)
                p = self.model.probability(kind, feats)
                if p is None:
                    kept_items.append(item)
                elif self.model.accepts(kind, p):
                    rec.confidence[f"{kind}:{len(kept_items)}"] = round(p, 4)
                    kept_items.append(item)
            items[:] = kept_items

    def document_case(self, text: str, sents: list[Sentence], main: OrgRef) -> Candidate | None:
        """A document about one practice that no list or award phrase names: its first quoted
        title, else its headline."""
        quoted = [
            (q, s)
            for s in sents
            for q in self.quoted(s)
            if self.is_title_like(self.clean_title(q.text)) and not self.is_speech(text, q.end)
        ]
        if quoted:
            q, s = quoted[0]
            cand = Candidate(self.clean_title(q.text), q, s, agency=main, origin="document")
        else:
            headline = next((s for s in sents if len(s.text.strip()) >= 6), None)
            if headline is None:
                return None
            title = re.sub(r"\s*[(\[][^()\[\]]*[)\]]\s*$", "", headline.text.strip())
            if len(title) > 60 or re.search(r"다\.?$", title):
                title = ""  # a sentence, not a name: the case stays untitled rather than quote it
            start = text.find(title, headline.start) if title else -1
            span = Span(start, start + len(title), title) if start >= 0 else None
            cand = Candidate(title, span, headline, agency=main, origin="document")
        cand.scope = [(0, len(text))]
        cand.grade, cand.grade_span = self.grade_in(text, 0)
        return cand

    def worth_a_case(self, text: str) -> bool:
        return bool(self.lex.grade_pattern.search(text) or any(p.search(text) for _, p in self.lex.technology_patterns))


def _dec(value: str) -> Decimal | None:
    try:
        return Decimal(value.replace(",", ""))
    except (InvalidOperation, AttributeError):
        return None
