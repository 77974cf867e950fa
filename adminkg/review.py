"""The review queue: what a curator should check, with its evidence, and the files curators edit.

``review_queue`` runs two library queries: ``review-low-confidence`` (facts whose confidence is at
most P) and ``review-conflicts`` (two sources disagreeing on a case's agency or an award, a body
known only by the form of its name, a contest without a name or a year, a title that reads like a
sentence: the lexicon's ``[features] sentence_end``). A fact named by both is one item with both
problems. Items come most uncertain first: two sources disagreeing, then by confidence, lowest first
(a fact without one last).
With the corpus at hand each item also gets its context: the text around the quoted span.

The queue is written as

* CSV (:func:`write_csv`): one row per item with the columns of a curation file
  (:mod:`adminkg.curation`) and empty ``action``, ``correction``, ``curator``, ``date`` and ``note``
  for the curator to fill in a spreadsheet; saved under ``data/curation/`` it is applied at the
  next build;
* doccano JSONL (:func:`write_doccano`): one task per item, the context as text and the fact's span
  labelled with its kind; :func:`read_doccano` turns an annotated export back into curation rows
  (span kept: accept; span removed: reject; span moved: correct to the text under it);
* Label Studio JSON (:func:`write_label_studio`): the same tasks in Label Studio's import format,
  the fact's span as a *prediction* with the model's confidence as its score (the labelling
  interface is ``data/curation/label-studio.xml``); :func:`read_label_studio` reads a project's
  JSON export back the same way, from each task's latest annotation that was not cancelled.
"""
from __future__ import annotations

import csv
import io
import json
import tomllib
from dataclasses import asdict, dataclass, fields
from datetime import date
from pathlib import Path

from .errors import InputError
from .graphio import atomic_write_bytes

CONTEXT = 60          # characters of context on each side of the quoted span
LOW_CONFIDENCE = 0.5  # the default --max-confidence


@dataclass
class Item:
    """One fact to review, keyed as a curation row keys it."""

    kind: str
    problem: str
    confidence: str
    case: str
    title: str
    value: str
    value_label: str
    doc_sha256: str
    file: str
    start: str
    end: str
    quote: str
    context: str = ""
    context_start: int = 0   # where *context* starts in the document

    def marked(self, around: int = 15) -> str:
        """The context with the quoted span in 【】, *around* characters on each side."""
        if not self.context or not self.start:
            return self.context
        s, e = int(self.start) - self.context_start, int(self.end) - self.context_start
        return (" ".join(self.context[max(0, s - around):s].split()) + "【" + self.context[s:e] + "】"
                + " ".join(self.context[e:e + around].split()))

    def key(self) -> tuple:
        return self.kind, self.case, self.value, self.doc_sha256, self.start, self.end, self.quote


CSV_COLUMNS = ("action", "kind", "problem", "confidence", "case", "title", "value", "value_label", "doc_sha256",
               "file", "start", "end", "quote", "context", "correction", "curator", "date", "note")


def sentence_end() -> str:
    """The lexicon's pattern of a title that ends like a sentence (``[features] sentence_end``)."""
    from .loaders.korean import LEXICON_FILE

    with open(LEXICON_FILE, "rb") as fh:
        return tomllib.load(fh)["features"]["sentence_end"]


