"""Training and evaluating the extraction model from gold annotations.

``examples`` runs the extractor in observing mode (every candidate kept, with its features) on
each annotated document and labels each candidate by the annotation (``loaders.align``);
``train`` fits one model per decision; ``cross_validate`` scores the whole pipeline on documents
the model did not learn from: folds are made of whole documents, and documents that tell the same
story (a shared case) or the same contest stay in one fold, so nothing leaks between folds.
"""
from __future__ import annotations

import json
import os
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

from .errors import InputError
from .loaders.align import agency_key, dice, squash, title_equal
from .loaders.model import Model, fit

# The decisions the model learns, with their fitting options.
DECISIONS = {"case": {"l2": 1.0}, "agency": {"l2": 1.0}}


@dataclass
class AnnotatedDocument:
    doc: object                      # loaders.documents.Document
    gold: list[dict]                 # the gold cases, as annotated
    examples: list[tuple[str, list[str], int]] = field(default_factory=list)  # (decision, features, label)


def annotated_documents(gold_files: list[Path | str], corpus: list[Path | str]) -> list[AnnotatedDocument]:
    """The documents under *corpus* that the gold files annotate, in the gold files' order.

    :class:`InputError` when a gold file cannot be read, or names a document the corpus lacks."""
    from .build import load_corpus

    gold: dict[str, list[dict]] = {}
    for path in gold_files:
        try:
            for d in json.loads(Path(path).read_text(encoding="utf-8")):
                gold[os.path.basename(d["doc"])] = d["cases"]
        except (OSError, ValueError, KeyError, TypeError) as exc:
            raise InputError(path, f"not a gold file (a JSON list of {{'doc', 'cases'}}): {exc}") from exc
    docs = {}
    for doc, _error in load_corpus([Path(c) for c in corpus]):
        if doc is not None and doc.path.name in gold:
            docs[doc.path.name] = doc
    missing = [name for name in gold if name not in docs]
    if missing:
        raise InputError(gold_files[0], f"{len(missing)} annotated documents are not in the corpus: "
                                        + ", ".join(missing[:5]) + (" …" if len(missing) > 5 else ""))
    return [AnnotatedDocument(docs[name], cases) for name, cases in gold.items()]


def label_case(item, gold: list[dict]) -> int:
    """A case candidate is right when a gold case of its document has its title (an untitled
    candidate: an untitled gold case of its agency)."""
    if item.title:
        return int(any(g.get("title") and title_equal(item.title, g["title"]) for g in gold))
    key = agency_key(item.agency.name) if item.agency is not None else ""
    return int(any(not g.get("title") and agency_key(g.get("agency", "")) == key for g in gold))


def label_agency(cand, body, gold: list[dict]) -> int | None:
    """A body leads a titled candidate when the gold case with that title has it as agency; no
    label when no gold case has the title (the candidate is no case)."""
    best = max((g for g in gold if g.get("title")), key=lambda g: dice(cand.title, g["title"]), default=None)
    if best is None or not title_equal(cand.title, best["title"]):
        return None
    return int(agency_key(body.name) == agency_key(best.get("agency", "")))


def collect(docs: list[AnnotatedDocument], lexicon=None, progress=None) -> None:
    """Fill each document's examples: the extractor's candidates, features and labels."""
    from .loaders.korean import KoreanExtractor, Lexicon

    seen: list[tuple[str, object, list[str]]] = []
    extractor = KoreanExtractor(
        lexicon or Lexicon(), observe=lambda kind, _doc, item, feats: seen.append((kind, item, feats))
    )
    for i, ad in enumerate(docs):
        seen.clear()
        extractor.extract(ad.doc)
        ad.examples = []
        for kind, item, feats in seen:
            if kind == "case":
                ad.examples.append((kind, feats, label_case(item, ad.gold)))
            elif kind == "agency" and (label := label_agency(*item, ad.gold)) is not None:
                ad.examples.append((kind, feats, label))
        if progress:
            progress(i + 1, len(docs))


