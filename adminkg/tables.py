"""Aligned plain-text tables that stay aligned with Korean text (wide characters count 2)."""
from __future__ import annotations

import unicodedata


def display_width(text: str) -> int:
    """Columns *text* takes in a terminal: East Asian wide and full-width characters take two."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 0 if unicodedata.combining(ch) else 1
               for ch in text)


def pad(text: str, width: int, *, right: bool = False) -> str:
    gap = " " * max(0, width - display_width(text))
    return gap + text if right else text + gap


def format_table(header: list[str], rows: list[list[str]], *, max_width: int = 60) -> str:
    """Render *rows* under *header*; cells longer than *max_width* columns are cut with '…'."""
    def cut(cell: str) -> str:
        cell = " ".join(str(cell).split())
        if display_width(cell) <= max_width:
            return cell
        out = ""
        for ch in cell:
            if display_width(out + ch) > max_width - 1:
                break
            out += ch
        return out + "…"

    cells = [[cut(c) for c in row] for row in rows]
    widths = [display_width(h) for h in header]
    for row in cells:
        widths = [max(w, display_width(c)) for w, c in zip(widths, row)]
    numeric = [all(c.lstrip("-").replace(".", "", 1).isdigit() for c in col if c) and any(col)
               for col in zip(*cells)] if cells else [False] * len(header)
    lines = ["  ".join(pad(h, w) for h, w in zip(header, widths)).rstrip(),
             "  ".join("-" * w for w in widths)]
    for row in cells:
        lines.append("  ".join(pad(c, w, right=n) for c, w, n in zip(row, widths, numeric)).rstrip())
    return "\n".join(lines)
