"""HWPX (OWPML, KS X 6101: a zip of XML, 한글 2010 and later): the sections ``Contents/section*.xml``
in the order the package's spine (``Contents/content.hpf``) gives, else by number; paragraphs
(``hp:p``) in order, tables (``hp:tbl``) as rows of tab-joined cells (:mod:`.markup`). Read with
the standard library's zipfile and defusedxml, within the archive caps.
"""
from __future__ import annotations

import re

from adminkg.errors import InputError

from . import Extracted
from .markup import lines_of, local, open_archive, parse_xml, read_member

MANIFEST = "Contents/content.hpf"
SECTION = re.compile(r"Contents/section(\d+)\.xml", re.IGNORECASE)


def sections(path, archive, limits) -> list[str]:
    """The section members in reading order: the spine's, else by number."""
    names = {info.filename for info in archive.infolist()}
    numbered = sorted((int(m.group(1)), n) for n in names if (m := SECTION.fullmatch(n)))
    if MANIFEST in names:
        root = parse_xml(path, MANIFEST, read_member(path, archive, MANIFEST, limits))
        hrefs = {el.get("id"): el.get("href", "") for el in root.iter() if local(el.tag) == "item"}
        spine = [hrefs.get(el.get("idref")) for el in root.iter() if local(el.tag) == "itemref"]
        ordered = [h if h in names else f"Contents/{h}" for h in spine if h]
        ordered = [h for h in ordered if SECTION.fullmatch(h) and h in names]
        if ordered:
            return list(dict.fromkeys(ordered))
    return [n for _, n in numbered]


def read(path, data: bytes, limits) -> Extracted:
    archive = open_archive(path, data, limits, "HWPX")
    members = sections(path, archive, limits)
    if not members:
        raise InputError(path, "no Contents/section*.xml: not an HWPX document")
    lines: list[str] = []
    for member in members:
        limits.check_time(path)
        root = parse_xml(path, member, read_member(path, archive, member, limits))
        lines += lines_of(root, lambda: limits.check_time(path))
    return Extracted(["\n".join(lines) + "\n"] if lines else [""])
