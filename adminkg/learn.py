"""Training and evaluating the extraction model from gold annotations.

``examples`` runs the extractor in observing mode (every candidate kept, with its features) on
each annotated document and labels each candidate by the annotation (``loaders.align``);
``train`` fits one model per decision; ``cross_validate`` scores the whole pipeline on documents
the model did not learn from: folds are made of whole documents, and documents that tell the same
story (a shared case) or the same contest stay in one fold, so nothing leaks between folds.
"""
from __future__ import annotations

import math
import os
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

from .errors import InputError
from .loaders.align import agency_key, dice, loose_equal, squash, title_equal
from .loaders.model import Logistic, Model, Trees, fit

# The decisions the model learns, in two stages: which candidates are cases and who leads them; then,
# with the first stage deciding, which facts belong to each case. Fitting options per decision: a
# logistic regression (L2 weight 5 and 30 passes: the best of 1/60, 5/30, 10/15 and 20/30 in 5-fold
# cross-validation), or with trees=True boosted trees (TREE_PARAMS; for the lead body, where the
# features' interactions count: CV agency, cases and titles up, and the validation archive too);
# keep_all: the model only gives its probability (as confidence), the rules' items all stay (awards,
# metrics and units: filtering them scored worse on held-out documents than keeping them).
STAGES = (
    {"case": {"l2": 5.0}, "agency": {"trees": True}},
    {"body": {"l2": 5.0}, "technology": {"l2": 5.0}, "beneficiary": {"l2": 5.0}, "partner": {"l2": 5.0},
     "department": {"l2": 5.0, "keep_all": True}, "award": {"l2": 5.0, "keep_all": True},
     "metric": {"l2": 5.0, "keep_all": True}},
)
FACT_FIELDS = {"technology": "technologies", "beneficiary": "beneficiaries", "department": "departments",
               "partner": "partners"}


@dataclass
class AnnotatedDocument:
    doc: object                      # loaders.documents.Document
    gold: list[dict]                 # the gold cases, as annotated
    examples: list[tuple[str, list[str], int]] = field(default_factory=list)  # first stage (decision, features, label)


def annotated_documents(gold_files: list[Path | str], corpus: list[Path | str]) -> list[AnnotatedDocument]:
    """The documents under *corpus* that the gold files annotate, in the gold files' order.

    :class:`InputError` when a gold file cannot be read, or names a document the corpus lacks."""
    from .build import load_corpus
    from .scoring import read_gold

    gold = read_gold(gold_files)
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


def _gold_case(cand, gold: list[dict], *, same_agency: bool) -> dict | None:
    """The gold case a candidate tells: the most similar title (of the same agency if asked)."""
    key = agency_key(cand.agency.name) if cand.agency is not None else ""
    pool = [g for g in gold if not same_agency or agency_key(g.get("agency", "")) == key]
    if not cand.title:
        return next((g for g in pool if not g.get("title")), None)
    best = max((g for g in pool if g.get("title")), key=lambda g: dice(cand.title, g["title"]), default=None)
    return best if best is not None and title_equal(cand.title, best["title"]) else None


def label_agency(cand, body, gold: list[dict]) -> int | None:
    """A body leads a titled candidate when the gold case with that title has it as agency; no
    label when no gold case has the title (the candidate is no case)."""
    best = _gold_case(cand, gold, same_agency=False)
    if best is None or not cand.title:
        return None
    return int(agency_key(body.name) == agency_key(best.get("agency", "")))


def label_body(body, gold: list[dict]) -> int:
    """A body that leads no kept case leads one in truth when a gold case of the document is its."""
    return int(any(agency_key(g.get("agency", "")) == agency_key(body.name) for g in gold))


def label_award(cand, award, gold: list[dict]) -> int | None:
    """An award is the case's when the gold case it tells has an award of that year and rank."""
    best = _gold_case(cand, gold, same_agency=True)
    if best is None:
        return None
    keys = {f"{a.get('year') or ''};{a.get('rank') or ''}" for a in best.get("awards") or [] if isinstance(a, dict)}
    return int(f"{award.year or ''};{award.rank or ''}" in keys)


def label_metric(cand, metric, gold: list[dict]) -> int | None:
    """A number is an outcome of the case when a metric the gold case lists holds it (or it holds one)."""
    best = _gold_case(cand, gold, same_agency=True)
    if best is None:
        return None
    return int(any(loose_equal(metric.span.text, str(m)) for m in best.get("metrics") or []))


def label_fact(kind: str, cand, value: str, gold: list[dict]) -> int | None:
    """A fact belongs to a case when the gold case it tells lists it; no label for a candidate that
    tells no gold case."""
    best = _gold_case(cand, gold, same_agency=True)
    if best is None:
        return None
    items = best.get(FACT_FIELDS[kind]) or []
    if kind == "technology":
        return int(value.upper() in {str(x).strip().upper() for x in items})
    return int(any(loose_equal(value, str(x)) for x in items))


