"""Facts: what a case's scope holds — its units (written next to its title, in its scope, units of
its lead body), technologies, beneficiary groups, partners (organisations next to a collaboration
word), metrics (``loaders.metrics``) and problem and intervention statements. Words and patterns
come from the lexicon ([units], [technology], [beneficiaries], [orgs], [statements]) and the SKOS
vocabularies."""
from __future__ import annotations

from rdflib import URIRef

from adminkg.namespaces import ORG

from .. import regex as re
from ..metrics import find_metrics
from ..records import MetricRecord, OrgRef, Span
from .analysis import Candidate
from .orgs import ancestors, as_agency, bracket_units, is_unit_word


def technologies(
    ex, parts, inherited: dict[str, Span] | None = None, others: list[Span] | None = None
) -> list[tuple[str, Span]]:
    """Technologies named in the case's scope, but not those inside another case's title
    (a list sentence tells several cases), nor negated ones (앱 설치 없이), nor those of a
    sentence about the contest or the spreading of its cases rather than the practice."""
    out: dict[str, Span] = dict(inherited or {})
    cfg = ex.cfg["technology"]
    foreign = [(o.start, o.end) for o in others or []]
    for base, chunk in parts:
        for code, pattern in ex.lex.technology_patterns:
            if code in out:
                continue
            for m in pattern.finditer(chunk):
                start, end = base + m.start(), base + m.end()
                if not m.group() or any(a <= start < b for a, b in foreign):
                    continue
                if re.match(cfg["negated_after"], chunk[m.end() : m.end() + ex.cfg["windows"]["technology_negation"]]):
                    continue
                head = max(chunk.rfind(c, 0, m.start()) for c in ".\n") + 1
                tails = [i for i in (chunk.find(c, m.end()) for c in ".\n") if i >= 0]
                if re.search(cfg["meta_sentence"], chunk[head : min(tails, default=len(chunk))]):
                    continue
                out[code] = Span(start, end, m.group())
                break
    return sorted(out.items())


def beneficiaries(
    ex, parts, title_span: Span | None = None, modifier: tuple[int, str] | None = None, others=()
) -> list[tuple[URIRef, str, Span]]:
    """Groups named in the title, in the words just before it (*modifier*), or in a scope sentence
    that says the practice is for them (not one about the contest, nor another case's modifier in
    *others*). A group name counts as a whole word only, and not where the group takes part;
    generic groups (residents, staff) only from the title, or residents where the sentence serves them."""
    by_label = ex.lex.beneficiary_pattern[1]
    cfg = ex.cfg["beneficiaries"]
    generic = ex.lex.generic_beneficiaries
    ends = f"(?:{cfg['after']}|{'|'.join(cfg['compounds'])})"
    out, seen = [], set()
    chunks = [(title_span.start, title_span.text, True)] if title_span else []
    if modifier is not None and any(cue in modifier[1] for cue in cfg["cues"]):
        chunks.append((modifier[0], modifier[1], False))
    for base, chunk in parts:
        for m in re.finditer(r"[^.\n]+", chunk):
            if any(a <= base + m.start() < b or a < base + m.end() <= b for a, b in others):
                continue
            names_case = title_span is not None and base + m.start() <= title_span.start < base + m.end()
            about_contest = any(w in m.group() for w in cfg["about_contest"]) and not names_case
            if any(cue in m.group() for cue in cfg["cues"]) and not about_contest:
                chunks.append((base + m.start(), m.group(), False))
    for base, chunk, in_title in chunks:
        for m in ex.lex.beneficiary_labels.finditer(chunk):
            label = m.group()
            start = base + m.start()
            fused = chunk[: m.start()].endswith(cfg["before_not"])
            if fused or not re.match(ends, chunk[m.end() :]) or re.match(cfg["agent_after"], chunk[m.end() :]):
                continue
            served = (
                by_label[label] in ex.lex.served_generic
                and not any(w in chunk for w in cfg["speech"])
                and re.match(cfg["generic_served"], chunk[m.end() :])
            )
            if label in seen or (by_label[label] in generic and not in_title and not served):
                continue
            seen.add(label)
            out.append((by_label[label], label, Span(start, start + len(label), label)))
    return out


