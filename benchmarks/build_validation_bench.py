"""Benchmark (not a test): validating a build as it is made against building then validating it.

    .venv/bin/python benchmarks/build_validation_bench.py [--docs 500 2000] [--jobs 2] [--work DIR]

For each N, ``adminkg synth --docs N --seed 1`` writes the documents; then, each a cold build into a
fresh folder, in the same run: ``build --jobs J`` (no validation), ``build --jobs J --validate`` (each
document validated in the worker that emitted it, the cross-document shapes once on the merged graph),
and ``build --jobs J`` followed by ``validate OUT --engine rust`` (the whole graph after the build).
Wall time, CPU seconds and peak memory (``os.wait4``: the process and the workers it waited for) of
each — CPU seconds say what a step costs when other jobs share the machine; the
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


def run(*args: str) -> tuple[float, float, float, subprocess.CompletedProcess]:
    """(seconds, CPU seconds and peak MB of the process and of the workers it waited for, the finished
    process). CPU seconds say what a step costs on a machine other jobs share; wall time what it takes."""
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
    return seconds, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024, done


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

    plain = run(*build, "--out", str(fresh("plain")))
    rows.append((n, "build", *plain[:3]))
    out = fresh("validated")
    valid = run(*build, "--out", str(out), "--validate")
    stats = json.loads((out / "report.json").read_text(encoding="utf-8"))["validation"]
    rows.append((n, "build --validate", *valid[:3]))
    out = fresh("then")
    then = run(*build, "--out", str(out))
    check = run("validate", str(out), "--engine", "rust", "--limit", "0")
    both = (then[0] + check[0], then[1] + check[1], max(then[2], check[2]))
    rows.append((n, "build, then validate --engine rust", *both))
    rows.append((n, "  of which validate", *check[:3]))
    same = valid[3].stdout.splitlines()[-1] == check[3].stdout.splitlines()[-1]
    cross = stats["cross_document"]
    print(f"N={n}: {cross['merged_triples']} triples; per document {stats['per_document']['seconds']} CPU s in the "
          f"workers; cross-document {cross['seconds']} s on {cross['triples_read']} triples; summary line the same "
          f"as `adminkg validate`: {same} ({check[3].stdout.splitlines()[-1]})", flush=True)
    rows.append((n, "ratio --validate / build", *(v / p for v, p in zip(valid[:3], plain[:3]))))
    rows.append((n, "ratio --validate / build+validate", *(v / b for v, b in zip(valid[:3], both))))
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
    print(f"{'N':>6}  {'step':<36} {'wall s':>8} {'CPU s':>8} {'peak MB':>8}")
    for n, step, seconds, cpu, mb in rows:
        if step.startswith("ratio"):
            print(f"{n:>6}  {step:<36} {seconds:>7.2f}x {cpu:>7.2f}x {mb:>7.2f}x")
        else:
            print(f"{n:>6}  {step:<36} {seconds:>8.1f} {cpu:>8.1f} {mb:>8.0f}")


if __name__ == "__main__":
    main()