def train(docs: list[AnnotatedDocument], *, meta: dict | None = None) -> Model:
    """One model per decision, fitted on the examples of *docs* (in their order)."""
    model = Model(meta=dict(meta or {}))
    for decision, options in DECISIONS.items():
        examples = [(f, y) for ad in docs for kind, f, y in ad.examples if kind == decision]
        if examples:
            model.decisions[decision] = fit(examples, **options)
    model.meta.setdefault("documents", len(docs))
    model.meta.setdefault("examples", {d: sum(k == d for ad in docs for k, _f, _y in ad.examples) for d in DECISIONS})
    return model


def folds(docs: list[AnnotatedDocument], k: int) -> list[int]:
    """A fold number for each document: documents sharing a story (a case of the same agency and
    title) or a contest (the same contest name) are joined first, then the groups are dealt to the
    folds largest first, each to the fold with the fewest documents so far."""
    parent = list(range(len(docs)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    owner: dict[str, int] = {}
    for i, ad in enumerate(docs):
        keys = set()
        for c in ad.gold:
            if c.get("title"):
                keys.add("case:" + agency_key(c.get("agency", "")) + "/" + squash(c["title"])[:12])
            for a in c.get("awards") or []:
                contest = squash(a.get("contest") or "") if isinstance(a, dict) else ""
                if len(contest) >= 4:
                    keys.add(f"contest:{a.get('year') or ''}/{contest}")
        for key in sorted(keys):
            if key in owner:
                parent[find(i)] = find(owner[key])
            else:
                owner[key] = i
    groups: dict[int, list[int]] = {}
    for i in range(len(docs)):
        groups.setdefault(find(i), []).append(i)
    sizes = [0] * k
    out = [0] * len(docs)
    for members in sorted(groups.values(), key=lambda m: (-len(m), m[0])):
        f = min(range(k), key=lambda j: (sizes[j], j))
        for i in members:
            out[i] = f
        sizes[f] += len(members)
    return out


def predict_rows(docs: list[AnnotatedDocument], models: list[Model], fold_of: list[int], lexicon=None) -> list[dict]:
    """The `cases` query rows of *docs*, each document extracted with the model of its fold."""
    from .build import Emitter
    from .loaders.korean import KoreanExtractor, Lexicon
    from .namespaces import DEFAULT_BASE
    from .query import run
    from .store import memory_store, with_reference

    lexicon = lexicon or Lexicon()
    extractors = [KoreanExtractor(lexicon, model=m) for m in models]
    emitter = Emitter(DEFAULT_BASE, vocab=extractors[0].lex.vocab)
    for ad, f in zip(docs, fold_of):
        for i, rec in enumerate(extractors[f].extract(ad.doc)):
            emitter.emit(rec, i)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "cases.ttl"
        emitter.g.serialize(path, format="turtle")
        store = memory_store(with_reference([path]))
        results = run("cases", store=store)
    return [{n: b[n]["value"] for n in results.vars if n in b} for b in results.bindings]


@dataclass
class Evaluation:
    scores: dict                     # field → adminkg.scoring.FieldScore
    rows: list[dict]                 # the out-of-fold `cases` rows
    folds: int
    documents: int
    seconds: float


def cross_validate(docs: list[AnnotatedDocument], k: int = 5, *, lexicon=None, progress=None) -> Evaluation:
    """Document-level k-fold cross-validation of the whole extraction (see :func:`folds`)."""
    from . import scoring

    started = time.perf_counter()
    fold_of = folds(docs, k)
    models = []
    for f in range(k):
        models.append(train([ad for ad, g in zip(docs, fold_of) if g != f]))
        if progress:
            progress(f + 1, k)
    rows = predict_rows(docs, models, fold_of, lexicon)
    gold = {ad.doc.path.name: [scoring.case_of(c) for c in ad.gold] for ad in docs}
    scores = scoring.score(gold, scoring.rows_by_doc(rows))
    return Evaluation(scores, rows, k, len(docs), time.perf_counter() - started)