def departments(
    ex, parts, agency: OrgRef | None, text: str | None = None, orgs: list[OrgRef] | None = None
) -> list[tuple[str, Span]]:
    """Units named in the scope (the lexicon's unit forms), not stop words, not a unit of another
    body named before it, not a gazetteer body, not "X과" meaning "X and"."""
    win = ex.cfg["windows"]
    stop = set(ex.cfg["units"]["stopwords"])
    out, seen = [], set()
    for base, chunk in parts:
        for m in ex.lex.unit_pattern.finditer(chunk):
            name = m.group()
            if name in stop or re.search(ex.cfg["units"]["not_unit_ending"], name):
                continue
            if other_bodys_unit(ex, base + m.start(), agency, orgs or []):
                continue
            # what follows in the text, not in the scope (a scope may end right after "…운영과")
            end = base + m.end()
            follows = text[end : end + win["unit_follows"]] if text is not None else chunk[m.end() :]
            joined = name[-1] in ex.grammar["conjunctions"] and body_and(ex, name[:-1], follows)
            if ex.lex.gazetteer.lookup(name) or joined:
                continue
            if kwa_is_and(ex, name, follows):
                continue
            if name not in seen:
                seen.add(name)
                out.append((name, Span(base + m.start(), base + m.end(), name)))
    return out


def body_and(ex, stem: str, follows: str) -> bool:
    """"stem과" is a body's name and 과 ("진흥원과의 협업"); a company-like stem (교통건설, 정보통신) is
    a division's name unless a particle follows (교통건설과 홍길동 주무관 / 대한건설과의 협약)."""
    if ex.lex.gazetteer.lookup(stem):
        return True
    forms = [cls for p, cls, _sector in ex.lex.form_patterns if p.fullmatch(stem)]
    if forms and all(cls == "Company" for cls in forms):
        return bool(re.match(f"[{ex.grammar['particles']}]", follows))
    return bool(forms)


def kwa_is_and(ex, name: str, follows: str) -> bool:
    """"X과" followed by *follows* is "X and", not a division."""
    return name.endswith(ex.cfg["units"]["and_suffix"]) and bool(
        # a stem like 성과/결과 makes "X과" "X and" unless a particle or bracket follows
        (
            re.search(ex.cfg["units"]["particle_stem"], name[:-1])
            and not re.match(ex.cfg["units"]["kwa_stem_followers"], follows)
        )
        or not re.match(ex.cfg["units"]["kwa_followers"], follows)
        or len(name) < 3
        or name[:-1] in ex.lex.beneficiary_pattern[1]
        or name[:-1] in ex.cfg["units"]["kwa_action_stems"]
        or re.search(ex.cfg["units"]["not_unit_ending"], name)
    )


def other_bodys_unit(ex, at: int, agency: OrgRef | None, orgs: list[OrgRef]) -> bool:
    """The unit at *at* follows the name of a body other than the agency or one of its units
    (제주도 소통혁신정책관 in a city's case): it is that body's."""
    if agency is None or agency.iri is None:
        return False
    before = next((o for o in orgs if at - 1 <= o.span.end <= at and o.span.start < at), None)
    if before is None or before.iri is None:
        return False
    return before.iri != agency.iri and agency.iri not in ancestors(ex, before.iri)


def adjacent_units(ex, text: str, cand: Candidate) -> list[tuple[str, Span]]:
    """Units written right next to the case's title: before it ("건축과 홍길동 주무관은 ‘…’",
    "위생과의 ‘…’"), or after it ("‘…’(관광과)", "‘…’의 토지정보과 홍길동 팀장", "‘…’를 기획한 X")."""
    win = ex.cfg["windows"]
    if cand.span is None:
        if cand.origin != "awarded" or not cand.scope:
            return []
        # a body awarded by name and its unit: "강원도 소방본부가 최우수상을"
        at = cand.scope[0][1]
        after = text[at : at + win["awarded_unit_after"]]
        um = re.match(rf"\s?([0-9가-힣]+?){ex.cfg['units']['adjacent_particles']}?(?=[\s,])", after)
        if um and is_unit_word(ex, um.group(1)):
            return [(um.group(1), Span(at + um.start(1), at + um.end(1), um.group(1)))]
        return []
    # the title's own mention first, then its other mentions (a lead names it, a later line its unit)
    starts = [cand.span.start] + [
        m.start() for m in re.finditer(re.escape(cand.span.text), text) if m.start() != cand.span.start
    ]
    for start in starts if len(cand.span.text) >= 6 else starts[:1]:
        line_start = text.rfind("\n", 0, start) + 1
        lo = cand.sentence.start if start == cand.span.start else line_start
        found = units_beside(ex, text, start, start + len(cand.span.text), max(lo, start - win["adjacent_before"]))
        if found:
            return found
    return []


