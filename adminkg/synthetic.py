"""Synthetic Korean case documents for scale runs, with the gold cases they plant.

``generate(out, docs=N, seed=S)`` writes N documents in the layouts of ``synthetic.toml`` (card
news, ranked award tables, ▲ lists, single-practice releases) under ``OUT/docs/SHARD/``, a
``sources.tsv`` manifest per shard, and ``OUT/gold.json`` (the JSON of ``../shared/corpus/gold.json``:
a list of ``{doc, cases}``). Names come from the gazetteer (``data/gazetteer``) and the
vocabularies (``ontology/vocab``); the sentences are the templates' own.

Deterministic: document *i* depends on the seed and *i* alone, so the first N documents of a run
with 2N are those of a run with N (scaling runs grow the same corpus), and the same arguments give
the same bytes.
"""
from __future__ import annotations

import csv
import json
import random
import re
import shutil
import tomllib
from dataclasses import dataclass
from pathlib import Path

from rdflib import Graph
from rdflib.namespace import SKOS

from . import paths
from .errors import InputError
from .graphio import atomic_write_bytes
from .namespaces import TECH

TEMPLATES = Path(__file__).with_name("synthetic.toml")
DOCS_DIR = "docs"
GOLD_JSON = "gold.json"
PARTICLE = re.compile(r"\{(\w+)\|(을|를|은|는|이|가|와|과|로|으로)\}|'\{(\w+)\}'\|(을|를|은|는|이|가|와|과|로|으로)")
# a particle by whether the word ends in a consonant (batchim): (after a vowel, after a consonant)
PAIRS = {"을": ("를", "을"), "를": ("를", "을"), "은": ("는", "은"), "는": ("는", "은"), "이": ("가", "이"),
         "가": ("가", "이"), "와": ("와", "과"), "과": ("와", "과"), "로": ("로", "으로"), "으로": ("로", "으로")}


def particle(word: str, which: str) -> str:
    """The form of Korean particle *which* that follows *word* (을/를, 은/는, 이/가, 와/과, (으)로)."""
    last = word.rstrip("'’ ")[-1:] if word.strip() else ""
    if "가" <= last <= "힣":
        coda = (ord(last) - 0xAC00) % 28
        after_consonant = coda != 0 and not (which in ("로", "으로") and coda == 8)  # ㄹ takes 로
    else:  # digits and Latin letters: as they are read (…I 에이아이 → vowel)
        after_consonant = last.lower() in "013678lmnr"
    return PAIRS[which][after_consonant]


def fill(template: str, values: dict) -> str:
    """*template* with ``{name}`` replaced, and ``{name|을}`` / ``'{name}'|을`` with the right particle."""
    def sub(m: re.Match) -> str:
        if m.group(1):
            word = str(values[m.group(1)])
            return word + particle(word, m.group(2))
        word = str(values[m.group(3)])
        return f"'{word}'" + particle(word, m.group(4))
    return PARTICLE.sub(sub, template).format(**values)


@dataclass(frozen=True)
class Body:
    name: str        # as the gazetteer writes it (강남구)
    full: str        # official full name (서울특별시 강남구): the gold's agency
    kind: str        # the suffix a text uses for it alone (시, 군, 구)


class Templates:
    """``synthetic.toml`` checked against the gazetteer and vocabularies; :class:`InputError` names
    the file and the entry that does not fit."""

    def __init__(self, path: Path = TEMPLATES):
        try:
            self.cfg = tomllib.loads(path.read_text(encoding="utf-8"))
        except (OSError, tomllib.TOMLDecodeError) as exc:
            raise InputError(path, f"cannot read the templates: {exc}") from exc
        src = self.cfg["sources"]
        self.leads = [Body(r["name_ko"], r["full_name_ko"], r["name_ko"][-1])
                      for r in _rows(paths.GAZETTEER_SRC_DIR / "local.csv")
                      if r["type"] in src["lead_types"] and not r["dissolved"]]
        self.partners = [r["name_ko"] for r in _rows(paths.GAZETTEER_SRC_DIR / "institutions.csv")
                         if r["type"] in src["partner_types"] and not r["dissolved"]]
        if not self.leads or not self.partners:
            raise InputError(path, "no gazetteer body of the [sources] types")
        tech = self._check_labels(path, "technologies.ttl",
                                  {c: t["surface"] for c, t in self.cfg["technologies"].items()})
        # the gold lists the codes the cases query reports (those of the specification), as the dev gold does
        self.specified = {str(tech.value(m, SKOS.notation)) for m in tech.objects(TECH.specified, SKOS.member)}
        self._check_labels(path, "beneficiaries.ttl", self.cfg["beneficiaries"])
        self.layouts = sorted(self.cfg["layouts"])
        weights = src["layout_weights"]
        self.weights = [weights.get(name, 0) for name in self.layouts]

    @staticmethod
    def _check_labels(path: Path, vocab: str, surfaces: dict[str, str]) -> Graph:
        """The vocabulary *vocab*, once each surface is checked to be a label of its concept."""
        g = Graph().parse(paths.VOCAB_DIR / vocab)
        for code, surface in surfaces.items():
            concept = next((c for c in g.subjects(SKOS.notation, None) if str(g.value(c, SKOS.notation)) == code), None)
            labels = {str(v) for p in (SKOS.prefLabel, SKOS.altLabel) for v in g.objects(concept, p)}
            if concept is None or surface not in labels:
                raise InputError(path, f"{code} = {surface!r}: not a label of {code} in ontology/vocab/{vocab}")
        return g


