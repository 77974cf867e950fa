"""Python's ``re`` with a larger cache of compiled patterns, for the extraction passes.

The passes match the lexicon's patterns by their text (``re.match(cfg[...], s)``); the lexicon has
more of them than ``re``'s own cache holds (512), so ``re`` recompiled them over and over (a
quarter of a build's time). Same functions, same results; import it as ``from . import regex as re``.
"""
from __future__ import annotations

import functools
import re as _re
from re import DOTALL, IGNORECASE, MULTILINE, Match, Pattern, escape  # noqa: F401 - the re names the passes use

compile = functools.lru_cache(maxsize=8192)(_re.compile)  # noqa: A001 - the same name as re's


def search(pattern, string, flags=0):
    return compile(pattern, flags).search(string)


def match(pattern, string, flags=0):
    return compile(pattern, flags).match(string)


def fullmatch(pattern, string, flags=0):
    return compile(pattern, flags).fullmatch(string)


def finditer(pattern, string, flags=0):
    return compile(pattern, flags).finditer(string)


def findall(pattern, string, flags=0):
    return compile(pattern, flags).findall(string)


def split(pattern, string, maxsplit=0, flags=0):
    return compile(pattern, flags).split(string, maxsplit)


def sub(pattern, repl, string, count=0, flags=0):
    return compile(pattern, flags).sub(repl, string, count)