def review_queue(data: Path | str | None = None, *, max_confidence: float = LOW_CONFIDENCE,
                 corpus: list[Path | str] = (), kind: str = "", store=None) -> list[Item]:
    """The items to review in the graph of *data* (a build folder or Turtle files; or an open
    *store*), most uncertain first; with *corpus* (the documents' folders) each gets its context."""
    from .query import run

    params = {"maxConfidence": str(max_confidence), "kind": kind}
    if store is None:
        from .store import open_store

        store = open_store(Path(data))
    rows = _rows(run("review-low-confidence", params=params, store=store))
    conflicts = _rows(run("review-conflicts", params={"sentenceEnd": sentence_end()}, store=store))
    rows += [{**r, "confidence": r.get("factConfidence"), "doc": r.get("document"), "start": r.get("from"),
              "end": r.get("to"), "exact": r.get("quoted")}
             for r in conflicts if not kind or r["kind"] == kind]
    items: dict[tuple, Item] = {}
    for r in rows:
        item = Item(**{f.name: _text(r.get(_VARS.get(f.name, f.name))) for f in fields(Item)
                       if f.name not in ("context", "context_start")})
        if item.key() in items:
            known = items[item.key()]
            if item.problem not in known.problem.split("; "):
                known.problem += "; " + item.problem
        else:
            items[item.key()] = item
    queue = sorted(items.values(), key=lambda i: ("disagreement" not in i.problem,
                                                  float(i.confidence) if i.confidence else 1.0, i.problem,
                                                  i.case, i.kind, i.value, i.doc_sha256, i.start))
    if corpus:
        add_context(queue, corpus)
    return queue


_VARS = {"value_label": "valueLabel", "doc_sha256": "sha256", "file": "doc", "quote": "exact"}


def _text(v) -> str:
    return "" if v is None else str(v)


def _rows(results) -> list[dict[str, str | None]]:
    """The rows of *results* as the values are written (1200, not 1200.0)."""
    return [{v: b[v]["value"] for v in results.vars if v in b} for b in results.bindings]


def add_context(items: list[Item], corpus: list[Path | str]) -> None:
    """Fill each item's context from the documents under *corpus* (matched by SHA-256)."""
    from .build import load_corpus

    wanted = {i.doc_sha256 for i in items if i.doc_sha256}
    texts = {}
    for doc, _error in load_corpus([Path(c) for c in corpus]):
        if doc is not None and doc.sha256 in wanted:
            texts[doc.sha256] = doc.text
    for i in items:
        text = texts.get(i.doc_sha256)
        if text is None:
            continue
        if i.start and i.end:
            s, e = int(i.start), int(i.end)
        elif i.quote and i.quote in text:
            s = text.index(i.quote)
            e = s + len(i.quote)
        else:
            continue
        i.context_start = max(0, s - CONTEXT)
        i.context = text[i.context_start:e + CONTEXT]


# -- CSV ----------------------------------------------------------------------------------------

def queue_csv(items: list[Item]) -> str:
    """The queue as a curation CSV with the curator's columns empty."""
    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=CSV_COLUMNS, lineterminator="\n")
    writer.writeheader()
    for i in items:
        row = {k: v for k, v in asdict(i).items() if k in CSV_COLUMNS}
        writer.writerow({**row, "context": " ".join(i.context.split())})
    return buf.getvalue()


def write_csv(items: list[Item], path: Path | str) -> None:
    """Write the queue as CSV (UTF-8 with a byte-order mark, which spreadsheets read as UTF-8)."""
    atomic_write_bytes(path, ("\ufeff" + queue_csv(items)).encode("utf-8"))


# -- doccano ------------------------------------------------------------------------------------

KEY_FIELDS = ("kind", "problem", "confidence", "case", "title", "value", "doc_sha256", "file", "start", "end",
              "quote")


def doccano_task(n: int, i: Item) -> dict:
    """One doccano sequence-labelling task: the context (or the quote) with the fact's span labelled."""
    text = i.context or i.quote or i.title
    if i.context and i.start:
        s = int(i.start) - i.context_start
        e = int(i.end) - i.context_start
    else:
        s = text.find(i.quote) if i.quote else -1
        e = s + len(i.quote)
    labels = [[s, e, i.kind]] if s >= 0 else []
    return {"id": n, "text": text, "label": labels, **{k: getattr(i, k) for k in KEY_FIELDS},
            "context_start": i.context_start}


def write_doccano(items: list[Item], path: Path | str) -> None:
    """Write the queue as doccano JSONL (most uncertain first, as the queue is ordered)."""
    lines = [json.dumps(doccano_task(n, i), ensure_ascii=False) for n, i in enumerate(items, 1)]
    atomic_write_bytes(path, ("\n".join(lines) + "\n").encode("utf-8"))


