"""What the model sees of a candidate: lists of string features, one function per decision.

Each feature is a fact about the candidate's text and surroundings, or the vote of a rule of the
lexicon (``title_like``, ``speech``, ``cued`` …): the rules are kept as evidence for the model to
weigh, not as final decisions. Feature names are data for the model file, so they are stable.
"""
from __future__ import annotations

import re

HANGUL = re.compile(r"[가-힣]")


def _bin(n: int, cuts: tuple[int, ...]) -> str:
    for c in cuts:
        if n < c:
            return f"<{c}"
    return f">={cuts[-1]}"


def _char_class(ch: str, quotes: str, markers: str) -> str:
    if not ch:
        return "none"
    if ch == "\n":
        return "nl"
    if ch.isspace():
        return "sp"
    if ch in quotes:
        return "quote"
    if ch in markers:
        return "marker"
    if ch in "([（【":
        return "open"
    if ch in ")]）】":
        return "close"
    if HANGUL.match(ch):
        return "hangul"
    if ch.isdigit():
        return "digit"
    return "other"


def case_features(ex, text: str, cand, *, n_rule: int, rule: bool, overlaps: bool = False) -> list[str]:
    """Is this candidate a case (with this title)? ``ex`` is the KoreanExtractor (its lexicon and
    rule predicates), ``n_rule`` the number of candidates the rules proposed in the document,
    ``overlaps`` whether a candidate of the rules overlaps this one."""
    c = ex.cfg["cases"]
    quotes = "".join(c["quotes"]) + "".join(c["quotes"].values())
    markers = c["markers"]
    title = cand.title or ""
    span = cand.span
    f = [f"o={cand.origin}", f"rule={rule}", f"nrule={_bin(n_rule, (1, 2, 5, 10))}"]
    if overlaps:
        f += ["overlaps_rule", f"o={cand.origin}|overlaps_rule"]
    if not title:
        f.append("empty")
        f.append(f"o={cand.origin}|grade={bool(cand.grade)}")
        return f
    s = cand.sentence.text
    length = _bin(len(title), (6, 10, 16, 25, 40, 60))
    title_like = ex.is_title_like(title)
    cued = any(w in s for w in c["cues"])
    graded = bool(ex.lex.grade_pattern.search(s))
    f += [f"len={length}", f"end1={title[-1]}", f"end2={title[-2:]}", f"title_like={title_like}",
          f"cued={cued}", f"graded={graded}", f"o={cand.origin}|title_like={title_like}",
          f"o={cand.origin}|cued={cued}", f"o={cand.origin}|len={length}", f"o={cand.origin}|end1={title[-1]}"]
    if span is not None:
        before = text[span.start - 1] if span.start else ""
        after = text[span.end] if span.end < len(text) else ""
        nxt = text[span.end + 1 : span.end + 3] if after in quotes else text[span.end : span.end + 2]
        f += [f"prev={_char_class(before, quotes, markers)}", f"next={_char_class(after, quotes, markers)}",
              f"after={nxt.strip()}", f"o={cand.origin}|prev={_char_class(before, quotes, markers)}"]
        line_start = text.rfind("\n", 0, span.start) + 1
        line_end = text.find("\n", span.end)
        line = text[line_start : line_end if line_end >= 0 else len(text)]
        f.append(f"line_markers={_bin(sum(line.count(m) for m in markers), (1, 2, 4))}")
        f.append(f"whole_line={line.strip(' ' + markers) == title}")
        if line_start == 0:
            f.append("headline")
        if after in quotes and ex.is_speech(text, span.end):
            f.append("speech")
        if re.match(c["category_after"], text[span.end + 1 : span.end + 8]):
            f.append("category_after")
        if re.match(c["not_title_after"], text[span.end + 1 : span.end + 12]):
            f.append("not_title_after")
        if text.count(title) > 1:
            f.append("repeated")
    if re.search(r"(?:다|니다|했다|였다)\.?$", title):
        f.append("sentence_end")
    if re.search(r"\d", title):
        f.append("digits")
    if any(w in title for w in c["contest_words"]):
        f.append("contest_word")
    if ex.lex.grade_pattern.search(title):
        f.append("grade_word")
    if cand.agency is not None:
        f.append(f"agency={'gaz' if cand.agency.iri is not None else cand.agency.cls}")
    else:
        f.append("no_agency")
    if cand.grade:
        f.append("has_grade")
    return f
