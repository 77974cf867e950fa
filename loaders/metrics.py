"""The metrics pass: quantified results in a span of text, and what each one measures.

Every word and pattern is in ``loaders/lexicon/metrics.toml``; this module only applies them. Steps,
sentence by sentence:

1. ``figures`` — "N{u}에서 M{u}로" pairs (values before and after), then single figures outside a
   pair. A numeral may hold magnitude words (1억 7천여만 원, 3만7000여 명); a unit counts only where
   its word ends (4대보험, 1분기 and "2024 대한민국" hold none);
2. ``rejection`` — the lexicon's filters (each a conjunction of conditions) name the figures that
   are no result: service hours, ordinals, dates, clock times, phone numbers, ages, prize money,
   contest statistics, inputs, figures describing the problem, plans;
3. ``change`` — the change word after a figure (단축, 감소, 절감 …) gives its kind;
4. ``quantity`` — the noun phrase the figure measures, a span of the text: the phrase it qualifies
   through 의 (5억 원의 예산을 절감) or stands right before (22개 동 주민센터에), else the phrase
   before it (민원 처리기간을 7일에서 3일로; 독거노인 1693세대; 불법 주정차는 10% 감소), else
   the action it counts (111명을 적발). Filters may look at it (사례 40건: contest statistics).

``MetricFinder.explain`` says, for a sentence, which filter rejects each figure.
"""
from __future__ import annotations

import re
import tomllib
from collections.abc import Iterable
from decimal import Decimal
from functools import cache
from pathlib import Path

from .records import MetricRecord, Span

LEXICON_FILE = Path(__file__).parent / "lexicon" / "metrics.toml"


def _alternation(words: Iterable[str]) -> str:
    return "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))