def units_beside(ex, text: str, a: int, b: int, lo: int) -> list[tuple[str, Span]]:
    """The units written right before or after text[a:b] (from lo on)."""
    u = ex.cfg["units"]
    quotes = ex.cfg["cases"]["quotes"]
    opens, closes = re.escape("".join(quotes)), re.escape("".join(quotes.values()))
    particles = u["adjacent_particles"]
    person = rf"[가-힣]{{2,4}}\s?{u['adjacent_post']}"
    out: list[tuple[str, Span]] = []
    # before the title: [units] [person] [particle] ‘title’
    pre = re.sub(rf"\s*[{opens}]?\s*$", "", text[lo:a])
    pm = re.search(rf"(?:\s?[(（]\s?{person}\s?[)）]|\s{person})\s?{particles}?$", pre)
    team = (pm.group(1) or pm.group(2)) if pm else None
    end = pm.start() if pm else len(pre)
    while len(out) < 3:
        wm = re.search(r"([0-9A-Za-z가-힣]+)$", pre[:end])
        if not wm:
            break
        word = wm.group(1)
        if not out and not pm and not is_unit_word(ex, word, loose=True):
            word = re.sub(particles + "$", "", word)
        if not is_unit_word(ex, word, loose=True):
            break
        at = lo + wm.start(1)
        out.insert(0, (word, Span(at, at + len(word), word)))
        end = wm.start(1)
        if not pre[:end].endswith(" "):
            break  # a list marker, a quote or a comma heads the chain
        end -= 1
    if not out:
        # after the title: ‘title’(units), ‘title’의 units person, ‘title’를 기획한 units
        base = b + (1 if re.match(rf"[{closes}]", text[b : b + 1]) else 0)
        rest = text[base : base + ex.cfg["windows"]["adjacent_after"]]
        verbs, owner, obj = u["adjacent_verbs"], u["adjacent_owner"], u["adjacent_object"]
        bm = re.match(r"\s?[(（]([^()（）]{2,40})[)）]", rest)
        am = re.match(
            rf"\s?(?:{owner}\s+|{obj}\s+{verbs}\s+)((?:[^\s,()（）]+\s){{1,2}}?){person}", rest
        ) or re.match(rf"\s?{obj}\s+{verbs}\s+()([^\s,()（）]+?){particles}?(?=[\s,])", rest)
        names: list[str] = []
        if bm:
            names, at = bracket_units(ex, bm.group(1)) or [], base + bm.start(1)
            if any(ex.lex.gazetteer.lookup(n) for n in names):
                names = []  # "…(우정사업본부)": a body, not a unit
        elif am:
            names, at = (am.group(1) or am.group(2)).split(), base + am.start(1)
            team = am.group(2) if am.group(1) else None
            if not all(is_unit_word(ex, n, loose=True) for n in names):
                names = []
        for n in names:
            start = text.find(n, at)
            out.append((n, Span(start, start + len(n), n)))
    if not out:
        # the clause's subject is a unit and its person: "건축과 홍길동 주무관은 지자체 최초로 ‘…’"
        clause = pre.rfind(", ") + 1
        subject = rf"(?:^|\s)((?:[0-9가-힣]+\s){{1,2}}){person}\s?{u['adjacent_subject']}\s"
        subjects = list(re.finditer(subject, pre[clause:]))
        if subjects:
            sm = subjects[-1]
            names = sm.group(1).split()
            while names and not is_unit_word(ex, names[0], loose=True):
                names = names[1:]
            if names and all(is_unit_word(ex, n, loose=True) for n in names):
                at = lo + clause + sm.start(1)
                for n in names:
                    start = text.find(n, at)
                    out.append((n, Span(start, start + len(n), n)))
                team = sm.group(2)
    if out and team and ex.lex.unit_pattern.fullmatch(team) and team not in [n for n, _ in out]:
        start = text.find(team, out[-1][1].end)
        out.append((team, Span(start, start + len(team), team)))
    return out


def units_of(
    ex, agency: OrgRef | None, parts, orgs: list[OrgRef], fullest: dict[URIRef, str]
) -> list[tuple[str, Span]]:
    """Gazetteer units of the lead agency (a regional office, an 일반구) named in the scope, by the
    fullest name the document writes (인천세관 … 인천본부세관 → 인천본부세관)."""
    if agency is None or agency.iri is None:
        return []
    g = ex.lex.gaz_graph
    out: list[tuple[str, Span]] = []
    for base, chunk in parts:
        for o in orgs:
            if o.iri is None or not base <= o.span.start < base + len(chunk):
                continue
            name = fullest.get(o.iri, o.name)
            if g.value(o.iri, ORG.unitOf) == agency.iri and name not in [n for n, _ in out]:
                out.append((name, o.span))
    return out


