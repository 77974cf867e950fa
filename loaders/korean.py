"""Korean innovation reports → :class:`CaseRecord` s (card news, award articles, ranked lists).

:class:`KoreanExtractor` runs the passes of ``loaders.passes`` over each document in the order the
lexicon's ``[pipeline] passes`` gives (``loaders.pipeline``): ``layout`` (date, sentences) →
``mentions`` (organisations, resolved; the body the document is about) → ``candidates`` (case
titles the rules propose) → ``proposals`` (name-shaped spans, for the model) → ``leads`` (the rules'
lead body of each) → ``decide_cases`` / ``decide_agencies`` / ``decide_bodies`` (the model's
decisions) → ``merge`` → ``document_case`` → ``scopes`` → ``awards`` → ``assemble`` (records with
their facts) → ``decide_facts`` → ``finish`` (confidences, year).

:class:`Lexicon` holds the declarative knowledge they read: ``loaders/lexicon/korean.toml`` (every
word list, pattern, window and the pass order), the SKOS vocabularies and the gazetteer.
"""

from __future__ import annotations

import tomllib
from functools import cached_property
from pathlib import Path

from rdflib import Graph, URIRef
from rdflib.namespace import SKOS

from adminkg import paths
from adminkg.graphio import load_files
from adminkg.namespaces import AKG
from adminkg.resolve import Gazetteer, normalise

from . import regex as re
from .documents import Document
from .model import Model
from .passes import Candidate, Sentence
from .passes import layout as _layout
from .passes import orgs as _orgs
from .passes import titles as _titles
from .passes.titles import strip_conjunction
from .pipeline import Pipeline
from .records import CaseRecord, OrgRef

LEXICON_FILE = Path(__file__).parent / "lexicon" / "korean.toml"
TECH_SCHEME = URIRef("https://w3id.org/adminkg/vocab/technology")
BEN_SCHEME = URIRef("https://w3id.org/adminkg/vocab/beneficiary")
DOMAIN_SCHEME = URIRef("https://w3id.org/adminkg/vocab/domain")
GRADE_SCHEME = URIRef("https://w3id.org/adminkg/vocab/grade")

__all__ = ["Candidate", "KoreanExtractor", "Lexicon", "Sentence", "strip_conjunction"]


class Lexicon:
    """The declarative knowledge the extractor uses: lexicon file, vocabularies, gazetteer."""

    def __init__(
        self,
        lexicon_file: Path = LEXICON_FILE,
        vocab: Graph | None = None,
        gazetteer: Gazetteer | None = None,
        gazetteer_graph: Graph | None = None,
    ):
        self.file = Path(lexicon_file)
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
    def partner_form_patterns(self) -> list[tuple[re.Pattern, str, str]]:
        """Names only partners bear (``[orgs] partner_forms``: a legal form in the name), whole words."""
        orgs = self.data["orgs"]
        particles = "|".join(map(re.escape, sorted(orgs.get("partner_particles", []), key=len, reverse=True)))
        end = f"(?=(?:{particles})?(?![가-힣A-Za-z0-9&]))"
        return [(re.compile(f"(?<![가-힣A-Za-z0-9]){form['pattern']}{end}"), form["class"], form["sector"])
                for form in orgs.get("partner_forms", [])]

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
    """Extract cases from one document: the lexicon's passes in its order (see the module docstring).

    Passes are functions ``(ex, analysis)`` of ``loaders.passes``; this object is their ``ex``: the
    lexicon (``lex``), its tables (``cfg``, ``grammar``), the model, the training hook and what is
    remembered across documents. The few rule predicates the model's features and callers use are
    methods here too."""

    def __init__(self, lexicon: Lexicon | None = None, model: Model | None = None, *, observe=None):
        """``model`` decides (a :class:`loaders.model.Model`; None: the rules alone decide).
        ``observe(kind, doc, item, features)``, for training, sees every candidate with its
        features and keeps them all. A lexicon whose ``[pipeline] passes`` names no pass, or orders
        them so that one reads what none before it writes, is an ``InputError`` naming its file."""
        self.lex = lexicon or Lexicon()
        self.model = model
        self.observe = observe
        self.cfg = self.lex.data
        self.grammar = {k: set(v) if isinstance(v, str) else v for k, v in self.cfg["grammar"].items()}
        self.can_lead: dict[URIRef, bool] = {}  # is_agency of gazetteer bodies, remembered across documents
        self.pipeline = Pipeline.from_config(self.cfg, source=self.lex.file)

    def extract(self, doc: Document) -> list[CaseRecord]:
        """The document's cases, one record each."""
        return self.pipeline(self, doc)

    # -- the passes' predicates, for the model's features and for callers ------------------------
    def sentences(self, text: str) -> list[Sentence]:
        return _layout.sentences(self, text)

    def find_orgs(self, text: str, on=None) -> list[OrgRef]:
        return _orgs.find_orgs(self, text, on)

    def resolve(self, orgs: list[OrgRef]) -> None:
        _orgs.resolve(self, orgs)

    def as_agency(self, org: OrgRef) -> OrgRef:
        return _orgs.as_agency(self, org)

    def is_agency(self, org: OrgRef) -> bool:
        return _orgs.is_agency(self, org)

    def names_a_place(self, end: int, text: str) -> bool:
        return _orgs.names_a_place(self, end, text)

    def is_title_like(self, text: str) -> bool:
        return _titles.is_title_like(self, text)

    def is_speech(self, text: str, quote_end: int) -> bool:
        return _titles.is_speech(self, text, quote_end)
