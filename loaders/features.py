"""What the model sees of a candidate: lists of string features, one function per decision.

Each feature is a fact about the candidate's text and surroundings, or the vote of a rule of the
lexicon (``title_like``, ``speech``, ``cued`` …): the rules are kept as evidence for the model to
weigh, not as final decisions. Feature names are data for the model file, so they are stable.
"""
from __future__ import annotations

from rdflib.namespace import RDF

from . import regex as re

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


def _body_kind(ex, body) -> str:
    """The most specific class of a body: its gazetteer type, else the class its name's form gave."""
    if body.iri is None:
        return body.cls
    kinds = [str(t).rsplit("#", 1)[-1] for t in ex.lex.gaz_graph.objects(body.iri, RDF.type)]
    return next((k for k in sorted(kinds) if k not in ("PublicAgency", "FormalOrganization")), "gaz")


def case_features(ex, text: str, cand, *, n_rule: int, rule: bool, overlaps: bool = False,
                  same_origin: int = 0) -> list[str]:
    """Is this candidate a case (with this title)? ``ex`` is the KoreanExtractor (its lexicon and
    rule predicates), ``n_rule`` the number of candidates the rules proposed in the document,
    ``overlaps`` whether a candidate of the rules overlaps this one."""
    c = ex.cfg["cases"]
    quotes = "".join(c["quotes"]) + "".join(c["quotes"].values())
    markers = c["markers"]
    title = cand.title or ""
    span = cand.span
    f = [f"o={cand.origin}", f"rule={rule}", f"nrule={_bin(n_rule, (1, 2, 5, 10))}",
         f"o={cand.origin}|nrule={_bin(n_rule, (1, 2, 5))}", f"o={cand.origin}|same={_bin(same_origin, (2, 3, 5, 10))}"]
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
    words = [w.strip(quotes + "()[]·,") for w in title.split()]
    words = [w for w in words if len(w) >= 2]
    if words:
        f += [f"last={words[-1]}", f"first={words[0]}"]
    f.append(f"words={_bin(len(words), (2, 3, 5, 8))}")
    if span is not None:
        f.append(f"where={min(9, span.start * 10 // max(1, len(text)))}")
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
    if re.search(ex.cfg["features"]["sentence_end"], title):
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


def agency_features(ex, text: str, cand, body, mentions: list, *, chosen: bool, main: bool) -> list[str]:
    """Does ``body`` lead the case ``cand``? ``mentions`` are the body's mentions in the document
    (OrgRefs with spans), ``chosen`` whether the rules chose it, ``main`` whether it is the body
    the document is about."""
    cfg = ex.cfg
    at = cand.span.start if cand.span is not None else cand.sentence.start
    end = cand.span.end if cand.span is not None else cand.sentence.end
    f = [f"chosen={chosen}", f"main={main}", f"o={cand.origin}|chosen={chosen}", f"o={cand.origin}|main={main}"]
    kind = _body_kind(ex, body)
    f.append(f"kind={kind}")
    f.append(f"mentions={_bin(len(mentions), (2, 3, 5, 9))}")
    spans = [m.span for m in mentions if m.span is not None]
    if not spans:
        f.append("not_mentioned")
        return f
    if min(s.start for s in spans) < 200:
        f.append("early")
    if any(s.start < (text.find("\n") if "\n" in text else len(text)) for s in spans):
        f.append("in_headline")
    before = [at - s.end for s in spans if s.end <= at]
    after = [s.start - end for s in spans if s.start >= end]
    inside = any(at <= s.start < end for s in spans)
    if inside:
        f.append("in_title")
    gap_b = min(before) if before else None
    gap_a = min(after) if after else None
    f.append(f"before={_bin(gap_b, (3, 13, 40, 120, 400)) if gap_b is not None else 'none'}")
    f.append(f"after={_bin(gap_a, (3, 13, 40, 120, 400)) if gap_a is not None else 'none'}")
    f.append(f"o={cand.origin}|before={_bin(gap_b, (13, 120)) if gap_b is not None else 'none'}")
    sent = cand.sentence
    line_start = text.rfind("\n", 0, at) + 1
    line_end = text.find("\n", at)
    line_end = len(text) if line_end < 0 else line_end
    if any(sent.start <= s.start < sent.end for s in spans):
        f.append("same_sentence")
    if any(line_start <= s.start < line_end for s in spans):
        f.append("same_line")
    nearest = None
    for s in spans:
        d = min(abs(s.start - end), abs(at - s.end))
        if nearest is None or d < nearest[0]:
            nearest = (d, s)
    s = nearest[1]
    follow = text[s.end : s.end + 2]
    f.append(f"follow={follow[:1] if follow[:1] in cfg['features']['follow_marks'] else 'x'}")
    prev = text[max(0, s.start - 1) : s.start]
    f.append(f"prev={prev if prev in cfg['features']['lead_marks'] else 'x'}")
    if re.match(cfg["agency"]["dateline"], text[max(0, s.start - 1) : s.end + 12]):
        f.append("dateline")
    if any(w in text[s.end : s.end + 12] for w in cfg["orgs"]["organiser_words"]):
        f.append("organiser")
    if ex.names_a_place(s.end, text):
        f.append("place_phrase")
    return f


