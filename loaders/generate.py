"""Case-title candidates proposed generously, for the model to decide on.

The rules (``loaders.passes.candidates``) propose a title only where a cue word, a marker or a
layout they know says so. This pass proposes every span that is shaped like a name, whatever the cues: quoted
spans, list items (after a marker, up to the next marker), short lines, and the cells of table
rows (tab- or pipe-separated). Whether a span is a case is decided by the trained model
(``loaders.features`` says what it sees), never here. Words and marks come from the lexicon.
"""
from __future__ import annotations

from bisect import bisect_left
from dataclasses import dataclass

from . import regex as re


@dataclass(frozen=True)
class Proposal:
    start: int
    end: int
    origin: str          # gen-quote, gen-item, gen-line, gen-cell

    def text(self, doc_text: str) -> str:
        return doc_text[self.start : self.end]


def _trim(text: str, start: int, end: int, strip: str) -> tuple[int, int]:
    while start < end and (text[start].isspace() or text[start] in strip):
        start += 1
    while end > start and (text[end - 1].isspace() or text[end - 1] in strip):
        end -= 1
    return start, end


def after_heading_body(text: str, start: int, end: int, bodies, gap: str) -> int:
    """Where an item's title starts: after the bodies heading it and a dash (◇ OO도 OO시 – 제목),
    else at the item's start. *bodies*: the (start, end) spans of the organisations named, in order."""
    at = start
    for a, b in bodies[bisect_left(bodies, (start, -1)) :]:
        if a > at + 1:
            break
        if at <= a and b < end:
            at = b  # the next of the names written one after the other
    if at > start:
        m = re.match(gap, text[at:end])
        if m:
            return at + m.end()
    return start


def propose(text: str, cfg: dict, bodies: list[tuple[int, int]] = ()) -> list[Proposal]:
    """Every name-shaped span of ``text``: see the module docstring. ``cfg`` is the lexicon's
    ``[generate]`` table; ``bodies`` are the spans of organisations named in the text, whose
    practice may follow them (X의 …, X는 …): phrases from there to each of the next few word
    ends that close a noun phrase."""
    lo, hi = cfg["min_length"], cfg["max_length"]
    bodies = sorted(bodies)
    strip = cfg["strip"]
    out: dict[tuple[int, int], Proposal] = {}

    def add(a: int, b: int, origin: str) -> None:
        a, b = _trim(text, a, b, strip)
        # a closing bracket of a unit or body ends many items: "제목(OO과)" → the title before it
        m = re.search(r"\s?[(（][^()（）]{1,30}[)）]$", text[a:b])
        if m and m.start() >= lo:
            b = a + m.start()
        if lo <= b - a <= hi and (a, b) not in out and re.search("[가-힣]", text[a:b]):
            out[(a, b)] = Proposal(a, b, origin)

    for opening, closing in cfg["quotes"].items():
        pattern = re.escape(opening) + "([^" + re.escape(opening + closing) + "\n]{2,120})" + re.escape(closing)
        for m in re.finditer(pattern, text):
            add(m.start(1), m.end(1), "gen-quote")
    markers = "[" + re.escape(cfg["markers"]) + "]"
    for line in re.finditer(r"[^\n]+", text):
        body, base = line.group(), line.start()
        found = list(re.finditer(markers, body))
        for i, m in enumerate(found):
            end = found[i + 1].start() if i + 1 < len(found) else len(body)
            item = body[m.end() : end]
            cut = re.search(cfg["item_end"], item)
            start = item_end = base + m.end()
            item_end += cut.start() if cut else len(item)
            add(after_heading_body(text, start, item_end, bodies, cfg["item_body_gap"]), item_end, "gen-item")
        if "\t" in body or body.count("|") >= 2:
            cells = re.finditer(r"[^\t|]+", body)
            for c in cells:
                add(base + c.start(), base + c.end(), "gen-cell")
        elif len(body.strip()) <= cfg["line_length"]:
            head = re.match(r"\s*(?:\d{1,2}[.)]\s|" + markers + r")?", body)
            start = after_heading_body(text, base + head.end(), base + len(body), bodies, cfg["item_body_gap"])
            add(start, base + len(body), "gen-line")
    head = re.compile(cfg["after_body"])
    quote_marks = set(cfg["quotes"]) | set(cfg["quotes"].values())
    ends = re.compile(cfg["phrase_end"])
    for _a, b in bodies:
        m = head.match(text, b)
        if not m:
            continue
        start = m.end()
        window = text[start : start + hi]
        stop = re.search(cfg["phrase_stop"], window)
        window = window[: stop.start()] if stop else window
        for n, e in enumerate(re.finditer(r"(?=\s|$)", window)):
            if n >= cfg["phrase_ends"]:
                break
            word_end = start + e.start()
            if any(q in text[start:word_end] for q in quote_marks):
                break  # a quoted name is proposed on its own; a phrase around it is no name
            particle = ends.search(text, start, word_end)
            add(start, particle.start() if particle else word_end, "gen-phrase")
    return sorted(out.values(), key=lambda p: (p.start, p.end))
