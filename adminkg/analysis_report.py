"""The analysis report: one HTML file with the pictures embedded (PNG as data URIs), the tables'
first rows, each measure's one-sentence explanation and every table's coverage (cases covered,
left out and why)."""
from __future__ import annotations

import base64
import html
from pathlib import Path

STYLE = """body{font-family:'NanumGothic','Noto Sans CJK KR',sans-serif;max-width:1200px;margin:2em auto;padding:0 1em;
color:#222}table{border-collapse:collapse;margin:.5em 0 1.5em;font-size:90%}td,th{border:1px solid #ccc;
padding:2px 6px;text-align:left}th{background:#f0f0f0}img{max-width:100%;border:1px solid #ddd}
.explain{color:#444;font-style:italic}.coverage{color:#7a4b00}"""


def _table(rows: list[dict], limit: int) -> str:
    if not rows:
        return "<p>(no rows)</p>"
    cols = list(rows[0])
    head = "".join(f"<th>{html.escape(str(c))}</th>" for c in cols)
    body = "".join("<tr>" + "".join(f"<td>{html.escape(str(r.get(c, '')))}</td>" for c in cols) + "</tr>"
                   for r in rows[:limit])
    more = f"<p>… {len(rows) - limit} more rows in the CSV file.</p>" if len(rows) > limit else ""
    return f"<table><tr>{head}</tr>{body}</table>{more}"


def _picture(path: Path | None, alt: str) -> str:
    if path is None or not path.exists():
        return ""
    data = base64.b64encode(path.read_bytes()).decode("ascii")
    return f'<p><img alt="{html.escape(alt)}" src="data:image/png;base64,{data}"></p>'


def render(sections: list[dict], *, title: str, preamble: list[str], limit: int) -> str:
    """*sections*: dicts with ``title`` and optional ``explain``, ``coverage``, ``summary`` (dict),
    ``picture`` (a PNG path), ``table`` (rows) and ``file`` (the CSV's name)."""
    parts = [f"<!DOCTYPE html><html lang='ko'><head><meta charset='utf-8'><title>{html.escape(title)}</title>"
             f"<style>{STYLE}</style></head><body><h1>{html.escape(title)}</h1>"]
    parts += [f"<p>{html.escape(p)}</p>" for p in preamble]
    parts.append("<ul>" + "".join(f"<li><a href='#s{i}'>{html.escape(s['title'])}</a></li>"
                                  for i, s in enumerate(sections)) + "</ul>")
    for i, s in enumerate(sections):
        parts.append(f"<h2 id='s{i}'>{html.escape(s['title'])}</h2>")
        for key in ("explain", "coverage"):
            for line in ([s[key]] if isinstance(s.get(key), str) else s.get(key) or []):
                parts.append(f"<p class='{key}'>{html.escape(line)}</p>")
        if s.get("summary"):
            parts.append("<p>" + "; ".join(f"{html.escape(str(k))}: {html.escape(str(v))}"
                                           for k, v in s["summary"].items()) + "</p>")
        parts.append(_picture(s.get("picture"), s["title"]))
        if "table" in s:
            if s.get("file"):
                parts.append(f"<p>File: <code>{html.escape(s['file'])}</code></p>")
            parts.append(_table(s["table"], limit))
    parts.append("</body></html>")
    return "\n".join(parts)
