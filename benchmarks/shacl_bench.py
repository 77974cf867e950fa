"""Benchmark (not a test): SHACL validation of a Turtle folder by pySHACL and by the Rust engine (the
``shacl`` wheel) in the same run, and whether their results are identical.

    .venv/bin/python benchmarks/shacl_bench.py [FOLDER] [--repeat 1]

FOLDER (default ``data/ttl``) is validated as ``adminkg validate FOLDER`` does: its Turtle files with
the ontology, vocabularies and gazetteer, the adminkg shapes. Two times per engine, wall clock, best of
--repeat: ``validate`` is the whole call (reading the files — rdflib for pySHACL, Oxigraph's parser for
the Rust engine — and validating), ``engine`` the validation alone on the same merged rdflib graph
(:func:`adminkg.validate.validate_graph`, which for the Rust engine includes writing the graph as
N-Triples). Results are compared as sorted (focus, path, component, severity, value, source shape,
messages).

:func:`compare` returns the numbers as a dict, for ``benchmarks/scale_bench.py``.
"""
from __future__ import annotations

import argparse
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _rows(report) -> list[tuple]:
    return sorted((str(r.focus), str(r.path), str(r.component), str(r.severity), str(r.value),
                   str(r.source_shape), tuple(map(str, r.messages))) for r in report.results)


def _best(fn, repeat: int):
    best, out = None, None
    for _ in range(repeat):
        t = time.perf_counter()
        out = fn()
        took = time.perf_counter() - t
        best = took if best is None else min(best, took)
    return best, out


def compare(path: Path | str = ROOT / "data" / "ttl", *, repeat: int = 1) -> dict:
    """pySHACL and the Rust engine on the Turtle folder (or file) *path*: wall times in seconds,
    speed-ups, result counts and whether the results are identical."""
    from adminkg import paths, shacl_rust
    from adminkg.graphio import load_files
    from adminkg.validate import ontology_graph, shapes_graph, validate, validate_graph

    if shacl_rust.version() is None:
        raise SystemExit("the Rust SHACL engine is not installed: pip install 'adminkg[fast-shacl]'")
    files = paths.expand_folders([Path(path)])
    shapes, ontology = shapes_graph(), ontology_graph()
    py_all, py = _best(lambda: validate(files, engine="pyshacl", shapes=shapes), repeat)
    rust_all, rust = _best(lambda: validate(files, engine="rust", shapes=shapes), repeat)
    given = {f.resolve() for f in files}
    data, _errors = load_files([*files, *(f for f in [paths.GAZETTEER_TTL] if f.resolve() not in given)])
    py_engine, py_g = _best(lambda: validate_graph(data, shapes=shapes, ontology=ontology, engine="pyshacl"), repeat)
    rust_engine, rust_g = _best(lambda: validate_graph(data, shapes=shapes, ontology=ontology, engine="rust"), repeat)
    return {
        "path": str(path), "triples": len(py_g.data), "results": len(py.results),
        "engine": rust.engine, "pyshacl": py.engine,
        "pyshacl_validate_s": py_all, "rust_validate_s": rust_all, "validate_speedup": py_all / rust_all,
        "pyshacl_engine_s": py_engine, "rust_engine_s": rust_engine, "engine_speedup": py_engine / rust_engine,
        "identical": _rows(py) == _rows(rust) and _rows(py_g) == _rows(rust_g) and _rows(py) == _rows(py_g),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("folder", nargs="?", default=str(ROOT / "data" / "ttl"))
    parser.add_argument("--repeat", type=int, default=1)
    args = parser.parse_args()
    c = compare(args.folder, repeat=args.repeat)
    print(f"{c['path']}: {c['triples']:,} triples validated (with ontology and vocabularies), {c['results']} results")
    print(f"{'':28}{c['pyshacl']:>16}{c['engine']:>22}{'speed-up':>10}")
    print(f"{'validate (read + validate)':28}{c['pyshacl_validate_s']:>15.2f}s{c['rust_validate_s']:>21.2f}s"
          f"{c['validate_speedup']:>9.1f}x")
    print(f"{'engine (same rdflib graph)':28}{c['pyshacl_engine_s']:>15.2f}s{c['rust_engine_s']:>21.2f}s"
          f"{c['engine_speedup']:>9.1f}x")
    print(f"identical results: {'yes' if c['identical'] else 'NO'}")


if __name__ == "__main__":
    main()