def _rows(path: Path) -> list[dict]:
    with path.open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def document(t: Templates, seed: int, i: int) -> tuple[str, list[dict]]:
    """Document *i* of the run with *seed*: its text and the gold cases it plants."""
    rng = random.Random(f"adminkg-synth:{seed}:{i}")
    cfg, words = t.cfg, t.cfg["words"]
    layout = rng.choices(t.layouts, weights=t.weights)[0]
    parts = cfg["layouts"][layout]
    lo, hi = cfg["sources"]["cases_per_document"]
    y0, y1 = cfg["sources"]["years"]
    n = 1 if layout == "release" else rng.randint(lo, hi)
    year, month, day = rng.randint(y0, y1), rng.randint(1, 12), rng.randint(1, 28)
    organiser = rng.choice(t.leads)  # the one agency of a table or list; card news has one per card
    contest = rng.choice(words["contests"])
    grades = words["grades"]
    ranks = [min(k + 1, len(grades)) for k in range(n)]
    tiers = ", ".join(f"{g} {ranks.count(r)}건" for r, g in enumerate(grades, 1) if ranks.count(r))
    common = {"tiers": tiers, "agency": organiser.full, "short": organiser.name, "kind": organiser.kind, "year": year,
              "month": month, "day": day, "count": n, "number": i, "contest": contest}
    text = fill(parts["head"], common)
    cases = []
    departments = rng.sample(words["departments"], n)
    # each case of a document its own technology and beneficiary: titles apart, facts not shared
    codes = rng.sample(sorted(cfg["technologies"]), n)
    ben_codes = rng.sample(sorted(cfg["beneficiaries"]), n)
    for k in range(n):
        code, ben_code = codes[k], ben_codes[k]
        tech = cfg["technologies"][code]
        title = f"{tech['surface']} {rng.choice(tech['things'])} {rng.choice(words['endings'])}"
        body = rng.choice(t.leads) if layout == "cardnews" else organiser
        rank = ranks[k]
        before = rng.randint(5, 30)
        values = {**common, "agency": body.full, "short": body.name, "kind": body.kind, "title": title,
                  "tech": tech["surface"], "beneficiary": cfg["beneficiaries"][ben_code],
                  "department": departments[k], "partner": rng.choice(t.partners),
                  "problem": rng.choice(words["problems"]), "before": before, "after": rng.randint(1, before - 1),
                  "count": rng.randint(20, 900), "rank": rank, "grade": grades[rank - 1]}
        text += (parts.get("separator", "") if k else "") + fill(parts["case"], values)
        case = {"title": title, "agency": body.full, "departments": [departments[k]],
                "technologies": [code] if code in t.specified else [],
                "partners": [values["partner"]] if layout == "release" else [],
                "beneficiaries": [] if layout in ("award_table", "list") else [values["beneficiary"]],
                "awards": [], "metrics": []}
        if layout == "award_table":
            case["awards"] = [{"contest": f"{year}년 {contest}", "organizer": organiser.full, "year": year,
                               "rank": rank, "grade": grades[rank - 1]}]
        cases.append(case)
    text += fill(parts["foot"], common)
    return text, cases


def generate(out: Path | str, *, docs: int, seed: int = 1, templates: Path = TEMPLATES, progress=None) -> Path:
    """Write *docs* documents and their gold under *out* (replaced whole, atomically); return the
    documents' folder (``OUT/docs``), which ``adminkg build --corpus`` reads."""
    if docs < 1:
        raise InputError("--docs", f"{docs}: give at least one document")
    t = Templates(templates)
    out = Path(out)
    staged = out.with_name(f".{out.name}.new")
    shutil.rmtree(staged, ignore_errors=True)
    shard_size = t.cfg["sources"]["shard_size"]
    gold, manifest, shard = [], [], None
    try:
        for i in range(docs):
            folder = staged / DOCS_DIR / f"{i // shard_size:04d}"
            if folder != shard:
                _write_manifest(shard, manifest)
                folder.mkdir(parents=True)
                shard, manifest = folder, []
            name = f"syn-{i:06d}.txt"
            text, cases = document(t, seed, i)
            (folder / name).write_text(text, encoding="utf-8")
            title = text.splitlines()[0][:60].replace("\t", " ")
            manifest.append(f"{name}\thttps://example.org/synthetic/{seed}/{i}\t{title}\tadminkg synth\t")
            gold.append({"doc": name, "cases": cases})
            if progress:
                progress(i, docs)
        _write_manifest(shard, manifest)
        atomic_write_bytes(staged / GOLD_JSON, json.dumps(gold, ensure_ascii=False, indent=1).encode("utf-8"))
        old = out.with_name(f".{out.name}.old")
        shutil.rmtree(old, ignore_errors=True)
        if out.exists():
            out.rename(old)
        staged.rename(out)
        shutil.rmtree(old, ignore_errors=True)
    except OSError as exc:
        shutil.rmtree(staged, ignore_errors=True)
        raise InputError(out, f"cannot write the synthetic corpus: {exc.strerror or exc}") from exc
    return out / DOCS_DIR


def _write_manifest(folder: Path | None, rows: list[str]) -> None:
    if folder is not None and rows:
        text = "file\turl\ttitle\tpublisher\tdate\n" + "".join(r + "\n" for r in rows)
        (folder / "sources.tsv").write_text(text, encoding="utf-8")


__all__ = ["Templates", "document", "fill", "generate", "particle"]
