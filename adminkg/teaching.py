"""Curators' decisions as training examples (``adminkg train --curation DIR``).

A document a curator decided on becomes an annotated document: it is extracted (with the model
that ships, or the one given), the decisions are applied as at a build (:mod:`adminkg.curation`),
and the cases the curated graph then holds for it are written as gold records, in the JSON of
``../shared/corpus/gold.json`` (``{doc, cases: [{title, agency, departments, technologies,
partners, beneficiaries, awards}]}``). Training reads them as one more gold file, so a correction
made once also teaches the decisions on documents nobody curated.

A document the gold files already annotate is left out: a person's full annotation says more
than decisions on a few of its facts. Metrics are not written (the ``cases`` query has none), so
the curated documents count as having no outcome numbers.
"""
from __future__ import annotations

import json
import tempfile
from pathlib import Path

from .errors import InputError
from .graphio import atomic_write_bytes


def curated_documents(emitter) -> set[str]:
    """The file names of the documents the applied decisions of *emitter*'s graph are about: the
    sources of the decision and of the case it is about."""
    from rdflib.namespace import PROV, RDF

    from .namespaces import AKG, OA

    g = emitter.g
    names = set()
    for decision in g.subjects(RDF.type, AKG.CuratorDecision):
        sources = set(g.objects(decision, PROV.wasDerivedFrom))
        for case in g.objects(decision, OA.hasBody):
            sources |= set(g.objects(case, PROV.wasDerivedFrom))
        names |= {str(g.value(s, AKG.fileName)) for s in sources if g.value(s, AKG.fileName) is not None}
    return names


def curated_gold(curation: list[Path | str], corpus: list[Path | str], *, model=None,
                 exclude: set[str] = frozenset()) -> tuple[list[dict], object]:
    """The gold records of the documents under *corpus* that the decisions in *curation* are about
    (but those named in *exclude*), and the curation report (stale decisions, bad rows)."""
    from .build import Emitter, load_corpus, load_model
    from .curation import apply_curation
    from .loaders.korean import KoreanExtractor
    from .namespaces import DEFAULT_BASE
    from .query import run
    from .store import memory_store, with_reference

    extractor = KoreanExtractor(model=load_model(model))
    emitter = Emitter(DEFAULT_BASE, vocab=extractor.lex.vocab)
    for doc, _error in load_corpus([Path(c) for c in corpus]):
        if doc is not None:
            for i, rec in enumerate(extractor.extract(doc)):
                emitter.emit(rec, i)
    report = apply_curation(emitter, list(curation), gazetteer=extractor.lex.gazetteer)
    wanted = sorted(curated_documents(emitter) - set(exclude))
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "cases.ttl"
        emitter.g.serialize(path, format="turtle")
        results = run("cases", store=memory_store(with_reference([path])))
    rows: dict[str, list[dict]] = {}
    for b in results.bindings:
        rows.setdefault(b["doc"]["value"], []).append({n: b[n]["value"] for n in results.vars if n in b})
    return [{"doc": name, "cases": [gold_case(r) for r in rows.get(name, [])]} for name in wanted], report


def gold_case(row: dict) -> dict:
    """A `cases` query row as a gold case."""
    def items(field: str) -> list[str]:
        return [x for x in (row.get(field) or "").split("|") if x]

    awards = []
    for text in items("awards"):
        year, rank, grade, contest = (text.split(";", 3) + ["", "", "", ""])[:4]
        awards.append({"contest": contest, "year": int(year) if year.isdigit() else None,
                       "rank": int(rank) if rank.isdigit() else None, "grade": grade or None})
    return {"title": row.get("title", ""), "agency": row.get("agency", ""), "departments": items("departments"),
            "technologies": items("technologies"), "partners": items("partners"),
            "beneficiaries": items("beneficiaries"), "awards": awards, "metrics": []}


def write_curated_gold(curation: list[Path | str], corpus: list[Path | str], out: Path | str, *, model=None,
                       gold_files: list[Path | str] = ()):
    """Write :func:`curated_gold` (leaving out the documents *gold_files* annotate) to *out*; return
    the curation report. :class:`InputError` when no decision names a document of the corpus."""
    from .scoring import read_gold

    records, report = curated_gold(curation, corpus, model=model, exclude=set(read_gold(list(gold_files))))
    if not records:
        raise InputError(curation[0], "no curator's decision is about a document of the corpus that the gold files "
                                      "do not annotate already")
    atomic_write_bytes(out, json.dumps(records, ensure_ascii=False, indent=1).encode("utf-8"))
    return report


__all__ = ["curated_documents", "curated_gold", "gold_case", "write_curated_gold"]
