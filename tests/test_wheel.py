"""The wheel as a user installs it: one top-level package with its assets and loaders inside it, and
the console script working from outside the checkout.

Offline and quick: the wheel is built with this environment's hatchling (the test extra), installed
with --no-deps into a fresh venv, which then finds the dependencies in this environment's
site-packages through a one-line .pth. A path line does not read that folder's own .pth files, so
the editable install's link to the checkout stays out of sys.path.
"""
from __future__ import annotations

import os
import subprocess
import sys
import sysconfig
import zipfile
from pathlib import Path

import pytest

from .conftest import ROOT

pytest.importorskip("hatchling", reason="the wheel is built with hatchling, a test extra")


def _run(*args, cwd: Path, check: bool = True) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "PYTHONHOME", "VIRTUAL_ENV")}
    done = subprocess.run([str(a) for a in args], capture_output=True, text=True, cwd=cwd, env=env, timeout=120)
    assert not check or done.returncode == 0, f"{' '.join(map(str, args))} → {done.returncode}\n{done.stderr}"
    return done


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("dist")
    _run(sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "--no-build-isolation", "-w", out, ROOT, cwd=out)
    (built,) = out.glob("adminkg-*.whl")
    return built


@pytest.fixture(scope="module")
def venv_bin(wheel, tmp_path_factory) -> Path:
    env = tmp_path_factory.mktemp("venv")
    _run(sys.executable, "-m", "venv", "--without-pip", env, cwd=env)
    python = env / "bin" / "python"
    _run(sys.executable, "-m", "pip", "--python", python, "install", "-q", "--no-deps", "--no-index", wheel, cwd=env)
    # After installing, so that pip does not see the editable adminkg of this environment.
    site = _run(python, "-c", "import sysconfig; print(sysconfig.get_path('purelib'))", cwd=env).stdout.strip()
    (Path(site) / "_adminkg_test_deps.pth").write_text(sysconfig.get_path("purelib") + "\n", encoding="utf-8")
    return env / "bin"


def test_wheel_holds_one_top_level_package(wheel):
    names = zipfile.ZipFile(wheel).namelist()
    assert {n.split("/")[0] for n in names} == {"adminkg", wheel.name.split("-py")[0] + ".dist-info"}
    for inside in ("adminkg/loaders/__init__.py", "adminkg/loaders/records.py", "adminkg/loaders/lexicon/korean.toml",
                   "adminkg/_assets/ontology/adminkg.ttl", "adminkg/_assets/queries/cases.rq"):
        assert inside in names


def test_installed_package_is_the_wheel_and_has_no_top_level_loaders(venv_bin, tmp_path):
    probe = ("import importlib.util, adminkg, adminkg.paths, adminkg.loaders.documents as d;"
             "print(adminkg.__file__, adminkg.paths.ROOT, d.__file__, importlib.util.find_spec('loaders'), sep='\\n')")
    package, assets, loader, top_level = _run(venv_bin / "python", "-c", probe, cwd=tmp_path).stdout.split("\n")[:4]
    site = Path(package).parent.parent
    assert ROOT not in Path(package).parents and Path(assets) == site / "adminkg" / "_assets"
    assert Path(loader) == site / "adminkg" / "loaders" / "documents.py"
    assert top_level == "None"


def test_console_script_builds_outside_the_checkout(venv_bin, tmp_path):
    assert "build" in _run(venv_bin / "adminkg", "--help", cwd=tmp_path).stdout
    _run(venv_bin / "adminkg", "build", "--corpus", ROOT / "examples" / "corpus",
         "--table", ROOT / "examples" / "cases.csv", "--out", tmp_path / "out", cwd=tmp_path)
    assert "akg:InnovationCase" in (tmp_path / "out" / "cases.ttl").read_text(encoding="utf-8")
    assert (tmp_path / "out" / "store").is_dir()
