"""The output folder of a build: one build at a time (a lock), and one clear message for what the
file system refuses (a folder that cannot be created or written, a full disk) instead of a traceback.

The lock is an advisory ``flock`` on the output folder itself, held for the whole build: the kernel
releases it when the process ends, however it ends, so a build that was killed leaves no stale lock,
and no lock file is left among the outputs (the published data/ttl among them).
"""
from __future__ import annotations

import errno
import os
from contextlib import contextmanager
from pathlib import Path

from .errors import InputError


def write_error(path, exc: OSError) -> InputError:
    """An :class:`InputError` naming *path*, what went wrong and what to do."""
    reason = exc.strerror or " ".join(str(exc).split())
    if exc.errno in (errno.ENOSPC, errno.EDQUOT) or "No space left on device" in str(exc):
        advice = "the disk is full: free some space (or choose another --out) and build again"
    elif exc.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
        advice = "not writable here: choose another --out or change the folder's permissions"
    elif exc.errno in (errno.ENOTDIR, errno.EEXIST):
        advice = "a file stands where a folder is needed: choose another --out"
    else:
        advice = "choose another --out"
    return InputError(getattr(exc, "filename", None) or path, f"cannot write ({reason}); {advice}. "
                                                              "An earlier build there is left as it was")


def make_folder(out: Path) -> bool:
    """Create *out* (and its parents); True when it did not exist. :class:`InputError` when it cannot."""
    out = Path(out)
    existed = out.is_dir()
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise write_error(out, exc) from exc
    return not existed


@contextmanager
def locked(out: Path):
    """Hold the build lock of the folder *out*; :class:`InputError` when another build holds it."""
    import fcntl

    out = Path(out)
    try:
        fd = os.open(out, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
    except OSError as exc:
        raise write_error(out, exc) from exc
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError as exc:
            raise InputError(out, "another build is writing into this folder: wait for it to finish, "
                                  "or build into another --out") from exc
        yield out
    finally:
        os.close(fd)  # closing releases the lock
