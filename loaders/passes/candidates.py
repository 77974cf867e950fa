"""Candidates: the case titles the rules propose, each with its scope, grade and the units and body
written with it, and the name-shaped spans proposed for the model (``loaders.generate``). Words and
patterns come from the lexicon ([cases], [awards], [units], [grammar], [generate])."""
from __future__ import annotations

from adminkg.resolve import normalise

from .. import regex as re
from ..documents import Document
from ..generate import after_heading_body, propose
from ..records import OrgRef, Span
from ..tablerows import Table, find_tables
from .analysis import Analysis, Candidate, Sentence, component
from .layout import lines, list_markers, quoted
from .mentions import grade_in, grade_mentions, grade_of_quote, heads
from .orgs import bodies_in_row, bracket_units, is_actor, is_agency, is_unit_word
from .scopes import clause_scopes
from .titles import clean_title, criteria_list, is_speech, is_title_like, strip_conjunction


@component("candidates", reads=("sents", "orgs"), writes=("cands", "n_rule"))
def candidates(ex, a: Analysis) -> None:
    """The case titles the rules propose (:func:`rule_candidates`)."""
    a.cands = rule_candidates(ex, a.doc, a.sents, a.orgs)
    a.n_rule = len(a.cands)


@component("proposals", reads=("sents", "cands", "orgs"), writes=("cands",))
def proposals_pass(ex, a: Analysis) -> None:
    """Where a model decides (or one is trained), the name-shaped spans the rules did not propose."""
    if ex.model is not None or ex.observe is not None:
        a.cands += proposals(ex, a.text, a.sents, a.cands, a.orgs)


# A bracket opening an item ("(OO시) 제목"), and one closing it ("제목(OO시 OO과)", perhaps before 등 or
# the end of a sentence); group 1 holds what is inside.
OPENING_BRACKET = re.compile(r"\s?[(（]([^()（）]{2,40})[)）]\s?")
CLOSING_BRACKET = re.compile(r"[(（]([^()（）]{2,40})[)）][\s,，]*(?:등|이며|이다)?[^가-힣]*$")


def bracketed_agency(ex, text: str, start: int, end: int, orgs: list[OrgRef]) -> OrgRef | None:
    """The gazetteer body named in brackets at the end of text[start:end] (…플랫폼(경찰청))."""
    tail = CLOSING_BRACKET.search(text[start:end])
    if not tail:
        return None
    a, b = start + tail.start(1), start + tail.end(1)
    return next(
        (o for o in orgs if o.iri is not None and o.span.start == a and o.span.end == b and is_agency(ex, o)),
        None,
    )


def owner_bracket(
    ex, text: str, start: int, end: int, orgs: list[OrgRef]
) -> tuple[OrgRef, list[tuple[str, Span]], int, int] | None:
    """A bracket opening or closing the item text[start:end] that names the item's body, perhaps
    with its units ("(OO공단) 제목", "제목(OO시 OO과)"): (the body, its units, and the start and end
    of what is left, the title), or None."""
    item = text[start:end]
    opening, closing = OPENING_BRACKET.match(item), CLOSING_BRACKET.search(item)
    for m, title_at in ((opening, lambda m: (start + m.end(), end)), (closing, lambda m: (start, start + m.start()))):
        if m is None:
            continue
        a, b = start + m.start(1), start + m.end(1)
        body = next(
            (o for o in orgs if o.iri is not None and o.span.start == a and o.span.end <= b and is_agency(ex, o)), None
        )
        if body is None:
            continue
        rest = text[body.span.end : b]
        names = bracket_units(ex, rest) if rest.strip() else []
        if names is None:
            continue
        units, at = [], body.span.end
        for name in names:
            at = text.find(name, at)
            units.append((name, Span(at, at + len(name), name)))
            at += len(name)
        t_start, t_end = title_at(m)
        if text[t_start:t_end].strip():
            return body, units, t_start, t_end
    return None


