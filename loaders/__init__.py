"""adminkg loaders: documents and tables → :class:`records.CaseRecord` s.

``documents`` and ``readers`` read files as NFC text, ``tabular`` reads curated tables, and
``korean`` extracts cases from Korean documents through the passes of ``passes`` (run in the
lexicon's order by ``pipeline``), with the features, model and proposals of ``features``, ``model``
and ``generate``.
"""