def partners(
    ex, parts, orgs: list[OrgRef], agency: OrgRef | None, organisers: set, leaders: set | None = None
) -> list[tuple[OrgRef, str]]:
    """Organisations next to a collaboration word (협업, 협약, 손잡고 …), not organisers,
    parents, generic words, nor bodies leading other cases of the document. A collaboration word
    reaches every member of a list (A, B, C 등과 협력), a hyphen pairs two bodies (A시-B군 연합운영),
    and a quoted name followed by 과/와 and an agreement word is an organisation too."""
    win = ex.cfg["windows"]
    orgs_cfg = ex.cfg["orgs"]
    collab, not_partner, reach = orgs_cfg["collaboration"], orgs_cfg["not_partner"], orgs_cfg["cue_reach"]
    out, seen = [], set()
    for base, chunk in parts:
        end = base + len(chunk)
        # a collaboration word in a phrase that says something else (…와 함께 선정) is no cue
        masked = re.sub(orgs_cfg["not_collaboration"], lambda m: " " * len(m.group()), chunk)
        inside = partner_mentions(ex, chunk, base, [o for o in orgs if base <= o.span.start < end])
        cues: list[str | None] = []
        for o in inside:
            near = masked[max(0, o.span.start - base - reach) : o.span.end - base + reach]
            cue = next((kind for word, kind in collab.items() if word in near), None)
            if (
                cue is None
                and o.name in orgs_cfg["companies"]
                and re.match(orgs_cfg["listed_after"], chunk[o.span.end - base :])
            ):
                cue = "PUBLIC_PRIVATE"  # a well-known company listed in the case's own scope (야놀자, 여기어때 등)
            if cue is None and (
                re.search(orgs_cfg["role_before"],
                          chunk[max(0, o.span.start - base - win["role_before"]) : o.span.start - base])
                or re.match(orgs_cfg["agent_after"], chunk[o.span.end - base :])
            ):
                cue = "INTER_AGENCY"  # the body that carried out or built it (수행기관인 …, …가 개발했다)
            cues.append(cue)
        for i in range(len(inside) - 1):
            gap = chunk[inside[i].span.end - base : inside[i + 1].span.start - base]
            if re.fullmatch(orgs_cfg["pair_gap"], gap):
                cues[i] = cues[i] or "INTER_AGENCY"
                cues[i + 1] = cues[i + 1] or "INTER_AGENCY"
        # members of one list share a cue: forwards, then backwards
        linked = [
            bool(re.fullmatch(orgs_cfg["list_gap"], chunk[a.span.end - base : b.span.start - base]))
            for a, b in zip(inside, inside[1:])
        ]
        for i, link in enumerate(linked):
            if link and cues[i + 1] is None:
                cues[i + 1] = cues[i]
        for i in reversed(range(len(linked))):
            if linked[i] and cues[i] is None:
                cues[i] = cues[i + 1]
        for o, cue in zip(inside, cues):
            if cue is None or not_a_partner_name(ex, o, chunk[o.span.end - base :]):
                continue
            if o.iri is None and o.cls == "Unit":
                o = as_agency(ex, o)  # a 소방본부 partners through its government
                if o.iri is None:
                    continue
            if leaders and (o.iri or o.name) in leaders:
                continue
            near = chunk[max(0, o.span.start - base - reach) : o.span.end - base + reach]
            if any(w in near for w in orgs_cfg["organiser_words"]):
                continue
            if agency is not None and (o.iri is not None and o.iri == agency.iri or o.name == agency.name):
                continue
            tail = chunk[o.span.end - base : o.span.end - base + 6]
            if any(tail.startswith(w) or tail.lstrip("이가의은는 ").startswith(w) for w in not_partner):
                continue
            if o.name in organisers or (o.iri is None and o.cls == "PublicAgency"):
                continue
            if o.iri is not None and agency is not None and agency.iri is not None:
                # the body the lead belongs to is no partner; a municipality of a lead province is
                if o.iri in ancestors(ex, agency.iri) or agency.iri == as_agency(ex, o).iri:
                    continue
            key = o.iri or o.name
            if key in seen:
                continue
            seen.add(key)
            kind = cue
            if o.sector == "private":
                kind = "PUBLIC_PRIVATE"
            elif o.sector in ("civil-society",):
                kind = "PUBLIC_CIVIC"
            out.append((o, kind))
    return out