def item_marks(ex, text: str, s: Sentence, real: list, orgs: list[OrgRef]) -> list[tuple[int, int]]:
    """Where the sentence's list items begin, (start, end) of their mark in the sentence: its list
    markers (▲ …), and after a marker the commas that part items each naming its body in brackets
    ("▲최우수: (가시) 제목, (나군) 제목")."""
    out = []
    for i, m in enumerate(real):
        out.append((m.start(), m.end()))
        end = real[i + 1].start() if i + 1 < len(real) else len(s.text)
        seg = s.text[m.end() : end]
        depth, straight, commas = 0, set(), []  # the commas outside brackets and quotes
        for j, ch in enumerate(seg):
            if ch in "([（【‘“「『":
                depth += 1
            elif ch in ")]）】’”」』":
                depth = max(0, depth - 1)
            elif ch in "'\"":
                straight ^= {ch}
            elif ch in ",，" and depth == 0 and not straight:
                commas.append(m.end() + j)
        if not commas:
            continue
        bounds = [m.end(), *commas, end]
        head = ex.lex.grade_pattern.match(seg)
        first = m.end() + (head.end() + len(re.match(r"\s?[-–:·]?\s?", seg[head.end() :]).group()) if head else 0)
        parts = [(first if k == 0 else a + 1, b) for k, (a, b) in enumerate(zip(bounds, bounds[1:]))]
        if all(owner_bracket(ex, text, s.start + a, s.start + b, orgs) for a, b in parts):
            out.extend((c, c + 1) for c in commas)
    return out


def listed_bodies(ex, text: str, start: int, end: int, orgs: list[OrgRef]) -> list[OrgRef]:
    """The bodies text[start:end] lists and nothing else (after a grade heading it, perhaps with its
    prize in brackets: "최우수(대통령표창) 가부·나공단·다시"): two or more, else none."""
    grade = ex.lex.grade_pattern.pattern
    head = re.match(f"\\s?(?:{grade})?\\s?(?:[(（][^()（）]{{1,15}}[)）])?[\\s:-]*", text[start:end])
    bodies, gaps = bodies_in_row(text, start + head.end(), end, orgs)
    decide = ex.cfg["decide"]
    if len(bodies) < 2 or not all(is_agency(ex, o) for o in bodies) or \
            any(not re.fullmatch(decide["body_list_separator"], gap) for gap in gaps[:-1]) or \
            not re.fullmatch(decide["body_list_end"], gaps[-1]):
        return []
    return bodies


def rule_candidates(ex, doc: Document, sents: list[Sentence], orgs: list[OrgRef]) -> list[Candidate]:
    """Case titles the rules propose, in this order: list items (▲ △ ◇ …), quoted titles in sentences
    that select or award, unquoted grade phrases, titles that earned a grade by their means, bodies
    awarded by name, card-news headings. A generator skips what an earlier one proposed."""
    text = doc.text
    out: list[Candidate] = []
    tables = find_tables(text, ex.cfg["tables"])
    table_candidates(ex, text, sents, orgs, tables, out)
    ruled = len(out)
    list_candidates(ex, text, sents, orgs, out)
    quote_candidates(ex, text, sents, orgs, out)
    phrase_candidates(ex, sents, out)
    means_candidates(ex, text, sents, orgs, out)
    awarded_candidates(ex, text, sents, orgs, out)
    card_candidates(ex, text, sents, orgs, out)
    # a table of cases is read row by row: no other generator reads its lines
    blocks = [(t.start, t.end) for t in tables]
    return out[:ruled] + [
        c for c in out[ruled:]
        if not any(a <= (c.span.start if c.span else c.sentence.start) < b for a, b in blocks)
    ]


def table_candidates(
    ex, text: str, sents: list[Sentence], orgs: list[OrgRef], tables: list[Table], out: list[Candidate]
) -> None:
    """One candidate per row of a table of cases (``loaders.tablerows``): its title cell, the body of
    its agency cell, its unit, grade and place; the row is its scope."""
    for table in tables:
        for row in table.rows:
            cell = row.cells["title"]
            title = clean_title(ex, cell.text)
            if not title:
                continue
            tstart = text.find(title, cell.start, cell.end)
            span = Span(tstart, tstart + len(title), title) if tstart >= 0 else cell
            sentence = next((x for x in sents if x.start <= cell.start < x.end), None) or Sentence(
                row.start, row.end, text[row.start : row.end], text.count("\n", 0, row.start)
            )
            agency = None
            if "agency" in row.cells:
                a_cell = row.cells["agency"]
                agency = next(
                    (o for o in orgs if a_cell.start <= o.span.start and o.span.end <= a_cell.end
                     and (o.iri is not None or is_agency(ex, o))),
                    None,
                )
            depts = [(row.cells["department"].text, row.cells["department"])] if "department" in row.cells else []
            grade, gspan = grade_in(ex, row.cells["grade"].text, row.cells["grade"].start) if "grade" in row.cells \
                else (None, None)
            rank = row.cells.get("rank")
            if grade is None and rank is not None:  # a rank column of tier words (순위: 대상, 최우수 …)
                grade, gspan = grade_in(ex, rank.text, rank.start)
            cand = Candidate(title, span, sentence, agency=agency, grade=grade, grade_span=gspan,
                             departments=depts, origin="table")
            if rank is not None and re.fullmatch(ex.cfg["tables"]["rank_cell"], rank.text):
                cand.place = int(re.match(r"\d+", rank.text).group())
            cand.scope = [(row.start, row.end)]
            out.append(cand)


