"""When an extracted item is the annotated one: the matching conventions of the gold annotations.

Used to label candidates for training (``adminkg.learn``) and to score extraction
(``adminkg.scoring``). They follow ``../shared/guides/corpus.md`` and the scorer's header: lead
agencies compare by province and body (서울특별시 강서구 = 서울 강서구), titles by character
bigrams or containment, names loosely (spaces, brackets and quotes aside).
"""
from __future__ import annotations

import re

_PROVINCES = {
    "서울": "서울", "부산": "부산", "대구": "대구", "인천": "인천", "광주": "광주", "대전": "대전",
    "울산": "울산", "세종": "세종", "경기": "경기", "강원": "강원", "충청북": "충북", "충북": "충북",
    "충청남": "충남", "충남": "충남", "전라북": "전북", "전북": "전북", "전라남": "전남", "전남": "전남",
    "경상북": "경북", "경북": "경북", "경상남": "경남", "경남": "경남", "제주": "제주",
}
_PROVINCE_SUFFIX = re.compile(r"(특별자치시|특별자치도|특별시|광역시|도|시)$")
_SQUASH = re.compile(r"[\s·ㆍ()（）㈜\[\]'\"‘’“”]")


def squash(s: str) -> str:
    return _SQUASH.sub("", s or "").replace("(사)", "")


def agency_key(name: str) -> str:
    """서울특별시 강서구, 서울 강서구, 서울시 강서구 → 서울/강서구; other bodies by their squashed name."""
    parts = (name or "").split()
    if not parts:
        return ""
    head = _PROVINCE_SUFFIX.sub("", parts[0]) if len(parts[0]) > 2 else parts[0]
    for key, short in _PROVINCES.items():
        if head.startswith(key) and len(head) <= len(key) + 1:
            rest = "".join(parts[1:])
            return f"{short}/{rest}" if rest else short
    return squash(name)


def bigrams(s: str) -> set[str]:
    s = squash(s)
    return {s[i : i + 2] for i in range(len(s) - 1)} or {s}


def dice(a: str, b: str) -> float:
    x, y = bigrams(a), bigrams(b)
    return 2 * len(x & y) / (len(x) + len(y)) if x and y else 0.0


def title_equal(a: str, b: str) -> bool:
    """Both empty, or bigram Dice >= 0.6, or one contains the other and is >= 60% of its length."""
    x, y = squash(a), squash(b)
    if not x or not y:
        return not x and not y
    if x in y or y in x:
        return min(len(x), len(y)) >= 0.6 * max(len(x), len(y))
    return dice(a, b) >= 0.6


def loose_equal(a: str, b: str) -> bool:
    a, b = squash(a), squash(b)
    return bool(a and b) and (a == b or a in b or b in a)


def norm_grade(g: str) -> str:
    g = re.sub(r"\s", "", g or "")
    return re.sub(r"(상|표창)$", "", g) or g


def grade_equal(a: str, b: str) -> bool:
    a, b = norm_grade(a), norm_grade(b)
    return bool(a and b) and (a == b or a in b or b in a)


def contest_equal(a: str, b: str) -> bool:
    return loose_equal(a, b) or dice(a, b) >= 0.5
