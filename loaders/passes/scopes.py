"""Scopes: the stretch of text each case's facts are read from — a quoted case's own clause, later
sentences that name the case or go on about it, the lines under a heading, the rest of the paragraph
for its partners — and the words just before each title. Patterns come from the lexicon ([cases],
[grammar])."""
from __future__ import annotations

from adminkg.resolve import normalise

from .. import regex as re
from ..records import OrgRef, Span
from .analysis import Analysis, Candidate, Sentence, component
from .layout import quoted
from .orgs import is_subject, same_body


@component("scopes", reads=("cands", "sents"), writes=("cands",))
def scopes(ex, a: Analysis) -> None:
    """A document's only case takes the whole text; several cases extend their scopes
    (:func:`extend_scopes`)."""
    if len(a.cands) == 1:
        a.cands[0].scope = [(0, len(a.text))]
    else:
        extend_scopes(ex, a.cands, a.sents)


def clause_scopes(ex, text: str, cands: list[Candidate]) -> None:
    """Narrow the scope of cases quoted in one sentence to their own clause (the commas outside
    quotes and brackets cut clauses): "‘가’에 위생과 …, ‘나’의 건축과 …". Where one clause holds
    several quotes, a unit goes forward when the quotes are possessed (위생과의 ‘가’), else back."""
    by_sentence: dict[int, list[Candidate]] = {}
    for cand in cands:
        if cand.span is not None:
            by_sentence.setdefault(cand.sentence.start, []).append(cand)
    for group in by_sentence.values():
        if len(group) < 2:
            continue
        group.sort(key=lambda c: c.span.start)
        s = group[0].sentence
        masked = list(s.text)
        for q in quoted(ex, s):
            for i in range(q.start - s.start, q.end - s.start):
                masked[i] = "x"
        masked = re.sub(r"[(（][^()（）]*[)）]", lambda m: "x" * len(m.group()), "".join(masked))
        cuts = [s.start] + [s.start + m.end() for m in re.finditer(r",\s", masked)] + [s.end]
        clauses = list(zip(cuts, cuts[1:]))
        owners: list[list[Candidate]] = [[c for c in group if a <= c.span.start < b] for a, b in clauses]
        owned: dict[int, list[tuple[int, int]]] = {id(c): [] for c in group}
        last = None
        pending: list[tuple[int, int]] = []
        for (a, b), own in zip(clauses, owners):
            if not own:
                if last is None:
                    pending.append((a, b))
                else:
                    owned[id(last)].append((a, b))
                continue
            if len(own) == 1:
                owned[id(own[0])].append((a, b))
            else:
                mark = "(?:" + "|".join(ex.grammar["possessive"]) + r")\s?$"
                possessed = [re.search(mark, text[max(a, c.span.start - 4) : c.span.start - 1]) for c in own]
                forward = sum(map(bool, possessed)) * 2 > len(own)
                for i, c in enumerate(own):
                    if forward:
                        start = own[i - 1].span.end + 1 if i else a
                        end = c.span.end + 1 if i + 1 < len(own) else b
                    else:
                        start = c.span.start - 1 if i else a
                        end = own[i + 1].span.start - 1 if i + 1 < len(own) else b
                    owned[id(c)].append((start, end))
            if pending:
                owned[id(own[0])] += pending
                pending = []
            last = own[-1]
        for c in group:
            c.scope = sorted(owned[id(c)]) or c.scope