def list_candidates(ex, text: str, sents: list[Sentence], orgs: list[OrgRef], out: list[Candidate]) -> None:
    """List items of a sentence that lists practices (a cue or a grade near it; not a list of criteria):
    each item's title, grade, units and the body heading it."""
    win = ex.cfg["windows"]
    c = ex.cfg["cases"]
    selfref = "|".join(ex.grammar["self_reference"])
    head_units = re.compile(r"\s*(?:(?:" + selfref + r")\s+|(" + ex.lex.unit_pattern.pattern + r")\s+)")
    tail_words = "|".join(c["item_tail_words"]) + "|" + ex.lex.grade_alternation
    item_heads = ex.cfg["awards"]["grade_heads"] + r"|^\s?에\s"  # "▲우수에 …" too
    for s in sents:
        real = list_markers(ex, s.text)
        if not real:
            continue
        window = text[max(0, s.start - win["list_cue_before"]) : s.end]
        cued = any(re.search(p, window) for p in c["list_cues"]) or ex.lex.grade_pattern.search(s.text)
        if criteria_list(ex, s.text, real) or not cued:
            continue
        sentence_grade = (None, None)
        marks = item_marks(ex, text, s, real, orgs)
        for i, (mark_start, mark_end) in enumerate(marks):
            end = marks[i + 1][0] if i + 1 < len(marks) else len(s.text)
            seg = s.text[mark_end:end]
            seg_start = s.start + mark_end
            quotes = quoted(ex, Sentence(seg_start, seg_start + len(seg), seg, s.line))
            after_quote = text[quotes[0].end + 1 : s.start + end] if quotes else ""
            if quotes and (
                re.match(ex.cfg["cases"]["title_goes_on"], after_quote)
                or re.match(ex.cfg["cases"]["category_after"], after_quote)
            ):
                quotes = []  # "△허위인건비 피해방지를 위한 「근로사실확인 알림톡」 신설": the item is the title
            raw = quotes[0].text if quotes else seg
            raw_start = quotes[0].start if quotes else seg_start
            item_agency = None
            # "◇대상-경기도 김포시 ‘…’": a grade heading, then the body, then the title
            head = ex.lex.grade_pattern.match(seg)
            body_start, head_grade = seg_start, (None, None)
            if head and re.match(r"\s?[-–:·]\s?", seg[head.end() :]):
                body_start = seg_start + head.end() + len(re.match(r"\s?[-–:·]\s?", seg[head.end() :]).group())
                head_grade = grade_in(ex, head.group(), seg_start)
            owned = None if quotes else owner_bracket(ex, text, body_start, seg_start + len(seg), orgs)
            if owned is not None:  # "▲(OO공단) 제목", "▲제목(OO시 OO과)": the body in brackets
                item_agency, raw_start = owned[0], owned[2]
                raw = text[owned[2] : owned[3]]
            lead_org = None if owned is not None else next(
                (
                    o
                    for o in orgs
                    if body_start <= o.span.start <= body_start + 1
                    and o.iri is not None
                    and is_actor(ex, o, text)
                    and not re.match(c["partner_after"], text[o.span.end : o.span.end + win["list_partner_after"]])
                    and (not quotes or o.span.end <= quotes[0].start)
                ),
                None,
            )
            if lead_org is not None:
                item_agency = lead_org
                rest = text[lead_org.span.end : s.start + end]
                pm = re.match(r"\s?[(（]([^()（）]{4,90})[)）]", rest)
                if pm and not quotes:
                    raw = pm.group(1)
                    raw_start = lead_org.span.end + pm.start(1)
                elif not quotes:  # "▲보령시 충남 최초 공영장례 …": the body heads the item, the rest is the title
                    raw = text[lead_org.span.end : s.start + end]
                    raw_start = lead_org.span.end
            lead_units: list[tuple[str, Span]] = []
            if not quotes:
                # "▲도 토지관리과 하늘에서 …": the government itself (도, 시) and its units head the item
                while True:
                    hm = head_units.match(raw)
                    if not hm or not hm.group(1) and hm.end() == len(raw):
                        break
                    if hm.group(1):
                        unit = hm.group(1)
                        and_pair = re.match(ex.cfg["units"]["kwa_pair"], raw[hm.end(1) :])
                        if unit.endswith(ex.cfg["units"]["and_suffix"]) and and_pair:
                            break  # "▲노점상인과 청년, …": the item's title, not a unit
                        lead_units.append((unit, Span(raw_start + hm.start(1), raw_start + hm.end(1), unit)))
                    raw, raw_start = raw[hm.end() :], raw_start + hm.end()
            prev_end = marks[i - 1][1] if i else 0
            lead = s.text[prev_end:mark_start][-win["list_grade_before"] :]
            grade, gspan = grade_in(ex, lead, s.start + mark_start - len(lead))
            if grade is None and i:
                grade, gspan = sentence_grade
            seg_grade, seg_gspan = grade_in(ex, seg[: win["list_grade_head"]], seg_start)
            if (
                seg_grade
                and seg_gspan.start - seg_start <= 1
                and (not quotes or re.match(item_heads, text[seg_gspan.end :]))
            ):
                grade, gspan = seg_grade, seg_gspan
            trailing = re.search(f"[(（]\\s?({ex.lex.grade_pattern.pattern})\\s?[)）][^()（）]{{0,12}}$", seg)
            if trailing:  # "△‘…’(최우수)": the grade follows its item
                grade, gspan = grade_in(ex, trailing.group(1), seg_start + trailing.start(1))
            if head_grade[0]:
                grade, gspan = head_grade
            sentence_grade = (grade, gspan)
            depts = list(lead_units) + (owned[1] if owned is not None else [])
            listed = [] if quotes or item_agency else listed_bodies(ex, text, raw_start, raw_start + len(raw), orgs)
            for body in listed:  # "△최우수(대통령표창) 가부·나공단": each body awarded, no practice named
                cand = Candidate("", None, s, agency=body, grade=grade, grade_span=gspan, origin="list")
                cand.scope = [(seg_start, s.start + end)]
                out.append(cand)
            if listed:
                continue
            pm = re.search(r"\(([^()]{2,30})\)\s*(?:[,，]?\s*(?:" + tail_words + r").*)?$", raw)
            # "…(재무과)", "…(세무2과 홍길동 주무관)", "…(도 소상공인기업과)", "…(농업기술원 기술지원조정과)":
            # the item's own units
            units = bracket_units(ex, pm.group(1)) if pm else None
            if units:
                for unit in units:
                    ustart = raw_start + pm.start(1) + pm.group(1).find(unit)
                    depts.append((unit, Span(ustart, ustart + len(unit), unit)))
                raw = raw[: pm.start()]
            title = clean_title(ex, raw)
            if i + 1 < len(marks):
                title = strip_conjunction(
                    title, ex.grammar["conjunctions"], ex.grammar["conjunction_syllable"]
                )  # "▲A 운영과 ▲B"
            title = re.sub(r",?\s*(?:" + ex.lex.grade_alternation + r")\s*$", "", title).strip(" ,")
            person = ex.cfg["units"]["person_after"] + r"(?:\s?등.*)?"
            if depts and re.fullmatch(person, raw.strip()):
                title = ""  # "△관광과 홍길동 팀장": a unit and a person awarded, no practice named
            elif not is_title_like(ex, title):
                continue
            tstart = text.find(title, raw_start) if title else -1
            span = Span(tstart, tstart + len(title), title) if tstart >= 0 else None
            cand = Candidate(
                title, span, s, agency=item_agency, grade=grade, grade_span=gspan, departments=depts, origin="list"
            )
            cand.scope = [(seg_start, s.start + end)]
            out.append(cand)


