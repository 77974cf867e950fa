"""Tables written in the text: their rows, their cells with offsets, and what each column holds.

Documents lay out award results as tables in several text forms: cells joined by a tab (as the
readers write the tables of HTML, HWPX, DOCX and PDF), by ``|`` (pipe and Markdown tables, whose
``|---|`` rule row is skipped). A table is a run of at least ``min_rows`` consecutive lines with the
same number (at least two) of cells, the first of them its header. Each header cell is given a role
by the words of the lexicon's ``[tables] columns`` (사례명 → title, 기관 → agency, 부서 → department,
등급 → grade, 순위 → rank, 협업 기관 → partner); a table without a title column is no table of cases.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from . import regex as re
from .records import Span

RULE_ROW = re.compile(r"^\s*\|?(?:\s*:?-{2,}:?\s*\|)+\s*:?-*:?\s*\|?\s*$")


@dataclass
class Row:
    start: int                      # offset of the row's line in the text
    end: int
    cells: dict[str, Span] = field(default_factory=dict)  # role → the cell (stripped), non-empty only


@dataclass
class Table:
    start: int                      # offset of the header line
    end: int                        # end of the last row
    roles: list[str | None]         # the role of each column, None for a column of no known role
    rows: list[Row]


def _cells(line: str) -> list[tuple[int, int]] | None:
    """(start, end) of each cell of *line* (offsets in the line, spaces stripped), or None when the
    line is no table row."""
    sep = "\t" if "\t" in line else ("|" if line.count("|") >= 1 else None)
    if sep is None:
        return None
    body_start, body_end = 0, len(line)
    if sep == "|":
        stripped = line.strip()
        if not stripped:
            return None
        lead = line.index(stripped[0])
        if stripped.startswith("|"):
            body_start = lead + 1
        if stripped.endswith("|") and len(stripped) > 1:
            body_end = lead + len(stripped) - 1
    out, at = [], body_start
    for piece in line[body_start:body_end].split(sep):
        a, b = at, at + len(piece)
        text = line[a:b]
        a += len(text) - len(text.lstrip())
        b -= len(text) - len(text.rstrip())
        out.append((a, max(a, b)))
        at += len(piece) + 1
    return out if len(out) >= 2 else None


def column_role(header: str, columns: dict[str, list[str]]) -> str | None:
    """The role of a header cell: the first role one of whose words the cell is (spaces and
    middle dots ignored), else None."""
    key = re.sub(r"[\s·ㆍ*_]", "", header)
    for role, words in columns.items():
        if any(key == re.sub(r"[\s·ㆍ]", "", w) for w in words):
            return role
    for role, words in columns.items():
        if any(len(w) >= 2 and re.sub(r"[\s·ㆍ]", "", w) in key for w in words):
            return role
    return None


def find_tables(text: str, cfg: dict) -> list[Table]:
    """Every table of cases in *text* (see the module docstring); *cfg* is the lexicon's ``[tables]``."""
    lines, at = [], 0
    for line in text.split("\n"):
        lines.append((at, line))
        at += len(line) + 1
    tables: list[Table] = []
    i = 0
    while i < len(lines):
        start, line = lines[i]
        cells = _cells(line)
        if cells is None or RULE_ROW.match(line):
            i += 1
            continue
        width = len(cells)
        block = [(start, line, cells)]
        j = i + 1
        while j < len(lines):
            s, ln = lines[j]
            if RULE_ROW.match(ln):
                j += 1
                continue
            c = _cells(ln)
            if c is None or len(c) != width:
                break
            block.append((s, ln, c))
            j += 1
        if len(block) - 1 >= cfg["min_rows"]:
            h_start, h_line, h_cells = block[0]
            roles = [column_role(h_line[a:b], cfg["columns"]) for a, b in h_cells]
            if "title" in roles:
                rows = []
                for s, ln, cs in block[1:]:
                    row = Row(s, s + len(ln))
                    for role, (a, b) in zip(roles, cs):
                        if role and b > a and role not in row.cells:
                            row.cells[role] = Span(s + a, s + b, ln[a:b])
                    if "title" in row.cells:
                        rows.append(row)
                if rows:
                    tables.append(Table(h_start, block[-1][0] + len(block[-1][1]), roles, rows))
        i = j
    return tables