#: Kinds whose span a curator may move onto other words: the words under it are the correction.
MOVABLE = ("agency", "case", "department", "technology", "partner", "beneficiary")


class NotMovable(ValueError):
    """A span moved where the words under it say no value (an award, a metric)."""


def decide(task: dict, text: str, spans: list[tuple[int, int]], *, curator: str, day: str, note: str) -> dict:
    """The curation row an annotated task says: the fact's span (*spans*, code points in *text*)
    kept where it was means accept, removed means reject, and moved (for a kind in :data:`MOVABLE`)
    means correct to the text under it. ValueError for a span moved where that means nothing."""
    kind = task["kind"]
    offset = int(task.get("context_start") or 0)
    original = (int(task["start"]) - offset, int(task["end"]) - offset) if task.get("start") else None
    row = {k: str(task.get(k, "")) for k in KEY_FIELDS}
    row.update(curator=curator, date=day, note=note)
    if not spans:
        row["action"] = "reject" if kind != "agency" else ""
    elif original in spans or (original is None and any(text[s:e] == task["quote"] for s, e in spans)):
        row["action"] = "accept"
    elif kind in MOVABLE:
        s, e = spans[0]
        row.update(action="correct", correction=text[s:e].strip())
    else:
        raise NotMovable(f"a {kind} can be accepted or rejected, not moved")
    return row


def read_doccano(path: Path | str, *, curator: str, day: str | None = None) -> tuple[list[dict], list[InputError]]:
    """Curation rows from a doccano JSONL export of the queue (see :func:`decide`). Lines that are
    no task of the queue are errors naming the file and line; the others are still read."""
    day = day or date.today().isoformat()
    rows, errors = [], []
    path = Path(path)
    try:
        lines = path.read_text(encoding="utf-8-sig").splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(path, f"cannot read: {exc}") from exc
    for n, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            task = json.loads(line)
            text, kind = task["text"], task["kind"]
            labels = task.get("label", task.get("labels", []))
            spans = [(int(s), int(e)) for s, e, lab in labels if lab == kind]
            row = decide(task, text, spans, curator=curator, day=day, note=f"doccano {path.name}:{n}")
        except NotMovable as exc:
            errors.append(InputError(f"{path}:{n}", str(exc)))
            continue
        except (ValueError, KeyError, TypeError) as exc:
            errors.append(InputError(f"{path}:{n}", f"not a task of the review queue: {exc}"))
            continue
        if row["action"]:
            rows.append(row)
    return rows, errors


# -- Label Studio -------------------------------------------------------------------------------

#: The names of the labelling interface (``data/curation/label-studio.xml``): its <Labels> and <Text>.
LS_LABELS, LS_TEXT = "label", "text"


def label_studio_task(n: int, i: Item) -> dict:
    """One Label Studio task: the item's fields as data, the fact's span as a prediction."""
    task = doccano_task(n, i)
    spans = task.pop("label")
    data = {"text": task.pop("text"), **{k: v for k, v in task.items() if k != "id"}}
    score = float(i.confidence) if i.confidence else None
    result = [{"id": f"fact-{n}", "from_name": LS_LABELS, "to_name": LS_TEXT, "type": "labels",
               "value": {"start": s, "end": e, "text": data["text"][s:e], "labels": [kind]},
               **({"score": score} if score is not None else {})} for s, e, kind in spans]
    return {"id": n, "data": data,
            "predictions": [{"model_version": "adminkg", **({"score": score} if score is not None else {}),
                             "result": result}]}


def write_label_studio(items: list[Item], path: Path | str) -> None:
    """Write the queue as Label Studio tasks (JSON; most uncertain first, as the queue is ordered)."""
    tasks = [label_studio_task(n, i) for n, i in enumerate(items, 1)]
    atomic_write_bytes(path, (json.dumps(tasks, ensure_ascii=False, indent=1) + "\n").encode("utf-8"))