def quote_candidates(ex, text: str, sents: list[Sentence], orgs: list[OrgRef], out: list[Candidate]) -> None:
    """Quoted titles in sentences that select or award (or follow one that does), not speech,
    categories or means; each quote's scope narrowed to its own clause."""
    win = ex.cfg["windows"]
    c = ex.cfg["cases"]
    lines_seen = set()
    for s0 in sents:
        if s0.line in lines_seen:
            continue
        lines_seen.add(s0.line)
        line_sents = [x for x in sents if x.line == s0.line]
        whole = Sentence(
            line_sents[0].start, line_sents[-1].end, text[line_sents[0].start : line_sents[-1].end], s0.line
        )
        speeches = [(m.start(), m.end()) for m in re.finditer(r"“[^“”\n]{4,400}”", text[whole.start : whole.end])]
        speeches = [(whole.start + a, whole.start + b) for a, b in speeches]
        for q in quoted(ex, whole):  # a quote may hold a full stop ("A.I. 푸드스캐너")
            s = next(x for x in line_sents if x.start <= q.start < x.end or x is line_sents[-1])
            s = Sentence(s.start, max(s.end, q.end), text[s.start : max(s.end, q.end)], s.line)
            prev = [x for x in line_sents if x.end <= s.start]
            # "최우수상 수상작은 … 선정됐다. 양산시는 ‘…’으로 …": the sentence before awards
            awarded_before = bool(prev) and ex.lex.grade_pattern.search(prev[-1].text) is not None
            cued = any(cue in s.text for cue in c["cues"])
            if not cued and not awarded_before:
                continue
            title = clean_title(ex, q.text)
            if not is_title_like(ex, title) or is_speech(ex, text, q.end):
                continue
            if re.search(c["speech_inside"], q.text):
                continue
            if re.match(c["category_after"], text[q.end + 1 : q.end + win["quote_category_after"]]):
                continue  # ‘적극행정’ 분야에서: a contest category, not a practice
            if re.match(c["not_title_after"], text[q.end + 1 : q.end + win["quote_not_title_after"]]):
                continue  # ‘…’을 활용한, ‘…’를 실현하기 위해: a means or a goal, not a practice
            if any(a < q.start and q.end < b and is_speech(ex, text, b - 1) for a, b in speeches):
                continue  # “… ‘사람과 자연이 행복한 제주’를 만들겠다”며: inside someone's words
            if any(x.span and x.span.start <= q.start < x.span.end + 2 for x in out):
                continue
            grade, gspan = grade_of_quote(ex, s, q)
            own = re.search(f"[(（]\\s?({ex.lex.grade_pattern.pattern})\\s?[)）]\\s*$", q.text)
            if own:  # ‘…서비스 구현(최우수)’: the grade closes the title itself
                grade, gspan = grade_in(ex, own.group(1), q.start + own.start(1))
                title = clean_title(ex, q.text[: own.start()])
            if grade is None:
                grade, gspan = grade_in(ex, text[q.end : s.end][: win["quote_grade_after"]], q.end)
            if grade is None:
                before = text[s.start : q.start][-win["quote_grade_before"] :]
                grade, gspan = grade_in(ex, before, q.start - len(before))
            if grade is None and awarded_before and not cued:
                grade, gspan = grade_in(ex, prev[-1].text, prev[-1].start)  # the grade the sentence before gives
            cand = Candidate(title, Span(q.start, q.end, q.text), s, grade=grade, grade_span=gspan, origin="quote")
            owner = bracketed_agency(ex, text, q.start, q.end, orgs)
            if owner is not None:  # ‘… 분석(우정사업본부)’: the body in brackets ending the title
                cand.agency = owner
                cand.title = clean_title(ex, text[q.start : owner.span.start - 1])
            um = re.search(r"[(（]([^()（）]{2,24})[)）]\s*$", q.text)
            if um:  # ‘…해결(건축과)’, ‘…찾아내다! (대구시 복지정책과)’: the unit, and its body
                inner, ustart = um.group(1).strip(), q.start + um.start(1)
                head = next((o for o in orgs if o.span.start == ustart and o.iri is not None), None)
                unit = inner[len(head.span.text) :].strip() if head else inner
                if ex.lex.unit_pattern.fullmatch(unit):
                    at = text.find(unit, ustart)
                    cand.departments.append((unit, Span(at, at + len(unit), unit)))
                    cand.title = clean_title(ex, q.text[: um.start()])
                    if head is not None and is_agency(ex, head):
                        cand.agency = head
            cand.scope = [(s.start, s.end)]
            out.append(cand)
    clause_scopes(ex, text, [c for c in out if c.origin == "quote"])