def extend_scopes(ex, cands: list[Candidate], sents: list[Sentence]) -> None:
    """A later sentence that names a case (by its title's first words) belongs to its scope,
    with the rest of that paragraph."""
    win = ex.cfg["windows"]
    for cand in cands:
        key = normalise(cand.title)[: win["title_key"]]
        if len(key) < win["title_key_min"]:
            continue
        for s in sents:
            if (
                key in normalise(s.text)
                and not any(a < s.end and s.start < b for a, b in cand.scope)
                and s.line != cand.sentence.line
            ):
                line_end = max((x.end for x in sents if x.line == s.line), default=s.end)
                cand.scope.append((s.start, line_end))
    # or by a quoted shorter or longer form of its title (‘방범용 CCTV 업무방식 개선’은 … for
    # "구민을 중심으로 한 방범용 CCTV 업무방식 개선"), when that form fits one case only
    keys = [(c, normalise(c.title)) for c in cands]
    shortest = win["short_form_min"]
    # a title's bracketed short name (…규제비용 절감(전자심사24)) is a form of it too
    keys += [(c, normalise(m.group(1))) for c in cands if (m := re.search(r"\(([^()]+)\)\s*$", c.title))]
    for s in sents:
        for q in quoted(ex, s):
            nq = normalise(q.text)
            fits = {id(c): c for c, k in keys if len(nq) >= shortest and len(k) >= shortest and (nq in k or k in nq)}
            hits = list(fits.values())
            if len(hits) != 1:
                continue
            cand = hits[0]
            if s.line != cand.sentence.line and not any(a < s.end and s.start < b for a, b in cand.scope):
                line_end = max((x.end for x in sents if x.line == s.line), default=s.end)
                cand.scope.append((s.start, line_end))
            break
    # the lines after a heading-like line (‘119패스’ alone, then its description), and a
    # paragraph that goes on about the case (해당 사업은 …, 이를 통해 …)
    lines: dict[int, tuple[int, int]] = {}
    for x in sents:
        a, b = lines.get(x.line, (x.start, x.end))
        lines[x.line] = (min(a, x.start), max(b, x.end))
    owned = {c.sentence.line for c in cands}
    text_of = dict.fromkeys(lines, "")
    for x in sents:
        text_of[x.line] += x.text
    go_on = re.compile(ex.cfg["cases"]["continuation"])
    # a later sentence of the case's paragraph that goes on about it ("이 사업은 …")
    starts = {c.sentence.start for c in cands}
    for cand in cands:
        following = [x for x in sents if x.line == cand.sentence.line and x.start >= cand.sentence.end]
        for x in following:
            if x.start in starts or not go_on.match(x.text.strip()):
                break
            cand.scope.append((x.start, x.end))
    for cand in cands:
        line = cand.sentence.line
        heading = cand.span is not None and len(text_of[line].strip()) <= len(cand.title) + win["heading_line"]
        last = max(n for n in lines if any(a <= lines[n][0] < b for a, b in cand.scope) or n == line)
        nxt = sorted(n for n in lines if n > last)
        # a short later line that names the case (우수 사례로는 ‘…’이 선정됐다.) heads what follows it
        named = last != line and len(text_of[last].strip()) <= len(cand.title) + win["heading_line"]
        # a heading led by a list marker (◇대상-김포시 ‘…’) heads the lines up to the next such one
        mark = re.match(ex.lex.marker_class, text_of[line].strip()) if heading else None
        if mark:
            for n in nxt[: win["lines_under_marked_heading"]]:
                if n in owned or text_of[n].strip().startswith(mark.group()):
                    break
                cand.scope.append(lines[n])
            continue
        heading = heading or named
        for n in nxt[: win["lines_under_heading"]]:
            if n in owned or not (heading or go_on.match(text_of[n].strip())):
                break
            cand.scope.append(lines[n])
            heading = False


def scope_text(text: str, cand: Candidate) -> list[tuple[int, str]]:
    """The case's scope as (offset, text) parts, in text order."""
    return [(a, text[a:b]) for a, b in sorted(set(cand.scope))]


def other_titles(cand: Candidate, cands: list[Candidate]) -> list[Span]:
    """The titles of the other cases, except one overlapping *cand*'s own."""
    own = cand.span
    return [
        c.span
        for c in cands
        if c is not cand and c.span and not (own and own.start < c.span.end and c.span.start < own.end)
    ]


def title_modifiers(ex, text: str, cands: list[Candidate]) -> dict[int, tuple[int, int]]:
    """The words just before each case's title, back to the sentence's start or the previous title
    (…어르신들의 건강한 일상을 위한 ‘스마트 경로당 조성 사업’): they describe that case, not the one before."""
    win = ex.cfg["windows"]
    ends = sorted(c.span.end for c in cands if c.span is not None)
    out = {}
    for cand in cands:
        if cand.span is None:
            continue
        start = max([e for e in ends if e <= cand.span.start] + [cand.span.start - win["modifier_before"], 0])
        # a sentence end or a list marker (△, ▲ …) closes what came before
        cut = [m.end() for m in re.finditer(f"[.!?\n]|{ex.lex.marker_class}", text[start : cand.span.start])]
        start += max(cut, default=0)
        if start < cand.span.start:
            out[id(cand)] = (start, cand.span.start)
    return out


def partner_scope(
    ex, text: str, cand: Candidate, cands: list[Candidate], sents: list[Sentence], orgs: list[OrgRef]
) -> list[tuple[int, str]]:
    """The case's scope, and the rest of the paragraph its scope ends in, up to a sentence another
    case owns: a sentence after the one naming the case often tells who it was done with. The
    document's only named case also takes any later sentence its own body is the subject of
    (아울러 식약처는 …와 협력하여). A sentence whose subject is another body tells that body's story."""
    spans = sorted(set(cand.scope))
    if not spans or cand.agency is None:
        return [(a, text[a:b]) for a, b in spans]
    only = bool(cand.title) and not any(c.title for c in cands if c is not cand)
    others = [(a, b) for c in cands if c is not cand for a, b in c.scope]
    last = max(b for _a, b in spans)
    line = next((x.line for x in sents if x.start < last <= x.end), None)
    rest = True
    for x in sents:
        if x.start < last or any(a <= x.start < b for a, b in spans):
            continue
        rest = rest and x.line == line and not any(a < x.end and x.start < b for a, b in others)
        subject = next((o for o in orgs if x.start <= o.span.start < x.end and is_subject(ex, o, text)), None)
        own = subject is not None and same_body(ex, subject, cand.agency)
        if own or (rest and subject is None):
            spans.append((x.start, x.end))
        elif not only:
            break
        if not (rest or only):
            break
    return [(a, text[a:b]) for a, b in sorted(set(spans))]
