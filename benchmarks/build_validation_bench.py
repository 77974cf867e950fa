"""Benchmark (not a test): validating a build as it is made against building then validating it.

    .venv/bin/python benchmarks/build_validation_bench.py [--docs 500 2000] [--jobs 2] [--work DIR]

For each N, ``adminkg synth --docs N --seed 1`` writes the documents; then, each a cold build into a
fresh folder, in the same run: ``build --jobs J`` (no validation), ``build --jobs J --validate`` (each
document validated in the worker that emitted it, the cross-document shapes once on the merged graph),
and ``build --jobs J`` followed by ``validate OUT --engine rust`` (the whole graph after the build).
Wall time and peak memory (``os.wait4``: the process and the workers it waited for) of each; the
validating build's report (its summary line) must be the one ``adminkg validate`` prints. Ratios
are against the plain build and against build-then-validate of the same N.
"""
from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

BIN = Path(sys.executable).parent


def run(*args: str) -> tuple[float, float, subprocess.CompletedProcess]:
    """(seconds, peak MB of the process and of the workers it waited for, the finished process)."""
    with tempfile.TemporaryFile("w+") as out, tempfile.TemporaryFile("w+") as err:
        started = time.perf_counter()
        proc = subprocess.Popen([str(BIN / "adminkg"), *args], stdout=out, stderr=err, text=True)
        _, status, usage = os.wait4(proc.pid, 0)
        seconds = time.perf_counter() - started
        out.seek(0)
        err.seek(0)
        done = subprocess.CompletedProcess(args, os.waitstatus_to_exitcode(status), out.read(), err.read())
    if done.returncode not in (0, 1, 2):
        sys.exit(f"adminkg {' '.join(args)} failed ({done.returncode}):\n{done.stderr[-2000:]}")
    return seconds, usage.ru_maxrss / 1024, done


def measure(n: int, jobs: int, work: Path) -> list[tuple]:
    corpus = work / f"synth-{n}"
    if not (corpus / "docs").is_dir():
        run("synth", "--docs", str(n), "--seed", "1", "--out", str(corpus))
    rows = []
    build = ["build", "--corpus", str(corpus / "docs"), "--jobs", str(jobs)]

    def fresh(name: str) -> Path:
        out = work / f"{name}-{n}"
        shutil.rmtree(out, ignore_errors=True)
        return out

    plain_s, plain_mb, _ = run(*build, "--out", str(fresh("plain")))
    rows.append((n, "build", plain_s, plain_mb))
    out = fresh("validated")
    valid_s, valid_mb, done = run(*build, "--out", str(out), "--validate")
    stats = json.loads((out / "report.json").read_text(encoding="utf-8"))["validation"]
    rows.append((n, "build --validate", valid_s, valid_mb))
    out = fresh("then")
    then_s, then_mb, _ = run(*build, "--out", str(out))
    check_s, check_mb, checked = run("validate", str(out), "--engine", "rust", "--limit", "0")
    rows.append((n, "build, then validate --engine rust", then_s + check_s, max(then_mb, check_mb)))
    rows.append((n, "  of which validate", check_s, check_mb))
    same = done.stdout.splitlines()[-1] == checked.stdout.splitlines()[-1]
    cross = stats["cross_document"]
    print(f"N={n}: {cross['merged_triples']} triples; per document {stats['per_document']['seconds']} CPU s in the "
          f"workers; cross-document {cross['seconds']} s on {cross['triples_read']} triples; summary line the same "
          f"as `adminkg validate`: {same} ({checked.stdout.splitlines()[-1]})", flush=True)
    rows.append((n, "ratio --validate / build", valid_s / plain_s, valid_mb / plain_mb))
    rows.append((n, "ratio --validate / build+validate", valid_s / (then_s + check_s),
                 valid_mb / max(then_mb, check_mb)))
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--docs", type=int, nargs="+", default=[500, 2000])
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--work", type=Path, default=None,
                        help="Folder for corpora and builds (default: a temporary one).")
    args = parser.parse_args()
    work = args.work or Path(tempfile.mkdtemp(prefix="adminkg-validation-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    rows = []
    for n in args.docs:
        rows += measure(n, args.jobs, work)
    print(f"{'N':>6}  {'step':<36} {'seconds':>9} {'peak MB':>9}")
    for n, step, seconds, mb in rows:
        unit = "x" if step.startswith("ratio") else ""
        print(f"{n:>6}  {step:<36} {seconds:>8.2f}{unit or ' '} {mb:>8.2f}{unit}" if unit else
              f"{n:>6}  {step:<36} {seconds:>9.1f} {mb:>9.0f}")


if __name__ == "__main__":
    main()
