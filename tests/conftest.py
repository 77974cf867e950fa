"""Shared fixtures: the repository layout, the ../shared folder, and the parsed ontology."""
from __future__ import annotations

import contextlib
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SHARED = Path(os.environ.get("ADMINKG_SHARED", ROOT.parent / "shared"))


@pytest.fixture(scope="session")
def ontology():
    from adminkg.validate import ontology_graph

    return ontology_graph()


@pytest.fixture(scope="session")
def shapes():
    from adminkg.validate import shapes_graph

    return shapes_graph()


@pytest.fixture(scope="session")
def gazetteer():
    from adminkg.graphio import load_files
    from adminkg.paths import GAZETTEER_TTL

    graph, errors = load_files([GAZETTEER_TTL])
    assert not errors
    return graph


@pytest.fixture(scope="session")
def shared() -> Path:
    if not (SHARED / "corpus").is_dir():
        pytest.skip(f"{SHARED} (the shared corpus and spec) is not beside the checkout")
    return SHARED


def run_cli(*args: str, cwd: Path | None = None, env: dict | None = None) -> subprocess.CompletedProcess:
    """Run the installed console script (the real entry point), capturing output."""
    exe = shutil.which("adminkg", path=str(Path(sys.executable).parent)) or "adminkg"
    return subprocess.run([exe, *args], capture_output=True, text=True, cwd=cwd or ROOT, timeout=300,
                          env={**os.environ, **(env or {})})


# Generated inputs (tests/test_fuzz.py): a few hundred in the suite; `make fuzz` loads "fuzz" (10,000)
# with --hypothesis-profile, which pytest's hypothesis plugin applies after this default.
try:
    from hypothesis import settings as _hypothesis_settings
except ImportError:  # pragma: no cover - the test extra installs it
    pass
else:
    _hypothesis_settings.register_profile("suite", max_examples=300, deadline=None, derandomize=True)
    _hypothesis_settings.register_profile("fuzz", max_examples=10_000, deadline=None)
    _hypothesis_settings.load_profile("suite")


@contextlib.contextmanager
def small_tmpfs(folder: Path, size: str):
    """A tmpfs of *size* (``400k``) mounted on *folder*: a real full disk. Skips the test where mounting
    needs root or is refused; unmounted lazily after (a failed build's traceback may hold a file)."""
    folder.mkdir()
    if os.geteuid() != 0 or shutil.which("mount") is None:
        pytest.skip("mounting a small tmpfs needs root")
    mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(folder)], capture_output=True)
    if mounted.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {mounted.stderr.decode(errors='replace').strip()}")
    try:
        yield folder
    finally:
        subprocess.run(["umount", "--lazy", str(folder)], capture_output=True)
