"""Benchmark (not a test): characters per second of `adminkg build` on a corpus repeated to at
least 5 MB, with its model and with the rules alone, next to Kiwi's (kiwipiepy) tokenize on the
same text, in the same run.

    .venv/bin/pip install kiwipiepy      # brings its model package; nothing is downloaded at run time
    .venv/bin/python benchmarks/build_throughput.py [--corpus ../shared/corpus] [--mb 5]
"""
from __future__ import annotations

import argparse
import shutil
import tempfile
import time
from pathlib import Path

from adminkg.build import build
from adminkg.loaders.documents import find_documents, read_document
from adminkg.loaders.readers import SUFFIXES


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--corpus", type=Path, default=Path(__file__).resolve().parents[1].parent / "shared" / "corpus")
    ap.add_argument("--mb", type=float, default=5.0)
    ap.add_argument("--store", action="store_true", help="also load the embedded store")
    args = ap.parse_args()
    files = [f for f in find_documents([args.corpus]) if f.suffix.lower() in SUFFIXES]  # documents, not other files
    texts = [read_document(f).text for f in files]
    size = sum(len(t.encode("utf-8")) for t in texts)
    copies = max(1, int(args.mb * 1e6 // size) + 1)
    with tempfile.TemporaryDirectory() as tmp:
        corpus = Path(tmp) / "corpus"
        for i in range(copies):
            for f in files:
                target = corpus / f"copy{i:03d}" / f.name
                target.parent.mkdir(parents=True, exist_ok=True)
                shutil.copyfile(f, target)
        chars = sum(len(t) for t in texts) * copies
        print(f"corpus: {len(files)} documents x {copies} = {size * copies / 1e6:.1f} MB, {chars} characters")
        # one process and no fragment cache: the extraction's own throughput per core (a cold build
        # that fills the cache writes each document's fragment too, about 14 % more time)
        started = time.perf_counter()
        report = build([corpus], Path(tmp) / "out", store=args.store, cache=False)
        build_s = time.perf_counter() - started
        started = time.perf_counter()
        rules = build([corpus], Path(tmp) / "rules", store=args.store, model=False, cache=False)
        rules_s = time.perf_counter() - started
    print(f"adminkg build: {build_s:.1f} s, {chars / build_s:,.0f} characters/s ({report.cases} cases)")
    print(f"adminkg build, rules alone (no model): {rules_s:.1f} s, {chars / rules_s:,.0f} characters/s "
          f"({rules.cases} cases); the model costs {build_s / rules_s:.2f}x")
    try:
        from kiwipiepy import Kiwi
    except ImportError:
        print("kiwipiepy is not installed: no comparison (pip install kiwipiepy)")
        return
    kiwi = Kiwi()
    started = time.perf_counter()
    tokens = 0
    for _ in range(copies):
        for t in texts:
            tokens += len(kiwi.tokenize(t))
    kiwi_s = time.perf_counter() - started
    print(f"kiwipiepy tokenize: {kiwi_s:.1f} s, {chars / kiwi_s:,.0f} characters/s ({tokens} tokens)")
    print(f"ratio adminkg build / kiwi tokenize throughput: {kiwi_s / build_s:.2f}")


if __name__ == "__main__":
    main()