def fact_features(kind: str, value: str, *, chosen: bool, spans: list, title_span, n_cases: int, origin: str,
                  flags: list[str] = ()) -> list[str]:
    """Does the fact (``kind``: technology, beneficiary, partner, department; ``value``: its code
    or name) belong to the case? ``spans`` are its mentions in the case's scope, ``chosen`` whether
    the rules kept it, ``flags`` what the rules' predicates say of it (negated, about the contest …)."""
    f = [f"chosen={chosen}", f"n={_bin(len(spans), (1, 2, 3, 5))}", f"cases={_bin(n_cases, (2, 3, 6))}",
         f"o={origin}", f"chosen={chosen}|cases={_bin(n_cases, (2, 6))}"]
    for flag in flags:
        f += [flag, f"{flag}|chosen={chosen}", f"{flag}|cases={_bin(n_cases, (2, 6))}"]
    if title_span is not None and spans:
        if any(title_span.start <= s.start < title_span.end for s in spans):
            f.append("in_title")
        gap = min(abs(s.start - title_span.start) for s in spans)
        f.append(f"gap={_bin(gap, (30, 100, 300, 1000))}")
    elif not spans:
        f.append("no_span")
    return f


def body_features(ex, text: str, body, mentions: list, *, main: bool, n_kept: int, n_bodies: int,
                  best_title: float, n_rule: int = 0) -> list[str]:
    """Does ``body`` lead a case of the document that no kept candidate tells? (A body awarded by
    name, or one whose practice the text describes without a name the candidates caught.)
    ``n_kept`` is the number of cases kept so far, ``n_bodies`` of bodies that can lead one,
    ``best_title`` the highest case probability of a candidate title of this body."""
    cfg = ex.cfg
    kind = _body_kind(ex, body)
    f = [f"kind={kind}", f"main={main}", f"kept={_bin(n_kept, (1, 2, 4, 8))}", f"bodies={_bin(n_bodies, (2, 3, 5, 9))}",
         f"mentions={_bin(len(mentions), (2, 3, 5))}", f"title={_bin(int(best_title * 10), (1, 2, 4, 6))}",
         f"main={main}|kept={_bin(n_kept, (1, 3))}", f"nrule={_bin(n_rule, (1, 2, 5))}",
         f"graded_doc={bool(ex.lex.grade_pattern.search(text))}"]
    headline_end = text.find("\n") if "\n" in text else len(text)
    cues = cfg["cases"]["cues"]
    for m in mentions:
        if m.span is None:
            continue
        after = text[m.span.end : m.span.end + 2]
        if after[:1] in ex.grammar["subject_markers"]:
            f.append("subject")
        if after[:1] == "의":
            f.append("possessive")
        near = text[m.span.end : m.span.end + 40]
        if any(w in near for w in cues):
            f.append("cue_after")
        if ex.lex.grade_pattern.search(near):
            f.append("grade_after")
        if any(w in text[m.span.end : m.span.end + 12] for w in cfg["orgs"]["organiser_words"]):
            f.append("organiser")
        if re.match(cfg["features"]["listed_after"], after):
            f.append("listed")
        if m.span.start < headline_end:
            f.append("headline")
        if re.match(cfg["agency"]["dateline"], text[max(0, m.span.start - 1) : m.span.end + 12]):
            f.append("dateline")
        if ex.names_a_place(m.span.end, text):
            f.append("place_phrase")
    return sorted(set(f), key=f.index)


def award_features(award, *, on_year: int | None, origin: str, n_cases: int, n_awards: int) -> list[str]:
    """Is this award (contest, year, rank, grade) the case's? ``on_year`` is the document's year."""
    f = [f"o={origin}", f"cases={_bin(n_cases, (2, 3, 6))}", f"awards={_bin(n_awards, (2, 3))}",
         f"contest={bool(award.contest)}", f"grade={award.grade or 'none'}", f"rank={award.rank or 'none'}",
         f"organizer={award.organizer is not None}", f"o={origin}|grade={bool(award.grade)}"]
    if award.year is None:
        f.append("year=none")
    elif on_year is not None:
        f.append(f"year={_bin(on_year - award.year, (0, 1, 2, 5))}")
    if award.contest:
        f.append(f"contest_len={_bin(len(award.contest), (8, 15, 30))}")
    if award.rank is not None and award.grade is None:
        f.append("rank_without_grade")
    return f


def metric_features(metric, *, origin: str, n_cases: int, title_span) -> list[str]:
    """Is this number an outcome of the case, as the annotation would keep it?"""
    f = [f"o={origin}", f"cases={_bin(n_cases, (2, 3, 6))}", f"unit={metric.unit or 'none'}",
         f"quantity={bool(metric.quantity)}", f"change={metric.change or 'none'}",
         f"before_after={metric.before is not None and metric.after is not None}"]
    if title_span is not None:
        f.append(f"gap={_bin(abs(metric.span.start - title_span.start), (60, 200, 600, 1500))}")
    return f