def partner_mentions(ex, chunk: str, base: int, inside: list[OrgRef]) -> list[OrgRef]:
    """The scope's organisations as partners see them: adjacent international names are one body
    (UN 세계식량계획), and a quoted name that makes an agreement (‘…’과 협약) is an organisation."""
    win = ex.cfg["windows"]
    orgs_cfg = ex.cfg["orgs"]
    out: list[OrgRef] = []
    for o in inside:
        prev = out[-1] if out else None
        if (
            prev is not None
            and prev.cls == o.cls == "InternationalOrganization"
            and chunk[prev.span.end - base : o.span.start - base] == " "
        ):
            name = f"{prev.name} {o.name}"
            out[-1] = OrgRef(name=name, cls=o.cls, sector=o.sector, span=Span(prev.span.start, o.span.end, name))
            continue
        out.append(o)
    for o in partner_form_mentions(ex, chunk, base):  # ㈜하늘길, 사단법인 OO: partners only
        if not any(x.span.start < o.span.end and o.span.start < x.span.end for x in out):
            out.append(o)
    for pattern in ex.lex.paired_quote_patterns:
        for m in pattern.finditer(chunk):
            name = m.group(1).strip()
            if not re.match(orgs_cfg["quoted_partner_after"], chunk[m.end() :]) or len(name) > win["quoted_partner"]:
                continue
            if any(o.span.start < base + m.end() and base + m.start() < o.span.end for o in out):
                continue
            span = Span(base + m.start(1), base + m.end(1), name)
            out.append(OrgRef(name=name, cls="CivilSocietyOrganization", sector="civil-society", span=span))
    out.sort(key=lambda o: o.span.start)
    return out


def partner_form_mentions(ex, chunk: str, base: int) -> list[OrgRef]:
    """Bodies named with their legal form (㈜하늘길, 사단법인 OO), which only partners bear: never
    among the document's bodies that may lead a case (``[orgs] partner_forms``)."""
    out = []
    for pattern, cls, sector in ex.lex.partner_form_patterns:
        for m in pattern.finditer(chunk):
            name = strip_particle(m.group(), ex.cfg["orgs"]["partner_particles"])
            span = Span(base + m.start(), base + m.start() + len(name), name)
            out.append(OrgRef(name=name, cls=cls, sector=sector, span=span))
    return out


def strip_particle(name: str, particles: list[str]) -> str:
    """*name* without a particle written after it (㈜딥노이드와 → ㈜딥노이드), the longest first."""
    for p in sorted(particles, key=len, reverse=True):
        if name.endswith(p) and len(name) - len(p) >= 3:
            return name[: -len(p)]
    return name


def not_a_partner_name(ex, org: OrgRef, after: str) -> bool:
    """Kinds of body (기초자치단체), places named like a body (부곡공단) or named as a place
    (남양주 지역), and an international name used as a modifier (유엔 식품조달시장)."""
    win = ex.cfg["windows"]
    orgs_cfg = ex.cfg["orgs"]
    if org.name in orgs_cfg["generic"] or any(org.name.endswith(g) for g in orgs_cfg["generic"] if len(g) > 3):
        return True
    if org.iri is None and re.fullmatch(orgs_cfg["place_like"], org.name):
        return True
    if re.match(orgs_cfg["place_phrase"], after[: win["place_phrase"]]) or re.match(orgs_cfg["area_after"], after):
        return True  # 남양주 지역 광역상수도, 인천 최초: where, not who
    return org.cls == "InternationalOrganization" and bool(re.match(orgs_cfg["modifier_after"], after))


def metrics(parts) -> list[MetricRecord]:
    """The metrics of the scope (``loaders.metrics``, with its own lexicon)."""
    return find_metrics(parts)


def statements(ex, parts) -> tuple[list[tuple[Span, URIRef | None]], list[Span]]:
    """Sentences of the scope stating a problem (with its policy domain, if named) and an
    intervention, at most three of each."""
    pattern, by_label = ex.lex.domain_pattern
    problems, interventions = [], []
    for base, chunk in parts:
        for m in re.finditer(r"[^.\n]+(?:\.|$)", chunk):
            sent = m.group().strip()
            if len(sent) < 8:
                continue
            span = Span(base + m.start(), base + m.end(), m.group())
            if re.search(ex.cfg["statements"]["problem"], sent):
                dm = pattern.search(sent)
                problems.append((span, by_label.get(dm.group()) if dm else None))
            elif re.search(ex.cfg["statements"]["intervention"], sent):
                interventions.append(span)
    return problems[:3], interventions[:3]
