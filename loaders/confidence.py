"""Keep the facts of a :class:`CaseRecord` whose confidence reaches a threshold (``adminkg build
--min-confidence P``), before anything becomes RDF.

A decision without a confidence is kept: records from curated tables have none (a person stated
them), and neither do the records of an extractor that does not estimate them, so a threshold
drops nothing from such records.
"""
from __future__ import annotations

from collections import Counter
from dataclasses import replace

from .records import CaseRecord, confidence_key

#: The kinds of decision, as in :meth:`CaseRecord.confidence_of` (and in the build report).
KINDS = ("case", "agency", "department", "technology", "partner", "beneficiary", "award", "metric")


def keep_confident(rec: CaseRecord, threshold: float) -> tuple[CaseRecord | None, Counter]:
    """*rec* without the facts whose confidence is below *threshold*, and how many facts of each
    kind were left out.

    A record whose ``case`` or ``agency`` confidence is below is left out whole (``None``); then
    every decision it holds is counted (its case, its agency and each fact). Facts at or above the
    threshold, and facts without a confidence, are kept. Awards and metrics are keyed by their
    index, so the kept record's ``award:I`` / ``metric:I`` keys are renumbered to its own lists.
    """
    if threshold <= 0 or not rec.confidence:
        return rec, Counter()

    def low(kind: str, value: str = "") -> bool:
        c = rec.confidence_of(kind, value)
        return c is not None and c < threshold

    if low("case") or low("agency"):
        return None, +Counter(case=1, agency=1, department=len(rec.departments), technology=len(rec.technologies),
                              partner=len(rec.partners), beneficiary=len(rec.beneficiaries),
                              award=len(rec.awards), metric=len(rec.metrics))
    dropped: Counter = Counter()

    def keep(kind: str, items: list, value) -> list:
        kept = [x for x in items if not low(kind, value(x))]
        dropped[kind] += len(items) - len(kept)
        return kept

    confidence = {k: c for k, c in rec.confidence.items() if not k.startswith(("award:", "metric:"))}

    def keep_indexed(kind: str, items: list) -> list:
        kept = keep(kind, list(enumerate(items)), lambda x: str(x[0]))
        for new, (old, _item) in enumerate(kept):
            if (c := rec.confidence_of(kind, str(old))) is not None:
                confidence[confidence_key(kind, str(new))] = c
        return [item for _old, item in kept]

    out = replace(
        rec,
        departments=keep("department", rec.departments, lambda x: x[0]),
        technologies=keep("technology", rec.technologies, lambda x: x[0]),
        partners=keep("partner", rec.partners, lambda x: x[0].name),
        beneficiaries=keep("beneficiary", rec.beneficiaries, lambda x: x[1]),
        awards=keep_indexed("award", rec.awards),
        metrics=keep_indexed("metric", rec.metrics),
        confidence=confidence,
    )
    return out, +dropped
