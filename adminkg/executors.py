"""Where the per-document work of a build runs, by name: ``local`` (this process, or worker
processes on this machine) or ``dask`` (a Dask cluster: ``dask.bag`` over shards of the documents).

An executor runs ``fn(work, task)`` for every task and yields the results in the order of the tasks,
so what the build merges does not depend on where or in what order the work ran. *work* is what
every task shares (the model, the options), sent with each chunk of tasks (local) or once to every
worker (Dask), never per task. Only a few chunks per worker run ahead of the result being read
(:data:`AHEAD`), so memory stays bounded however many documents a build has.
"""
from __future__ import annotations

import gc
import math
import multiprocessing
from collections import deque
from collections.abc import Callable, Iterator
from itertools import islice

from .errors import InputError

SHARD = 32  # documents per Dask task: large enough that scheduling costs little, small enough to balance
AHEAD = 4  # chunks (shards) per worker in flight beyond the one being read
DASK_EXTRA = "pip install 'adminkg[dask]'"


def run_local(fn: Callable, work, tasks: list, *, jobs: int = 1, scheduler: str | None = None) -> Iterator:
    """In this process (*jobs* 1) or in *jobs* worker processes (forked where the system can, so a
    worker starts with what this process has loaded). At most :data:`AHEAD` chunks per worker are
    submitted ahead of the one the caller reads: results wait in memory only that far, however many
    tasks there are and however slowly the caller merges."""
    if jobs <= 1 or len(tasks) <= 1:
        yield from (fn(work, task) for task in tasks)
        return
    from concurrent.futures import ProcessPoolExecutor

    size = max(1, min(64, len(tasks) // (jobs * 8)))
    chunks = (tasks[i : i + size] for i in range(0, len(tasks), size))
    method = "fork" if "fork" in multiprocessing.get_all_start_methods() else None
    with ProcessPoolExecutor(jobs, mp_context=multiprocessing.get_context(method)) as pool:
        try:
            gc.freeze()  # forked workers never collect what they inherit: its pages stay shared, not copied
            try:
                window = deque(pool.submit(_shard, chunk, fn, work) for chunk in islice(chunks, jobs * AHEAD))
            finally:
                gc.unfreeze()  # the workers have started
            while window:
                done = window.popleft().result()
                window.extend(pool.submit(_shard, chunk, fn, work) for chunk in islice(chunks, 1))
                yield from done
        finally:
            pool.shutdown(cancel_futures=True)


def _shard(tasks: list, fn: Callable, work) -> list:
    return [fn(work, task) for task in tasks]


def _dask():
    try:
        import dask.bag
        from dask.distributed import Client, LocalCluster
    except ImportError as exc:
        raise InputError("--executor", f"dask needs Dask and distributed, which are not installed: {DASK_EXTRA}") \
            from exc
    return dask.bag, Client, LocalCluster


def run_dask(fn: Callable, work, tasks: list, *, jobs: int = 1, scheduler: str | None = None) -> Iterator:
    """On the Dask cluster whose scheduler is at *scheduler* (``tcp://host:8786``; its workers need
    adminkg installed and the documents at the same paths), or on a ``LocalCluster`` of *jobs*
    worker processes started for this build. Shards of :data:`SHARD` documents are computed
    anywhere and gathered in order."""
    bag, Client, LocalCluster = _dask()
    if not tasks:
        return
    cluster = None
    try:
        if scheduler is None:
            cluster = LocalCluster(n_workers=jobs, threads_per_worker=1, processes=True, dashboard_address=None)
        try:
            client = Client(scheduler or cluster, timeout="20s", set_as_default=False)
        except OSError as exc:  # no scheduler there (a time-out is an OSError too)
            raise InputError("--scheduler", f"no Dask scheduler answers at {scheduler}: {exc}") from exc
        with client:
            shards = bag.from_sequence(tasks, npartitions=max(1, math.ceil(len(tasks) / SHARD)))
            # the shared work goes to every worker once; the shards are computed AHEAD per worker
            # ahead of the one read, so finished shards never pile up in the cluster's memory
            parts = iter(shards.map_partitions(_shard, fn, client.scatter(work, broadcast=True)).to_delayed())
            window = deque(client.compute(list(islice(parts, jobs * AHEAD))))
            try:
                while window:
                    future = window.popleft()
                    done = future.result()
                    future.release()
                    window.extend(client.compute(list(islice(parts, 1))))
                    yield from done
            finally:
                client.cancel(list(window))
    finally:
        if cluster is not None:
            cluster.close()


EXECUTORS = {"local": run_local, "dask": run_dask}


def require(name: str, scheduler: str | None = None) -> None:
    """:class:`InputError` unless the executor *name* exists, can run here (Dask installed) and takes
    *scheduler*."""
    if name not in EXECUTORS:
        raise InputError("--executor", f"unknown executor {name!r} (known: {', '.join(EXECUTORS)})")
    if scheduler is not None and name != "dask":
        raise InputError("--scheduler", f"is for --executor dask; the {name} executor has no scheduler")
    if name == "dask":
        _dask()


def run(name: str, fn: Callable, work, tasks: list, *, jobs: int = 1, scheduler: str | None = None) -> Iterator:
    """The results of ``fn(work, task)`` for *tasks*, in their order, from the executor *name*."""
    require(name, scheduler)
    return EXECUTORS[name](fn, work, tasks, jobs=jobs, scheduler=scheduler)


__all__ = ["EXECUTORS", "require", "run", "run_dask", "run_local"]