def phrase_candidates(ex, sents: list[Sentence], out: list[Candidate]) -> None:
    """Unquoted grade phrases: 최우수 사례에는 X가 선정됐다 / 우수 사례로는 X, Y를 선정."""
    c = ex.cfg["cases"]
    gw = ex.lex.grade_alternation
    phrase = re.compile(c["award_phrase"].replace("{grades}", gw))
    for s in sents:
        for m in phrase.finditer(s.text):
            body, body_start = m.group(2), s.start + m.start(2)
            if quoted(ex, Sentence(body_start, body_start + len(body), body, s.line)):
                continue
            if len(re.findall(ex.lex.marker_class, body)) >= 2:
                continue  # "장려상에는 △A △B": the list items are the cases
            pos = 0
            for piece in re.split(r",\s|，\s?", body):
                pstart = body_start + body.find(piece, pos)
                pos = body.find(piece, pos) + len(piece)
                title = clean_title(ex, piece)
                if not is_title_like(ex, title) or title.startswith(tuple(c["not_title_starts"])):
                    continue
                cand = Candidate(
                    title,
                    Span(pstart, pstart + len(piece), piece),
                    s,
                    grade=m.group(1),
                    grade_span=Span(s.start + m.start(1), s.start + m.end(1), m.group(1)),
                    origin="phrase",
                )
                cand.scope = [(s.start, s.end)]
                out.append(cand)


