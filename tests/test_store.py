"""The embedded store: persistent pyoxigraph store in the build folder, loaded atomically — a failed or
interrupted load leaves the previous store usable."""
from __future__ import annotations

import subprocess
import sys
import time

import pyoxigraph
import pytest

from adminkg.errors import InputError
from adminkg.store import build_store, open_store

COUNT = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"


def triples_in(store_dir) -> int:
    store = pyoxigraph.Store.read_only(str(store_dir))
    n = int(next(iter(store.query(COUNT)))["n"].value)
    del store
    return n


def write_turtle(path, n: int) -> None:
    """*n* triples whose subjects are named after the file, so two files share none."""
    with open(path, "w", encoding="utf-8") as out:
        out.write(f"@prefix ex: <http://example.org/{path.stem}/> .\n")
        for i in range(n):
            out.write(f'ex:s{i} ex:p "값 {i}"@ko .\n')


def test_a_failed_load_leaves_the_previous_store(tmp_path):
    good, bad = tmp_path / "good.ttl", tmp_path / "bad.ttl"
    write_turtle(good, 100)
    bad.write_text("@prefix ex: <http://example.org/> .\nex:a ex:b ex:c .\nex:broken ex:p \"unterminated .\n",
                   encoding="utf-8")
    target = tmp_path / "store"
    build_store(target, [good])
    assert triples_in(target) == 100
    with pytest.raises(InputError) as failed:
        build_store(target, [good, bad])
    assert "bad.ttl" in str(failed.value)
    assert triples_in(target) == 100
    assert sorted(p.name for p in tmp_path.iterdir()) == ["bad.ttl", "good.ttl", "store"]


def test_an_interrupted_load_leaves_the_previous_store(tmp_path):
    small, big = tmp_path / "small.ttl", tmp_path / "big.ttl"
    write_turtle(small, 10)
    write_turtle(big, 600_000)
    target = tmp_path / "store"
    build_store(target, [small])
    code = f"from adminkg.store import build_store; build_store({str(target)!r}, [{str(big)!r}])"
    proc = subprocess.Popen([sys.executable, "-c", code])
    time.sleep(1.5)
    assert proc.poll() is None, "the load finished before it could be interrupted: make the file bigger"
    proc.kill()
    proc.wait(10)
    assert triples_in(target) == 10
    build_store(target, [small, big])  # the next load cleans up what the killed one left
    assert triples_in(target) == 600_010
    assert sorted(p.name for p in tmp_path.iterdir()) == ["big.ttl", "small.ttl", "store"]


def test_open_store_prefers_the_store_and_names_a_missing_folder(tmp_path):
    ttl = tmp_path / "cases.ttl"
    write_turtle(ttl, 3)
    build_store(tmp_path / "store", [ttl])
    assert len(open_store(tmp_path)) == 3  # the build folder's store, not its Turtle + ontology
    with pytest.raises(InputError, match="no such build folder"):
        open_store(tmp_path / "missing")
