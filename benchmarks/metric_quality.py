"""Benchmark (not a test): metric extraction against the gold's metric spans, per document.

    .venv/bin/python benchmarks/metric_quality.py [--corpus ../shared/corpus] [--gold FILE] [--show N]

The extractor runs over every document; the metrics of all its cases are pooled per document
(one metric per span). Gold metrics are verbatim strings, found in the document's text. A predicted
metric matches a gold one when their spans overlap, or — a gold string not found in the text — when
the gold string contains the metric's number and unit. Matching is one to one (a gold metric
matches one prediction), so a figure split in two counts once. Printed: P/R/F1, the share of
predicted metrics that say what they measure (a quantity), and the share of matched ones whose
quantity lies inside (or overlaps) the gold span.
"""
from __future__ import annotations

import argparse
import json
import re
import unicodedata
from pathlib import Path

from adminkg.build import load_corpus
from adminkg.loaders.korean import KoreanExtractor

SHARED = Path(__file__).resolve().parents[1].parent / "shared"


def gold_spans(text: str, gold: list[str]) -> list[tuple[str, list[tuple[int, int]]]]:
    """Each gold string with every place it occurs in the text (whitespace-tolerant)."""
    out = []
    for g in gold:
        g = unicodedata.normalize("NFC", g).strip()
        pattern = r"\s*".join(re.escape(c) for c in g if not c.isspace())
        out.append((g, [(m.start(), m.end()) for m in re.finditer(pattern, text)]))
    return out


def _squash(s: str) -> str:
    return re.sub(r"\s+", "", s)


def matches(pred, gold: tuple[str, list[tuple[int, int]]]) -> bool:
    g, places = gold
    if places:
        return any(a < pred.span.end and pred.span.start < b for a, b in places)
    return _squash(pred.span.text) in _squash(g)


def quantity_inside(pred, gold: tuple[str, list[tuple[int, int]]]) -> bool:
    q = getattr(pred, "quantity_span", None)
    if q is None:
        return False
    g, places = gold
    if places:
        return any(a < q.end and q.start < b for a, b in places)
    return _squash(q.text) in _squash(g)


def evaluate(corpus: Path, gold_file: Path, show: int = 0) -> dict:
    gold = {Path(d["doc"]).name: [m for c in d["cases"] for m in c.get("metrics", [])]
            for d in json.loads(gold_file.read_text(encoding="utf-8"))}
    extractor = KoreanExtractor()
    n_pred = n_gold = tp_pred = tp_gold = with_q = q_ok = 0
    misses, wrong = [], []
    for doc, error in load_corpus([corpus]):
        if error is not None or doc.name not in gold:
            continue
        preds = {}
        for rec in extractor.extract(doc):
            for m in rec.metrics:
                preds.setdefault((m.span.start, m.span.end), m)
        preds = [preds[k] for k in sorted(preds)]
        golds = gold_spans(doc.text, gold[doc.name])
        n_pred += len(preds)
        n_gold += len(golds)
        with_q += sum(1 for p in preds if getattr(p, "quantity", ""))
        free = list(range(len(golds)))
        for p in preds:
            hit = next((i for i in free if matches(p, golds[i])), None)
            if hit is None:
                wrong.append((doc.name, p))
                continue
            free.remove(hit)
            tp_pred += 1
            q_ok += quantity_inside(p, golds[hit])
        tp_gold += len(golds) - len(free)
        misses += [(doc.name, golds[i][0]) for i in free]
    p = tp_pred / n_pred if n_pred else 0.0
    r = tp_gold / n_gold if n_gold else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    result = {
        "predicted": n_pred, "gold": n_gold, "matched": tp_pred, "precision": p, "recall": r, "f1": f,
        "with_quantity": with_q / n_pred if n_pred else 0.0,
        "quantity_in_gold": q_ok / tp_pred if tp_pred else 0.0,
    }
    for name, m in wrong[:show]:
        print(f"  not gold  {name:<28} {m.span.text!r}  quantity={getattr(m, 'quantity', '')!r}")
    for name, g in misses[:show]:
        print(f"  missed    {name:<28} {g!r}")
    return result


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--corpus", type=Path, default=SHARED / "corpus")
    ap.add_argument("--gold", type=Path, default=None, help="default: CORPUS/gold.json")
    ap.add_argument("--show", type=int, default=0, help="print up to N false positives and N misses")
    args = ap.parse_args()
    r = evaluate(args.corpus, args.gold or args.corpus / "gold.json", args.show)
    print(f"metrics: {r['predicted']} predicted, {r['gold']} gold, {r['matched']} matched")
    print(f"precision {r['precision']:.3f}  recall {r['recall']:.3f}  F1 {r['f1']:.3f}")
    print(f"with a quantity {r['with_quantity']:.1%}; matched with the quantity in the gold span "
          f"{r['quantity_in_gold']:.1%}")


if __name__ == "__main__":
    main()