def observe(docs: list[AnnotatedDocument], model: Model | None, kinds: set[str], lexicon=None, progress=None):
    """(document, decision, features, label) for every candidate of the *kinds* decisions, with
    *model* deciding what it can (None: the rules)."""
    from .loaders.korean import KoreanExtractor, Lexicon

    seen: list[tuple[str, object, list[str]]] = []
    extractor = KoreanExtractor(
        lexicon or Lexicon(), model=model,
        observe=lambda kind, _doc, item, feats: seen.append((kind, item, feats)) if kind in kinds else None,
    )
    for i, ad in enumerate(docs):
        seen.clear()
        extractor.extract(ad.doc)
        for kind, item, feats in seen:
            if kind == "case":
                label = label_case(item, ad.gold)
            elif kind == "agency":
                label = label_agency(*item, ad.gold)
            elif kind == "body":
                label = label_body(item[1], ad.gold)
            elif kind == "award":
                label = label_award(*item, ad.gold)
            elif kind == "metric":
                label = label_metric(*item, ad.gold)
            else:
                label = label_fact(kind, *item, ad.gold)
            if label is not None:
                yield ad, kind, feats, label
        if progress:
            progress(i + 1, len(docs))


def collect(docs: list[AnnotatedDocument], lexicon=None, progress=None) -> None:
    """Fill each document's first-stage examples (they do not depend on any model)."""
    for ad in docs:
        ad.examples = []
    for ad, kind, feats, label in observe(docs, None, set(STAGES[0]), lexicon, progress):
        ad.examples.append((kind, feats, label))


TREE_PARAMS = {"num_leaves": 7, "learning_rate": 0.05, "min_data_in_leaf": 20, "feature_fraction": 0.5}


def fit_trees(examples: list[tuple[list[str], int]], *, rounds: int = 400, min_count: int = 2, **params) -> Trees:
    """Boosted decision trees (LightGBM, one thread, deterministic) on the features as present or
    absent; features seen fewer than *min_count* times are left out, as :func:`fit` does. The
    trees are read out as plain data (:class:`loaders.model.Trees`)."""
    try:
        import lightgbm
        import numpy
        from scipy.sparse import csr_matrix
    except ImportError as exc:
        raise InputError("adminkg train", f"boosted trees need LightGBM ({exc.name} is missing): "
                                          "pip install 'adminkg[train]'") from exc
    counts: dict[str, int] = {}
    for feats, _ in examples:
        for f in set(feats):
            counts[f] = counts.get(f, 0) + 1
    names = sorted(f for f, n in counts.items() if n >= min_count)
    column = {f: i for i, f in enumerate(names)}
    rows, cols = [], []
    for r, (feats, _) in enumerate(examples):
        for c in sorted({column[f] for f in feats if f in column}):
            rows.append(r)
            cols.append(c)
    labels = numpy.array([y for _, y in examples], dtype=float)
    if not names or labels.min() == labels.max():  # nothing to split on: the base rate
        rate = (labels.sum() + 1) / (len(labels) + 2)
        return Trees(trees=[math.log(rate / (1 - rate))])
    matrix = csr_matrix((numpy.ones(len(rows)), (rows, cols)), shape=(len(examples), len(names)))
    options = {"objective": "binary", "deterministic": True, "force_row_wise": True, "num_threads": 1,
               "seed": 1, "verbose": -1, **TREE_PARAMS, **params}
    booster = lightgbm.train(options, lightgbm.Dataset(matrix, labels, params={"verbose": -1}),
                             num_boost_round=rounds)

    def node(tree: dict):
        if "leaf_value" in tree:
            return float(tree["leaf_value"])
        if tree.get("decision_type") != "<=" or not 0 <= float(tree["threshold"]) < 1:
            raise ValueError(f"unexpected split {tree.get('decision_type')} {tree.get('threshold')}")
        return [names[tree["split_feature"]], node(tree["left_child"]), node(tree["right_child"])]

    return Trees(trees=[node(t["tree_structure"]) for t in booster.dump_model()["tree_info"]])


def fit_tuned(examples: list[tuple[int, list[str], int]], options: dict, inner: int = 3) -> Logistic:
    """Fit on (document number, features, label) examples, with the threshold that gives the best
    F1 on held-out documents of an inner split (documents dealt round-robin into *inner* parts);
    threshold 0 (every item kept) with the option ``keep_all``."""
    options = dict(options)
    learner = fit_trees if options.pop("trees", False) else fit
    if options.pop("keep_all", False):
        model = learner([(f, y) for _d, f, y in examples], **options)
        model.threshold = 0.0
        return model
    grid = [round(0.1 + 0.05 * i, 2) for i in range(13)]  # 0.10 … 0.70
    held: list[tuple[float, int]] = []
    for part in range(inner):
        model = learner([(f, y) for d, f, y in examples if d % inner != part], **options)
        held += [(model.probability(f), y) for d, f, y in examples if d % inner == part]
    positives = sum(y for _p, y in held)

    def f1(t: float) -> float:
        tp = sum(1 for p, y in held if y and p >= t)
        predicted = sum(1 for p, _y in held if p >= t)
        return 2 * tp / (predicted + positives) if predicted + positives else 0.0

    best = max(grid, key=lambda t: (round(f1(t), 6), t))
    model = learner([(f, y) for _d, f, y in examples], **options)
    model.threshold = best
    return model


