"""DOCX (Office Open XML WordprocessingML): the body of ``word/document.xml`` — paragraphs in order,
tables as rows of tab-joined cells (:mod:`.markup`). Headers, footers, footnotes and comments are
left out: agencies put the practice in the body. Read with the standard library's zipfile and
defusedxml, within the archive caps; python-docx is not needed to read.
"""
from __future__ import annotations

from adminkg.errors import InputError

from . import Extracted
from .markup import lines_of, local, open_archive, parse_xml, read_member

BODY = "word/document.xml"


def read(path, data: bytes, limits) -> Extracted:
    archive = open_archive(path, data, limits, "DOCX")
    root = parse_xml(path, BODY, read_member(path, archive, BODY, limits))
    body = next((el for el in root if local(el.tag) == "body"), None)
    if local(root.tag) != "document" or body is None:
        raise InputError(path, f"{BODY} is no WordprocessingML document (root {local(root.tag) or '?'})")
    lines = lines_of(body, lambda: limits.check_time(path))
    return Extracted(["\n".join(lines) + "\n"] if lines else [""])
