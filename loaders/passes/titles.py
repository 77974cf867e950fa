"""Titles: what a case title looks like and how it is cleaned — the marks, heads and tails the
lexicon strips ([cases]), a joining word before the next list item, and the rules' verdicts on a
text (title-like, a list of criteria, speech) that the candidates pass and the model's features
use."""
from __future__ import annotations

from .. import regex as re
from ..records import Span
from .orgs import HANGUL


def strip_conjunction(title: str, conjunctions: list[str], syllable: dict[str, str]) -> str:
    """A list item that joins the next one ("A 운영과 ▲B", "A 확충 및 ▲B") without its joining word.
    *syllable* says after which kind of syllable a conjunction can stand (과 after a closed one)."""
    m = re.search(r"([가-힣])\s?(" + "|".join(map(re.escape, conjunctions)) + r")$", title)
    if not m:
        return title
    closed = (ord(m.group(1)) - 0xAC00) % 28 != 0  # a Hangul syllable with a final consonant
    if syllable.get(m.group(2), "closed" if closed else "open") != ("closed" if closed else "open"):
        return title
    return title[: m.start(2)].rstrip(" ,")


def clean_title(ex, title: str) -> str:
    """A title without the marks, heads and tails the lexicon strips, nor the quotation marks round it."""
    title = title.strip(" ,.·ㆍ-–—:;\t" + ex.cfg["cases"]["markers"])
    title = re.sub(ex.cfg["cases"]["title_tail"], "", title)
    title = re.sub(ex.cfg["cases"]["title_head"], "", title)
    for opening, closing in ex.cfg["cases"]["quotes"].items():
        if title.startswith(opening) and title.endswith(closing) and len(title) > 2:
            title = title[1:-1]
        elif title.startswith(opening) and closing not in title[1:]:
            title = title[1:]  # a quote cut off by the end of the item
    return title.strip(" ,.")


def is_title_like(ex, text: str) -> bool:
    """The text could name a practice: its length, and none of the lexicon's marks of something else
    (a contest, a group served, a date, speech, a body's name)."""
    t = text.strip()
    c = ex.cfg["cases"]
    if not (c["min_title"] <= len(t) <= c["max_title"]):
        return False
    if any(re.search(p, t) for p in c["not_titles"]):
        return False
    rest = ex.lex.grade_pattern.sub("", t)
    if not (HANGUL.search(rest) or re.search(r"[A-Za-z]{3,}", rest)):
        return False  # grade and prize words only: 대상(대통령상)
    contest_like = any(w in t for w in c["contest_words"]) or (
        any(w in t for w in c["contest_words_with_year"]) and re.search(r"(?:19|20)\d\d", t)
    )
    if contest_like and not re.search(c["practice_words"], t):
        return False
    if re.search(c["contest_ending"], t) or re.search(c["programme_title"], t):
        return False  # …개선 우수사례 경진대회: a contest, whatever its words
    if ex.lex.group_title_pattern.search(t):
        return False  # ‘알코올 의존도가 높은 초고령 독거노인’: a group served, not a practice
    if len(HANGUL.findall(re.sub(r"\d+\s?[년월일]", "", t))) < 2 and not re.search(r"[A-Za-z]{3,}", t):
        return False  # 2025년( …: a date or a fragment
    if re.search(c["period_only"], t) and len(t) < ex.cfg["windows"]["title_period_only"]:
        return False
    if any(t.endswith(e) for e in c["speech_endings"]) and len(t) > ex.cfg["windows"]["title_speech"]:
        return False
    if ex.lex.gazetteer.lookup(t):
        return False
    return bool(HANGUL.search(t) or re.search(r"[A-Za-z]{3,}", t))


def criteria_list(ex, sentence: str, markers: list) -> bool:
    """A list of evaluation criteria or steps (심사항목은 △체감도 △적극성), not of practices."""
    c = ex.cfg["cases"]
    lead = sentence[: markers[0].start()]
    if any(w in lead for w in c["list_skip_lead"]):
        return True
    body = sentence[markers[0].start() :]
    items = [body[m.end() - markers[0].start() :] for m in markers]
    head = ex.cfg["windows"]["criteria_item_head"]
    hits = sum(any(w in item[:head] for w in c["list_skip_items"]) for item in items)
    if len(markers) >= 2 and hits * 2 > len(markers):
        return True
    tail = sentence[markers[-1].end() :]
    return any(w in tail for w in c["list_skip_after"]) and len(tail) < ex.cfg["windows"]["criteria_tail"]


def is_speech(ex, text: str, quote_end: int) -> bool:
    """A quotation followed by a reporting verb (“…”라며, “…”고 말했다) is speech; one followed by a
    topic marker (‘…’는 …) is speech unless the rest of its sentence awards it."""
    after = text[quote_end + 1 : quote_end + ex.cfg["windows"]["speech_after"]]
    if not any(after.startswith(w) for w in ex.cfg["cases"]["speech_after"]):
        return False
    if after.startswith(tuple(ex.cfg["cases"]["topic_after"])):
        rest = re.split(r"(?<=다)\.\s|\n", text[quote_end + 1 : quote_end + ex.cfg["windows"]["speech_sentence"]])[0]
        return not (ex.lex.grade_pattern.search(rest) or re.search(ex.cfg["cases"]["award_verbs"], rest))
    return True


def quoted_name(ex, title: str, span):
    """The quoted name ending a title that a clause or an owner modifies ("…를 도입한 ‘X’",
    "공단의 ‘X’" → X), or opening one that a clause goes on about ("‘X’는 …을 …" → X), with its
    span (a :class:`Span` or None); else the title and span as they are."""
    for opening, closing in ex.cfg["cases"]["quotes"].items():
        if title.endswith(closing) and opening in title[:-1]:
            at = title.rindex(opening, 0, len(title) - 1)
            before, inner = title[:at].rstrip(), title[at + 1 : -1].strip()
            if before and len(inner) >= 4 and re.search(ex.cfg["cases"]["modifier_before_quote"], before):
                return inner, _narrowed(span, inner, span.text.rfind(inner) if span is not None else 0)
        if title.startswith(opening) and closing in title[1:]:
            end = title.index(closing, 1)
            inner = title[1:end].strip()
            if len(inner) >= 2 and re.match(ex.cfg["cases"]["clause_after_quote"], title[end + 1 :]):
                return inner, _narrowed(span, inner, span.text.find(inner) if span is not None else 0)
    return title, span


def _narrowed(span, inner: str, at: int):
    """*span* narrowed to *inner*, found at *at* in its text (-1: not there, *span* as it is)."""
    if span is None or at < 0:
        return span
    return Span(span.start + at, span.start + at + len(inner), inner)
