"""Extraction scores against gold annotations, field by field (precision, recall, F1).

The same definitions as the project's scorer (``../shared/tools/score_extraction.py``; a test
checks that both give the same numbers): cases are matched per document by lead agency, then by
the most similar titles; a field counts the items of matched cases, and every item of an unmatched
case as a miss or a false alarm.
"""
from __future__ import annotations

import json
import os
from dataclasses import dataclass
from pathlib import Path

from .errors import InputError
from .loaders.align import agency_key, contest_equal, dice, grade_equal, loose_equal, title_equal

FIELDS = ("cases", "agency", "titles", "departments", "technologies", "partners", "beneficiaries", "awards",
          "grades", "contests")
ITEM_FIELDS = {
    "departments": loose_equal,
    "technologies": lambda a, b: a.strip().upper() == b.strip().upper(),
    "partners": loose_equal,
    "beneficiaries": loose_equal,
    "awards": lambda a, b: a == b,
    "grades": grade_equal,
    "contests": contest_equal,
}


def _split(v) -> list[str]:
    if v is None:
        return []
    if isinstance(v, list):
        return [str(x).strip() for x in v if str(x).strip()]
    return [x.strip() for x in str(v).split("|") if x.strip()]


def _award_parts(a) -> tuple[str, str, str, str]:
    if isinstance(a, dict):
        return tuple(str(a.get(k) or "").strip() for k in ("year", "rank", "grade", "contest"))
    parts = [x.strip() for x in (str(a).split(";", 3) + ["", "", "", ""])[:4]]
    return parts[0], parts[1], parts[2], parts[3]


def case_of(c: dict) -> dict:
    """A gold case (dict) or a `cases` query row (dict of strings) in one shape."""
    awards = [_award_parts(a) for a in (c.get("awards") if isinstance(c.get("awards"), list)
                                         else _split(c.get("awards")))]
    return {
        "agency": c.get("agency") or "", "title": c.get("title") or "",
        **{k: _split(c.get(k)) for k in ("departments", "technologies", "partners", "beneficiaries")},
        "awards": [f"{y};{r}" for y, r, _g, _c in awards if f"{y};{r}" != ";"],
        "grades": [g for _y, _r, g, _c in awards if g],
        "contests": [c for _y, _r, _g, c in awards if c],
    }


def read_gold(paths: list[Path | str]) -> dict[str, list[dict]]:
    """The cases of gold files (JSON lists of {"doc", "cases"}) as annotated, by the document's
    file name; :class:`InputError` names a file that is not one."""
    out: dict[str, list[dict]] = {}
    for path in paths:
        try:
            for d in json.loads(Path(path).read_text(encoding="utf-8")):
                out[os.path.basename(d["doc"])] = d["cases"]
        except (OSError, ValueError, KeyError, TypeError) as exc:
            raise InputError(path, f"not a gold file (a JSON list of {{'doc', 'cases'}}): {exc}") from exc
    return out


def load_gold(paths: list[Path | str]) -> dict[str, list[dict]]:
    """Gold files by the document's file name, each case in the scorer's shape (:func:`case_of`)."""
    return {doc: [case_of(c) for c in cases] for doc, cases in read_gold(paths).items()}


def rows_by_doc(rows: list[dict]) -> dict[str, list[dict]]:
    """`cases` query rows (variable → string) by the document's file name."""
    out: dict[str, list[dict]] = {}
    for r in rows:
        out.setdefault(os.path.basename(r.get("doc", "")), []).append(case_of(r))
    return out


def match(gold: list[dict], pred: list[dict]) -> list[tuple[int, int]]:
    pairs = sorted(
        ((dice(g["title"], p["title"]), gi, pi) for gi, g in enumerate(gold) for pi, p in enumerate(pred)
         if agency_key(g["agency"]) == agency_key(p["agency"])),
        reverse=True,
    )
    used_g, used_p, out = set(), set(), []
    for _, gi, pi in pairs:
        if gi not in used_g and pi not in used_p:
            used_g.add(gi)
            used_p.add(pi)
            out.append((gi, pi))
    return out


def _count(gold_items, pred_items, eq) -> int:
    tp, left = 0, list(pred_items)
    for g in gold_items:
        for i, p in enumerate(left):
            if eq(g, p):
                tp += 1
                del left[i]
                break
    return tp


@dataclass
class FieldScore:
    tp: int = 0
    pred: int = 0
    gold: int = 0

    @property
    def precision(self) -> float:
        return self.tp / self.pred if self.pred else (1.0 if not self.gold else 0.0)

    @property
    def recall(self) -> float:
        return self.tp / self.gold if self.gold else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


def score(gold: dict[str, list[dict]], pred: dict[str, list[dict]]) -> dict[str, FieldScore]:
    """Scores of *pred* against *gold* (both by document file name); documents the gold does not
    know are ignored."""
    t = {k: FieldScore() for k in FIELDS}
    for doc, gcases in gold.items():
        pcases = pred.get(doc, [])
        ga = {agency_key(c["agency"]) for c in gcases}
        pa = {agency_key(c["agency"]) for c in pcases}
        t["agency"].tp += len(ga & pa)
        t["agency"].pred += len(pa)
        t["agency"].gold += len(ga)
        pairs = match(gcases, pcases)
        for k in ("cases", "titles"):
            t[k].pred += len(pcases)
            t[k].gold += len(gcases)
        t["cases"].tp += len(pairs)
        t["titles"].tp += sum(title_equal(gcases[gi]["title"], pcases[pi]["title"]) for gi, pi in pairs)
        mg, mp = {gi for gi, _ in pairs}, {pi for _, pi in pairs}
        for field, eq in ITEM_FIELDS.items():
            s = t[field]
            for gi, pi in pairs:
                s.tp += _count(gcases[gi][field], pcases[pi][field], eq)
                s.pred += len(pcases[pi][field])
                s.gold += len(gcases[gi][field])
            s.gold += sum(len(c[field]) for i, c in enumerate(gcases) if i not in mg)
            s.pred += sum(len(c[field]) for i, c in enumerate(pcases) if i not in mp)
    return t


def table(scores: dict[str, FieldScore]) -> str:
    lines = [f"{'field':<14}{'P':>7}{'R':>7}{'F1':>7}   tp/pred/gold"]
    for k, s in scores.items():
        lines.append(f"{k:<14}{s.precision:7.3f}{s.recall:7.3f}{s.f1:7.3f}   {s.tp}/{s.pred}/{s.gold}")
    return "\n".join(lines)
