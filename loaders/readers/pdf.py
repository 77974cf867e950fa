"""PDF with a text layer, read with PDFium (``pypdfium2``): one part per page, so evidence can name
the page. Characters are taken one by one with their boxes: on a line, a gap wider than
``limits.table_gap_em`` font sizes splits table cells (a tab), a narrower one is a space, so a table
keeps its rows and cells as in the other formats. A page without a text layer (a scan) gets a
note — OCR is not done here — and a document with no text on any page is skipped as a scanned PDF.
"""
from __future__ import annotations

from adminkg.errors import InputError

from . import Extracted, Skipped

NO_TEXT = "no text layer: OCR is not done here"


def page_text(textpage, gap_em: float) -> str:
    """The text of one page in PDFium's order. A line is a band of height: a character whose middle
    lies outside the band of the line so far starts a new line (PDFium does not always break the
    rows of a table); on a line, a gap wider than *gap_em* font sizes is a tab, a narrower one
    marked by a space is a space."""
    import pypdfium2.raw as pdfium_c

    out: list[str] = []
    band = None  # (bottom, top) of the current line; None at a line's start
    right = 0.0
    space = False
    for i in range(textpage.count_chars()):
        code = pdfium_c.FPDFText_GetUnicode(textpage, i)
        if code in (10, 13):
            if out and out[-1] != "\n":
                out.append("\n")
            band, space = None, False
            continue
        if code in (0, 0xFFFE, 0xFFFF) or 0xD800 <= code <= 0xDFFF:
            continue  # no Unicode value for this glyph, or half a surrogate pair
        ch = chr(code)
        if ch.isspace():
            space = True
            continue
        left, bottom, new_right, top = textpage.get_charbox(i)
        if band is not None:
            if not band[0] <= (bottom + top) / 2 <= band[1]:
                out.append("\n")
                band = None
            elif left - right > gap_em * (pdfium_c.FPDFText_GetFontSize(textpage, i) or 10.0):
                out.append("\t")
            elif space:
                out.append(" ")
        band = (bottom, top) if band is None else (min(band[0], bottom), max(band[1], top))
        right, space = new_right, False
        out.append(ch)
    return "".join(out).strip("\n") + "\n"


def read(path, data: bytes, limits) -> Extracted:
    import pypdfium2

    try:
        pdf = pypdfium2.PdfDocument(data)
    except pypdfium2.PdfiumError as exc:
        problem = "encrypted: it needs a password" if "password" in str(exc).lower() else f"damaged ({exc})"
        raise InputError(path, f"not a readable PDF: {problem}") from exc
    notes: list[str] = []
    parts: list[str] = []
    try:
        total = len(pdf)
        if total > limits.max_pages:
            notes.append(f"pages {limits.max_pages + 1}–{total} not read (limits.max_pages is {limits.max_pages})")
        blank = []
        for number in range(1, min(total, limits.max_pages) + 1):
            limits.check_time(path)
            page = pdf[number - 1]
            textpage = page.get_textpage()
            try:
                text = page_text(textpage, limits.table_gap_em)
            finally:
                textpage.close()
                page.close()
            if not text.strip():
                blank.append(number)
                text = "\n"
            parts.append(text)
            limits.check_characters(path, sum(map(len, parts)))
    finally:
        pdf.close()
    if not parts or len(blank) == len(parts):
        raise Skipped(path, f"scanned PDF: {NO_TEXT} ({total} page{'s' if total != 1 else ''} without text)",
                      "scanned PDF")
    if blank:
        notes.append(f"page{'s' if len(blank) > 1 else ''} {_ranges(blank)}: {NO_TEXT}")
    return Extracted(parts, "page", notes)


def _ranges(numbers: list[int]) -> str:
    """1, 2, 3, 5 → '1–3, 5'."""
    out, start = [], numbers[0]
    for a, b in zip(numbers, numbers[1:] + [None]):
        if b != a + 1:
            out.append(f"{start}" if start == a else f"{start}–{a}")
            start = b
    return ", ".join(out)