def means_candidates(ex, text: str, sents: list[Sentence], orgs: list[OrgRef], out: list[Candidate]) -> None:
    """"A으로 제안실행 부문 최우수상, B로 우수상을 받았다": unquoted titles that earned a grade."""
    c = ex.cfg["cases"]
    gw = ex.lex.grade_alternation
    by_means = re.compile(c["award_by_means"].replace("{grades}", gw))
    subject_mark = r"^\s?(?:" + "|".join(map(re.escape, ex.grammar["subject_markers"])) + r")?\s"
    award_verb = re.compile(ex.cfg["cases"]["award_verbs"])
    for s in sents:
        if not award_verb.search(s.text) or quoted(ex, s):
            continue
        pos = 0
        for piece in re.split(r",\s", s.text):
            pstart = s.start + s.text.find(piece, pos)
            pos = s.text.find(piece, pos) + len(piece)
            m = by_means.match(piece)
            if not m:
                continue
            title = clean_title(ex, m.group("title"))
            lead = next((o for o in orgs if o.span.start == pstart + m.start("title") and o.iri is not None), None)
            if lead is not None:  # "강서구는 A로 …": the subject heads the piece
                rest = text[lead.span.end : pstart + m.end("title")]
                title = clean_title(ex, re.sub(subject_mark, "", rest))
                if len(title) < 6:
                    continue
            title = clean_title(ex, re.sub(c["means_title_cut"], "", title))
            if not is_title_like(ex, title) or any(x.span and x.span.start <= pstart < x.span.end for x in out):
                continue
            tstart = text.find(title, pstart)
            gstart = pstart + m.start("grade")
            cand = Candidate(
                title,
                Span(tstart, tstart + len(title), title) if tstart >= 0 else None,
                s,
                agency=lead,
                grade=m.group("grade"),
                grade_span=Span(gstart, gstart + len(m.group("grade")), m.group("grade")),
                origin="phrase",
            )
            cand.scope = [(pstart, pstart + len(piece))]
            out.append(cand)


def awarded_candidates(ex, text: str, sents: list[Sentence], orgs: list[OrgRef], out: list[Candidate]) -> None:
    """Bodies awarded by name without a practice title: "목포시, 화순군이 우수상을 받았다"."""
    award_verb = re.compile(ex.cfg["cases"]["award_verbs"])
    conjunction = r"\s?(?:" + "|".join(ex.grammar["conjunctions"]) + r")\s"
    for s in sents:
        if not award_verb.search(s.text):
            continue
        sent_orgs = [
            o
            for o in orgs
            if s.start <= o.span.start < s.end
            and o.iri is not None
            and is_agency(ex, o)
            and is_actor(ex, o, text)
        ]
        inside = [(q.start - 1, q.end + 1) for q in quoted(ex, s)]
        mentions = grade_mentions(ex, s)
        titled = [c for c in out if c.span is not None and c.sentence.start == s.start]
        graded: dict[int, re.Match] = {}
        for o in sorted(sent_orgs, key=lambda o: -o.span.start):
            if any(a <= o.span.start < b for a, b in inside):
                continue
            # the owner of a quoted title next to it ("X의 ‘…’", "‘…’를 발표한 X") is that case's agency
            reach = ex.cfg["windows"]["quote_owner"]
            if any(-2 <= c.span.start - o.span.end <= reach or -2 <= o.span.start - c.span.end <= reach
                   for c in titled):
                continue
            grade_m = None
            after = [m for m in mentions if s.start + m.start() >= o.span.end]
            if after and not heads(ex, s, after[0]):
                between = text[o.span.end : s.start + after[0].start()]
                if re.fullmatch(ex.cfg["cases"]["awarded_before_grade"], between):
                    grade_m = after[0]  # "목포시, 화순군이 우수상을 받았다"
            if grade_m is None:
                headings = [m for m in mentions if s.start + m.end() <= o.span.start and heads(ex, s, m)]
                between = text[s.start + headings[-1].end() : o.span.start] if headings else ""
                if headings and re.fullmatch(ex.cfg["cases"]["awarded_after_heading"], between):
                    grade_m = headings[-1]  # "장려상은 원주시, 영월군, 정선군이 차지했다"
            if grade_m is None and re.match(conjunction, text[o.span.end : o.span.end + 3]):
                # "…을 차단한 관세청과 …을 운영한 서울특별시가 최우수상을": the next body's grade
                later = [x for x in sent_orgs if x.span.start > o.span.end]
                nxt = min(later, key=lambda x: x.span.start, default=None)
                m2 = graded.get(id(nxt)) if nxt is not None else None
                if m2 is not None and not any(o.span.end <= s.start + m.start() < nxt.span.start for m in mentions):
                    grade_m = m2
            if grade_m is None:
                continue
            graded[id(o)] = grade_m
            if any(c.sentence.start == s.start and c.agency is not None and c.agency.iri == o.iri for c in out):
                continue
            grade, gspan = grade_in(ex, grade_m.group(), s.start + grade_m.start())
            cand = Candidate("", None, s, agency=o, grade=grade, grade_span=gspan, origin="awarded")
            cand.scope = [(o.span.start, o.span.end)]
            out.append(cand)