class MetricFinder:
    """Finds :class:`MetricRecord` s in text spans with the lexicon's patterns and filters."""

    def __init__(self, lexicon_file: Path = LEXICON_FILE):
        with open(lexicon_file, "rb") as fh:
            lex = tomllib.load(fh)
        fig, q = lex["figure"], lex["quantity"]
        self.small = {k: Decimal(v) for k, v in fig["small_magnitudes"].items()}
        self.large = {k: Decimal(v) for k, v in fig["large_magnitudes"].items()}
        self.scaled = set(fig["scaled_units"])
        n = fig["number"]
        mags = _alternation([*self.small, *self.large, fig["approximately"]])
        numeral = f"{n}(?:\\s?(?:{mags})(?:\\s?{n})?)*"
        units = _alternation(fig["units"])
        ends = fig["unit_end"].replace("{particles}", _alternation(fig["particles"]))
        self.token = re.compile(f"{n}|{_alternation([*self.small, *self.large])}")
        self.figure = re.compile(f"(?<![0-9A-Za-z])(?P<num>{numeral})\\s?(?P<unit>{units})(?:{ends})")
        ba = lex["before_after"]
        self.after_words = {k: Decimal(v) for k, v in ba["after_words"].items()}
        self.pair = re.compile(
            "(?<![0-9A-Za-z])"
            + ba["pattern"].replace("{n}", numeral).replace("{u}", units).replace("{w}", _alternation(self.after_words))
        )
        ch = lex["change"]
        self.change_words, self.change_window = ch["words"], ch["window"]
        self.change_re = re.compile(_alternation(ch["words"]))
        self.glued_change = re.compile(f"(?<=\\S)(?:{_alternation(ch['words'])})$")
        self.time_units, self.time_decrease = set(ch["time_units"]), ch["time_decrease"]
        cl = lex["clause"]
        self.sentence_end, self.clause_end = re.compile(cl["sentence_end"]), re.compile(cl["clause_end"])
        self.after_window = cl["after_window"]
        self.word = re.compile(q["word"])
        self.max_words = q["max_words"]
        self.linked = re.compile(q["linked"])
        self.bare = re.compile(q["bare"])
        self.digit = re.compile("[0-9]")
        self.bracket = re.compile(q["bracket"])
        self.stop = re.compile(q["stop"])
        self.words = re.compile(f"[^\\s{q['stop'][1:-1]}]+")
        self.last_magnitude = re.compile(
            f"({_alternation(self.large)})(?:\\s?{fig['approximately']})?\\s?$"
        )
        self.head_particles = sorted(q["head_particles"], key=len, reverse=True)
        self.tail_particles = sorted(q["tail_particles"], key=len, reverse=True)
        self.between = re.compile(q["between"])
        self.action = re.compile(q["action"])
        self.not_quantity = set(q["not_quantity"]) | set(ch["words"])
        self.not_noun = re.compile(q["not_noun"])
        self.not_particle = re.compile(q["not_particle"])
        self.filters = [self._compile_filter(f) for f in lex["filter"]]
        self.per_case = lex["limits"]["per_case"]

    @staticmethod
    def _compile_filter(spec: dict) -> dict:
        out = dict(spec)
        for key in ("figure", "before", "after", "sentence", "quantity", "unless"):
            if key in spec:
                out[key] = re.compile(spec[key])
        out["units"] = set(spec.get("units", ()))
        return out

    # -- the pass ------------------------------------------------------------------------
    def find(self, parts: Iterable[tuple[int, str]]) -> list[MetricRecord]:
        """The metrics of a case's scope: ``parts`` are (offset, text) spans of its document."""
        out: list[MetricRecord] = []
        seen: set[tuple[int, int]] = set()
        for base, chunk in parts:
            for start, sent in self.sentences(chunk):
                for rec in self.in_sentence(sent, base + start):
                    if (rec.span.start, rec.span.end) not in seen:
                        seen.add((rec.span.start, rec.span.end))
                        out.append(rec)
        out = [r for r in out if not any(self.retold(r, other) for other in out if other is not r)]
        if len(out) > self.per_case:
            keep = sorted(out, key=lambda r: r.change is None)[: self.per_case]
            out = [r for r in out if any(r is k for k in keep)]
        return out

    @staticmethod
    def retold(rec: MetricRecord, other: MetricRecord) -> bool:
        """Whether *other* tells the same figure as *rec* more fully (a headline, then the body:
        same value and unit, a quantity that agrees), so that *rec* goes. Of two equal tellings the
        later stays."""
        if (rec.value, rec.unit, rec.before) != (other.value, other.unit, other.before):
            return False
        a, b = rec.quantity, other.quantity
        if a and b and a not in b and b not in a:
            return False
        mine, theirs = (rec.change is not None, bool(a)), (other.change is not None, bool(b))
        return theirs > mine or (theirs == mine and other.span.start > rec.span.start)

    def sentences(self, chunk: str) -> list[tuple[int, str]]:
        cuts = [0, *(m.end() for m in self.sentence_end.finditer(chunk)), len(chunk)]
        return [(a, chunk[a:b]) for a, b in zip(cuts, cuts[1:], strict=False) if chunk[a:b].strip()]

    def figures(self, sent: str) -> list[tuple]:
        """Every figure of a sentence, in text order: (start, end, unit, unit as written, value,
        before, after, change, quantity span, the filter rejecting it or None)."""
        found = []
        for m in self.pair.finditer(sent):
            unit = m.group("au") or m.group("bu")
            if not unit:
                continue
            mag, factor = self.scale_of(m.group("after") or "", unit)
            after = self.number(m.group("after"), factor) if m.group("after") else self.after_words[m.group("word")]
            found.append((m.start(), m.end(), unit, mag + unit, after, self.number(m.group("before"), factor), after))
        pairs = [(f[0], f[1]) for f in found]
        for m in self.figure.finditer(sent):
            if any(a <= m.start() < b for a, b in pairs):
                continue
            unit = m.group("unit")
            mag, factor = self.scale_of(m.group("num"), unit)
            written = mag + sent[m.end("num") : m.start("unit")] + unit if mag else unit
            found.append((m.start(), m.end(), unit, written, self.number(m.group("num"), factor), None, None))
        out = []
        for start, end, unit, *rest in sorted(found, key=lambda f: f[0]):
            change = self.change(sent, end, unit)
            q = self.quantity(sent, start, end)
            reason = self.rejection(sent, start, end, unit, change, q.text if q else "")
            out.append((start, end, unit, *rest, change, q, reason))
        return out

    def in_sentence(self, sent: str, offset: int) -> list[MetricRecord]:
        return [
            MetricRecord(
                Span(offset + start, offset + end, sent[start:end]),
                value=value,
                unit=written,
                before=before,
                after=after,
                change=change,
                quantity=q.text if q else "",
                quantity_span=Span(offset + q.start, offset + q.end, q.text) if q else None,
            )
            for start, end, _unit, written, value, before, after, change, q, reason in self.figures(sent)
            if reason is None
        ]

    def explain(self, sent: str) -> list[tuple[str, str | None]]:
        """Every figure of a sentence and the filter that rejects it (None: kept): to test and tune
        the lexicon."""
        return [(sent[f[0] : f[1]], f[-1]) for f in self.figures(sent)]

    # -- numbers -------------------------------------------------------------------------
    def value(self, numeral: str) -> Decimal:
        """The numeral's value: 1억 7천여만 → 170000000, 2천900만 → 29000000, 1,300 → 1300."""
        total = group = pending = Decimal(0)
        for tok in self.token.findall(numeral):
            if tok in self.small:
                group += (pending or 1) * self.small[tok]
                pending = Decimal(0)
            elif tok in self.large:
                total += (group + pending or 1) * self.large[tok]
                group = pending = Decimal(0)
            else:
                pending = Decimal(tok.replace(",", ""))
        return total + group + pending

    def scale_of(self, numeral: str, unit: str) -> tuple[str, Decimal]:
        """The large magnitude word a scaled unit keeps as written (5000만원 → 만; 3억 2천만 원 → 만, so
        32000 만 원), and its factor."""
        m = self.last_magnitude.search(numeral) if unit in self.scaled else None
        if m is None:
            return "", Decimal(1)
        mag = re.sub(r"\s", "", m.group(1))
        return mag, self.value("1" + mag)

    def number(self, numeral: str, factor: Decimal = Decimal(1)) -> Decimal:
        value = self.value(numeral) / factor
        return value.quantize(Decimal(1)) if value == value.to_integral_value() else value

    # -- what a figure says ----------------------------------------------------------------
    def clause_after(self, sent: str, end: int, window: int) -> str:
        tail = sent[end : end + window]
        m = self.clause_end.search(tail)
        return tail[: m.start()] if m else tail

    def change(self, sent: str, end: int, unit: str) -> str | None:
        m = self.change_re.search(self.clause_after(sent, end, self.change_window))
        if m is None:
            return None
        kind = self.change_words[m.group()]
        return self.time_decrease.get(kind, kind) if unit in self.time_units else kind

    def rejection(
        self, sent: str, start: int, end: int, unit: str, change: str | None, quantity: str = ""
    ) -> str | None:
        """The name of the first filter that says the figure is no result, else None."""
        before, after, figure = sent[:start], sent[end:], sent[start:end]
        clause = self.clause_after(sent, end, self.after_window)
        for f in self.filters:
            if f["units"] and unit not in f["units"]:
                continue
            if "figure" in f and not f["figure"].fullmatch(figure):
                continue
            if "before" in f and not f["before"].search(before):
                continue
            if "after" in f and not f["after"].search(after):
                continue
            if "sentence" in f and not f["sentence"].search(sent):
                continue
            if "quantity" in f and not f["quantity"].search(quantity):
                continue
            if f.get("unless_change") and change is not None:
                continue
            if "unless" in f and f["unless"].search(after if f.get("unless_in") == "sentence" else clause):
                continue
            return f["name"]
        return None

    # -- what a figure measures --------------------------------------------------------------
    def quantity(self, sent: str, start: int, end: int) -> Span | None:
        """The phrase the figure qualifies through 의 or stands right before (22개 동 주민센터); else the
        phrase before it; else the action it counts."""
        linked = self.linked.match(sent, end)
        found = self.phrase_after(sent, linked.end()) if linked else None
        if found:
            return found
        bare = self.bare.match(sent, end)
        found = self.phrase_after(sent, bare.end()) if bare else None
        if found:
            return found
        before = self.phrase_before(sent, start)
        if before:
            return before
        m = self.action.match(sent, end)
        if m and self._noun(m.group(1)):
            return Span(m.start(1), m.end(1), m.group(1))
        return None

    def _noun(self, word: str) -> bool:
        return bool(self.word.fullmatch(word)) and word not in self.not_quantity and not self.not_noun.search(word)

    def _particle(self, word: str, particles: list[str]) -> str | None:
        """The particle a word ends in (the longest), if anything stands before it and the ending is
        not part of the noun (속도, 도로)."""
        if self.not_particle.search(word):
            return None
        return next((p for p in particles if word.endswith(p) and len(word) > len(p)), None)

    def _strip(self, word: str, particles: list[str], least: int = 2) -> str | None:
        """The word without its particle, where it ends in one and leaves `least` syllables or more."""
        p = self._particle(word, particles)
        return word[: -len(p)] if p and len(word) - len(p) >= least else None

    def _phrase(self, sent: str, a: int, b: int) -> Span | None:
        """sent[a:b] without a change word glued to its end (예산절감 → 예산, two syllables kept)."""
        m = self.glued_change.search(sent, a, b)
        if m and m.start() - a >= 2:
            b = m.start()
        return Span(a, b, sent[a:b]) if b > a else None

    def phrase_after(self, sent: str, pos: int) -> Span | None:
        """Nouns from pos up to one ending in a particle, a stop, a word that is no noun or the end of
        the sentence; none where more than max_words would be needed."""
        spans: list[tuple[int, int]] = []
        for m in self.words.finditer(sent, pos):
            if not spans and m.start() != pos:
                return None
            if spans and sent[spans[-1][1] : m.start()].strip():
                break  # a stop between the words
            if len(spans) == self.max_words:
                return None
            if self._particle(m.group(), self.tail_particles):
                stripped = self._strip(m.group(), self.tail_particles, least=1)
                if stripped is None or not self._noun(stripped):
                    break  # 이상을, 규모의: no noun before the particle
                return self._phrase(sent, spans[0][0] if spans else m.start(), m.start() + len(stripped))
            if not self._noun(m.group()):
                break
            spans.append(m.span())
        return self._phrase(sent, spans[0][0], spans[-1][1]) if spans else None

    def phrase_before(self, sent: str, start: int) -> Span | None:
        """The noun phrase ending right before the figure (only `between` words may separate them);
        none where a figure stands right before the phrase ("5개 분야 243개소": 분야 is what 5개
        counts)."""
        bracket = self.bracket.search(sent, 0, start)
        start = bracket.start() if bracket else start
        cut = max((m.end() for m in self.stop.finditer(sent, 0, start)), default=0)
        words = [(m.start(), m.group()) for m in self.words.finditer(sent, cut, start)]
        while words and self.between.fullmatch(words[-1][1]):
            words.pop()
        if not words:
            return None
        a, last = words.pop()
        particles = [*self.head_particles, *self.tail_particles]
        stripped = self._strip(last, self.head_particles)
        if stripped is not None and self._particle(stripped, particles):
            return None  # 대회에는: a place or a time, not what is measured
        if stripped is not None and self._noun(stripped):
            head = stripped
        elif self._noun(last) and len(last) >= 2 and not self._particle(last, particles):
            head = last
        else:
            return None
        first, count = a, 1
        for b, word in reversed(words):
            if self.digit.search(word) and count == 1:
                return None
            if (
                count == self.max_words
                or len(word) < 2
                or not self._noun(word)
                or self.between.fullmatch(word)
                or self._particle(word, particles)
            ):
                break
            first, count = b, count + 1
        return self._phrase(sent, first, a + len(head))


@cache
def default_finder() -> MetricFinder:
    return MetricFinder()


def find_metrics(parts: Iterable[tuple[int, str]]) -> list[MetricRecord]:
    """The metrics of a case's scope (see :meth:`MetricFinder.find`)."""
    return default_finder().find(parts)


__all__ = ["LEXICON_FILE", "MetricFinder", "default_finder", "find_metrics"]
