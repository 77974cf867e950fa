"""The executors yield results in the order of the tasks and keep only a bounded window of work in
flight: a caller that merges slowly never has every result of a large build waiting in memory."""
from __future__ import annotations

import os
import time
from pathlib import Path

import pytest

from adminkg import executors


def _mark(folder: str, task: int) -> int:
    """A task that leaves a file behind when it ran (workers are other processes)."""
    Path(folder, str(task)).touch()
    return task * task


def _ran_until_still(folder: Path, total: int) -> int:
    """How many tasks ran, once no more start (or all did)."""
    count, still = -1, 0
    while still < 10 and count < total:
        now = len(os.listdir(folder))
        still = still + 1 if now == count else 0
        count = now
        time.sleep(0.1)
    return count


@pytest.mark.parametrize("name", ["local", "dask"])
def test_results_come_in_order_with_a_bounded_window_in_flight(name, tmp_path):
    if name == "dask":
        pytest.importorskip("distributed")
    tasks = list(range(3000))
    results = executors.run(name, _mark, str(tmp_path), tasks, jobs=2)
    first = next(results)
    assert first == 0
    ran = _ran_until_still(tmp_path, len(tasks))
    # held at the first result: the workers ran the window ahead of it, not the whole build
    chunk = executors.SHARD if name == "dask" else min(64, len(tasks) // 16)
    assert ran <= (2 * executors.AHEAD + 1) * chunk < len(tasks)
    rest = list(results)
    assert [first, *rest] == [t * t for t in tasks]
    assert len(os.listdir(tmp_path)) == len(tasks)


def test_one_job_runs_in_this_process_in_order(tmp_path):
    assert list(executors.run("local", _mark, str(tmp_path), [3, 1, 2], jobs=1)) == [9, 1, 4]