def card_candidates(ex, text: str, sents: list[Sentence], orgs: list[OrgRef], out: list[Candidate]) -> None:
    """Card news: an agency alone on its line, its practice on the next lines (or a table of them)."""
    text_lines = lines(text)
    card_heads = []
    for i, (ls, le, line) in enumerate(text_lines):
        stripped = line.strip()
        hit = [o for o in orgs if o.span.start >= ls and o.span.end <= le and o.iri is not None]
        if hit and len(normalise(stripped)) <= len(normalise(hit[0].span.text)) + 1:
            card_heads.append((i, hit[0]))
    # "◇ OO시 – 제목": the body and its practice's title share the heading line
    markers = ex.cfg["cases"]["markers"]
    titled_heads = []
    known = [o for o in orgs if o.iri is not None]
    spans = sorted((o.span.start, o.span.end) for o in known)
    for i, (ls, le, line) in enumerate(text_lines):
        head = ls + len(line) - len(line.lstrip(" " + markers))
        start = after_heading_body(text, head, le, spans, ex.cfg["generate"]["item_body_gap"])
        if start > head:  # the body heading the line (the last of 경상북도 안동시) leads its case
            org = max((o for o in known if head <= o.span.start and o.span.end < start), key=lambda o: o.span.end)
            titled_heads.append((i, org, start))
    if len(titled_heads) >= 2 and len(card_heads) < 2:
        for k, (i, org, start) in enumerate(titled_heads):
            nxt = titled_heads[k + 1][0] if k + 1 < len(titled_heads) else len(text_lines)
            ls, le, line = text_lines[i]
            title = clean_title(ex, text[start:le])
            if not is_title_like(ex, title):
                continue
            tstart = text.find(title, start, le)
            s = next((x for x in sents if x.start <= ls < x.end), Sentence(ls, le, line, i + 1))
            cand = Candidate(title, Span(tstart, tstart + len(title), title), s, agency=org, origin="card")
            cand.scope = [(ls, text_lines[nxt - 1][1])]
            out.append(cand)
    if len(card_heads) >= 2:
        for k, (i, org) in enumerate(card_heads):
            nxt = card_heads[k + 1][0] if k + 1 < len(card_heads) else len(text_lines)
            body = [ln for ln in text_lines[i + 1 : nxt] if ln[2].strip()]
            if not body:
                continue
            rows = table_rows(ex, body)
            if rows:  # a table under the body: one row (unit, then title) per case
                for r, (unit, (ls, le, line), place) in enumerate(rows):
                    end = rows[r + 1][0][1].start if r + 1 < len(rows) else text_lines[nxt - 1][1]
                    s = next((x for x in sents if x.start <= ls < x.end), Sentence(ls, le, line, i + 1))
                    cand = Candidate(clean_title(ex, line), Span(ls, le, line), s, agency=org, origin="card")
                    cand.departments, cand.place = [unit], place
                    cand.scope = [(ls, end)]
                    out.append(cand)
                continue
            ls, le, line = body[0]
            quotes = quoted(ex, Sentence(ls, le, line, i + 1))
            title = clean_title(ex, quotes[0].text if quotes else line)
            if len(title) > ex.cfg["cases"]["max_title"]:
                continue  # a paragraph of running text, not a card's title
            span = quotes[0] if quotes else Span(ls, le, line)
            s = next((x for x in sents if x.start <= ls < x.end), Sentence(ls, le, line, i + 1))
            cand = Candidate(title, span, s, agency=org, origin="card")
            cand.scope = [(text_lines[i][0], text_lines[nxt - 1][1])]
            out.append(cand)