def train(docs: list[AnnotatedDocument], *, meta: dict | None = None, lexicon=None) -> Model:
    """One model per decision, fitted on *docs* (in their order): the first stage from the
    collected examples, the second from the documents read again with the first stage deciding.
    Each decision's threshold is the one that scores best on held-out documents (:func:`fit_tuned`)."""
    model = Model(meta=dict(meta or {}))
    counts = {}
    for decision, options in STAGES[0].items():
        examples = [(i, f, y) for i, ad in enumerate(docs) for kind, f, y in ad.examples if kind == decision]
        counts[decision] = len(examples)
        if examples:
            model.decisions[decision] = fit_tuned(examples, options)
    number = {id(ad): i for i, ad in enumerate(docs)}
    second: dict[str, list] = {k: [] for k in STAGES[1]}
    for ad, kind, feats, label in observe(docs, model, set(STAGES[1]), lexicon):
        second[kind].append((number[id(ad)], feats, label))
    for decision, options in STAGES[1].items():
        counts[decision] = len(second[decision])
        if second[decision]:
            model.decisions[decision] = fit_tuned(second[decision], options)
    model.meta.setdefault("documents", len(docs))
    model.meta.setdefault("examples", counts)
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


_FOLD_STATE: dict = {}


def _train_fold(f: int) -> Model:
    docs, fold_of, lexicon = _FOLD_STATE["args"]
    return train([ad for ad, g in zip(docs, fold_of) if g != f], lexicon=lexicon)


def _train_folds(docs, fold_of, k: int, lexicon, progress) -> list[Model]:
    """One model per fold, trained on the other folds; in forked worker processes (one per core,
    each fold independent, so the models are the same as one after the other) where the platform
    forks, else in turn."""
    import multiprocessing

    _FOLD_STATE["args"] = (docs, fold_of, lexicon)
    workers = min(k, os.cpu_count() or 1)
    try:
        if workers > 1 and "fork" in multiprocessing.get_all_start_methods():
            with multiprocessing.get_context("fork").Pool(workers) as pool:
                models = []
                for f, model in enumerate(pool.imap(_train_fold, range(k))):
                    models.append(model)
                    if progress:
                        progress(f + 1, k)
                return models
        models = []
        for f in range(k):
            models.append(_train_fold(f))
            if progress:
                progress(f + 1, k)
        return models
    finally:
        _FOLD_STATE.clear()


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
    from .loaders.korean import Lexicon

    started = time.perf_counter()
    lexicon = lexicon or Lexicon()
    fold_of = folds(docs, k)
    models = _train_folds(docs, fold_of, k, lexicon, progress)
    rows = predict_rows(docs, models, fold_of, lexicon)
    gold = {ad.doc.path.name: [scoring.case_of(c) for c in ad.gold] for ad in docs}
    scores = scoring.score(gold, scoring.rows_by_doc(rows))
    return Evaluation(scores, rows, k, len(docs), time.perf_counter() - started)


def train_files(gold_files: list[Path], corpus: list[Path], out: Path, *, progress=None) -> Model:
    """Train on the documents *gold_files* annotate and write the model to *out* (atomically)."""
    import hashlib

    from .graphio import atomic_write_bytes
    from .loaders.korean import Lexicon

    docs = annotated_documents(gold_files, corpus)
    lexicon = Lexicon()
    collect(docs, lexicon, progress)
    gold_sha = sorted(hashlib.sha256(Path(g).read_bytes()).hexdigest() for g in gold_files)
    model = train(docs, lexicon=lexicon, meta={"gold_sha256": gold_sha})
    out = Path(out)
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        atomic_write_bytes(out, model.dumps().encode("utf-8"))
    except OSError as exc:
        raise InputError(out, f"cannot write the model: {exc.strerror or exc}") from exc
    return model


def evaluate_files(gold_files: list[Path], corpus: list[Path], k: int, *, progress=None) -> Evaluation:
    """:func:`cross_validate` on the documents *gold_files* annotate."""
    from .loaders.korean import Lexicon

    docs = annotated_documents(gold_files, corpus)
    lexicon = Lexicon()
    collect(docs, lexicon)
    return cross_validate(docs, k, lexicon=lexicon, progress=progress)