def _code_points(text: str, value: dict) -> tuple[int, int]:
    """A Label Studio region's (start, end) in code points of *text*: as given when the words there
    are the region's text; else read as UTF-16 code units (what older versions wrote past an
    emoji); else the occurrence of the region's text nearest to it."""
    s, e, words = int(value["start"]), int(value["end"]), value.get("text")
    if words is None or text[s:e] == words:
        return s, e
    units = text.encode("utf-16-le")
    s16, e16 = len(units[:2 * s].decode("utf-16-le", "ignore")), len(units[:2 * e].decode("utf-16-le", "ignore"))
    if text[s16:e16] == words:
        return s16, e16
    found = [m for m in range(len(text)) if text.startswith(words, m)]
    if found:
        best = min(found, key=lambda m: abs(m - s))
        return best, best + len(words)
    return s, e


def read_label_studio(path: Path | str, *, curator: str, day: str | None = None
                      ) -> tuple[list[dict], list[InputError]]:
    """Curation rows from a Label Studio JSON export of the queue (see :func:`decide`): each task's
    latest annotation that was not cancelled; a task nobody annotated is no decision. Tasks that are
    no task of the queue are errors naming the file and the task; the others are still read."""
    day = day or date.today().isoformat()
    path = Path(path)
    try:
        tasks = json.loads(path.read_text(encoding="utf-8-sig"))
    except (OSError, UnicodeDecodeError, ValueError) as exc:
        raise InputError(path, f"cannot read a Label Studio export: {exc}") from exc
    if not isinstance(tasks, list):
        raise InputError(path, "not a Label Studio export: a JSON list of tasks was expected")
    rows, errors = [], []
    for n, task in enumerate(tasks, 1):
        where = f"{path}: task {task.get('id', n) if isinstance(task, dict) else n}"
        try:
            data = task["data"]
            annotations = [a for a in task.get("annotations", task.get("completions", []))
                           if not a.get("was_cancelled")]
            if not annotations:
                continue
            text, kind = data["text"], data["kind"]
            spans = [_code_points(text, r["value"]) for r in annotations[-1].get("result", [])
                     if r.get("type") == "labels" and kind in r["value"].get("labels", ())]
            row = decide(data, text, spans, curator=curator, day=day, note=f"Label Studio {path.name} task "
                         f"{task.get('id', n)}")
        except NotMovable as exc:
            errors.append(InputError(where, str(exc)))
            continue
        except (ValueError, KeyError, TypeError, AttributeError) as exc:
            errors.append(InputError(where, f"not a task of the review queue: {exc}"))
            continue
        if row["action"]:
            rows.append(row)
    return rows, errors


def write_rows(rows: list[dict], path: Path | str) -> None:
    """Write curation rows (from :func:`read_doccano`) as a curation CSV."""
    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=CSV_COLUMNS, lineterminator="\n", extrasaction="ignore")
    writer.writeheader()
    writer.writerows(rows)
    atomic_write_bytes(path, buf.getvalue().encode("utf-8"))


#: The queue's file formats by suffix: what ``--out`` writes, and what ``--import`` reads back.
WRITERS = {".csv": write_csv, ".jsonl": write_doccano, ".json": write_label_studio}
READERS = {".jsonl": read_doccano, ".json": read_label_studio}


def writer(path: Path | str):
    """The writer of the queue for *path*'s suffix; :class:`InputError` naming the accepted ones."""
    try:
        return WRITERS[Path(path).suffix.lower()]
    except KeyError:
        raise InputError(path, f"write the queue to {', '.join('FILE' + s for s in WRITERS)} "
                               "(a curation CSV, doccano JSONL, Label Studio JSON)") from None


def reader(path: Path | str):
    """The reader of an annotated export for *path*'s suffix; :class:`InputError` otherwise."""
    try:
        return READERS[Path(path).suffix.lower()]
    except KeyError:
        raise InputError(path, "import a doccano export (FILE.jsonl) or a Label Studio export (FILE.json)") from None


__all__ = ["CSV_COLUMNS", "Item", "add_context", "decide", "queue_csv", "read_doccano", "read_label_studio",
           "reader", "review_queue", "write_csv", "write_doccano", "write_label_studio", "write_rows", "writer"]