def table_rows(
    ex, body: list[tuple[int, int, str]]
) -> list[tuple[tuple[str, Span], tuple[int, int, str], int | None]]:
    """Rows of a table laid out one cell a line: a unit alone on its line, then the case's title,
    then maybe its place (3, "9 표창 …")."""
    rows = []
    for k, ((us, _ue, unit_line), (ls, le, line)) in enumerate(zip(body, body[1:])):
        unit = unit_line.strip()
        title = clean_title(ex, line)
        if is_unit_word(ex, unit, loose=True) and is_title_like(ex, title) and not is_unit_word(ex, title):
            at = us + unit_line.find(unit)
            pm = re.match(r"\s*(\d{1,2})(?!\d)", body[k + 2][2]) if k + 2 < len(body) else None
            rows.append(((unit, Span(at, at + len(unit), unit)), (ls, le, line), int(pm.group(1)) if pm else None))
    return rows if len(rows) >= 2 else []


def proposals(
    ex, text: str, sents: list[Sentence], cands: list[Candidate], orgs: list[OrgRef]
) -> list[Candidate]:
    """Name-shaped spans the rules did not propose (``loaders.generate``), as candidates."""
    cfg = dict(ex.cfg["generate"], quotes=ex.cfg["cases"]["quotes"] | ex.cfg["generate"]["more_quotes"])
    taken = {(c.span.start, c.span.end) for c in cands if c.span is not None}
    titles = {c.title for c in cands}
    out = []
    bodies = [(o.span.start, o.span.end) for o in orgs if o.span is not None]
    subject = tuple(ex.grammar["subject_markers"])
    for p in propose(text, cfg, bodies):
        if (p.start, p.end) in taken:
            continue
        unit = ex.lex.unit_pattern.match(text, p.start) if p.origin == "gen-phrase" else None
        if unit and text.startswith(subject, unit.end()) and unit.end() < p.end:
            continue  # "…는 OO과가 사업을 맡아 …": a clause whose subject is a unit, not a name
        sentence = next((x for x in sents if x.start <= p.start < x.end), None)
        if sentence is None:
            continue
        title = clean_title(ex, p.text(text))
        if title and title not in titles:
            out.append(Candidate(title, Span(p.start, p.end, p.text(text)), sentence, origin=p.origin))
    return out


def document_case(ex, text: str, sents: list[Sentence], main: OrgRef) -> Candidate | None:
    """A document about one practice that no list or award phrase names: its first quoted
    title, else its headline."""
    titles = [
        (q, s)
        for s in sents
        for q in quoted(ex, s)
        if is_title_like(ex, clean_title(ex, q.text)) and not is_speech(ex, text, q.end)
    ]
    if titles:
        q, s = titles[0]
        cand = Candidate(clean_title(ex, q.text), q, s, agency=main, origin="document")
    else:
        headline = next((s for s in sents if len(s.text.strip()) >= 6), None)
        if headline is None:
            return None
        title = re.sub(r"\s*[(\[][^()\[\]]*[)\]]\s*$", "", headline.text.strip())
        if len(title) > ex.cfg["windows"]["headline_title"] or re.search(r"다\.?$", title):
            title = ""  # a sentence, not a name: the case stays untitled rather than quote it
        start = text.find(title, headline.start) if title else -1
        span = Span(start, start + len(title), title) if start >= 0 else None
        cand = Candidate(title, span, headline, agency=main, origin="document")
    cand.scope = [(0, len(text))]
    cand.grade, cand.grade_span = grade_in(ex, text, 0)
    return cand


def worth_a_case(ex, text: str) -> bool:
    """The document speaks of a prize or a technology, so it may tell a practice of its own."""
    return bool(ex.lex.grade_pattern.search(text) or any(p.search(text) for _, p in ex.lex.technology_patterns))
