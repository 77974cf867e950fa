"""Curated records in a table (CSV or JSON), one case per row, for cases a researcher adds by hand.

Columns (CSV header or JSON object keys; only ``agency`` and ``title`` are required):

=============== ==========================================================================
agency          the lead agency as people write it (서울특별시 관악구, 서울 관악구, 국세청)
title           the case's name
year            the year of the case
departments     unit names, ``|``-separated
technologies    technology codes (IOT, AI …) or labels (사물인터넷), ``|``-separated
partners        partner organisations, ``|``-separated
beneficiaries   beneficiary groups (독거노인 …), ``|``-separated
awards          ``YEAR;RANK;GRADE;CONTEST`` items, ``|``-separated (empty parts allowed)
date            the record's date (YYYY-MM-DD), used to resolve names that changed
=============== ==========================================================================

The table itself is the source document (file name and checksum); its rows carry no character
spans. The same case in a table and in a document (same agency, same title) becomes one case
with two sources.
"""
from __future__ import annotations

import csv
import hashlib
import io
import json
import re
from datetime import date
from pathlib import Path

from adminkg.errors import InputError
from adminkg.resolve import normalise

from .documents import Document
from .records import AwardRecord, CaseRecord, OrgRef

REQUIRED = ("agency", "title")


def _items(value) -> list[str]:
    if isinstance(value, list):
        return [str(v).strip() for v in value if str(v).strip()]
    return [v.strip() for v in str(value or "").split("|") if v.strip()]


def _rows(path: Path, data: bytes) -> list[dict]:
    text = data.decode("utf-8-sig")
    if path.suffix.lower() == ".json":
        try:
            rows = json.loads(text)
        except json.JSONDecodeError as exc:
            raise InputError(path, f"not valid JSON (line {exc.lineno}: {exc.msg})") from exc
        if isinstance(rows, dict):
            rows = rows.get("cases", [])
        if not isinstance(rows, list) or not all(isinstance(r, dict) for r in rows):
            raise InputError(path, "JSON must be a list of objects (or {\"cases\": [...]})")
        return rows
    return list(csv.DictReader(io.StringIO(text)))


def read_table(path: Path, lexicon) -> list[CaseRecord]:
    """Read one CSV/JSON table into case records; :class:`InputError` names the file and row."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise InputError(path, f"cannot read: {exc.strerror or exc}") from exc
    rows = _rows(path, data)
    if rows and any(col not in rows[0] for col in REQUIRED):
        raise InputError(path, f"needs the columns {', '.join(REQUIRED)}")
    source = Document(path=path, name=path.name, sha256=hashlib.sha256(data).hexdigest(), encoding="utf-8",
                      kind="table", text="")
    gaz, vocab = lexicon.gazetteer, lexicon.vocab
    tech_codes = {normalise(lab): code for code, lab in _tech_labels(vocab)}
    ben_pattern, ben_labels = lexicon.beneficiary_pattern
    records = []
    for n, row in enumerate(rows, start=2):
        agency_name, title = str(row.get("agency") or "").strip(), str(row.get("title") or "").strip()
        if not agency_name:
            raise InputError(f"{path}:{n}", "empty agency")
        on = None
        if re.fullmatch(r"\d{4}-\d{2}-\d{2}", str(row.get("date") or "")):
            on = date.fromisoformat(row["date"])
        hits = gaz.lookup(agency_name, on)
        agency = OrgRef(name=agency_name, iri=hits[0] if len(hits) == 1 else None)
        if agency.iri is not None:
            agency.name = gaz.bodies[agency.iri].name
        rec = CaseRecord(source=source, title=title, agency=agency)
        year = str(row.get("year") or "").strip()
        rec.year = int(year) if year.isdigit() else None
        rec.departments = [(d, None) for d in _items(row.get("departments"))]
        for t in _items(row.get("technologies")):
            code = t.upper() if t.upper() in tech_codes.values() else tech_codes.get(normalise(t))
            if code is None:
                raise InputError(f"{path}:{n}", f"unknown technology {t!r}")
            rec.technologies.append((code, None))
        for p in _items(row.get("partners")):
            hit = gaz.lookup(p, on)
            rec.partners.append((OrgRef(name=p, iri=hit[0] if len(hit) == 1 else None, cls="CivilSocietyOrganization",
                                        sector="civil-society"), None))
        for b in _items(row.get("beneficiaries")):
            concept = ben_labels.get(b) or next((c for lab, c in ben_labels.items() if b.endswith(lab)), None)
            if concept is None:
                raise InputError(f"{path}:{n}", f"unknown beneficiary group {b!r}")
            rec.beneficiaries.append((concept, b, None))
        for a in _items(row.get("awards")):
            parts = (a.split(";") + ["", "", "", ""])[:4]
            rec.awards.append(AwardRecord(year=int(parts[0]) if parts[0].strip().isdigit() else None,
                                          rank=int(parts[1]) if parts[1].strip().isdigit() else None,
                                          grade=parts[2].strip() or None, contest=parts[3].strip()))
        records.append(rec)
    return records


def _tech_labels(vocab):
    from rdflib.namespace import SKOS

    from adminkg.namespaces import TECH_SCHEME

    for concept in vocab.subjects(SKOS.inScheme, TECH_SCHEME):
        code = str(vocab.value(concept, SKOS.notation))
        yield code, code
        for p in (SKOS.prefLabel, SKOS.altLabel):
            for lab in vocab.objects(concept, p):
                yield code, str(lab)
