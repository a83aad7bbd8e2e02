"""Install anywhere: a wheel installed into a fresh virtual environment builds in an empty
folder, with the bundled tables, ontology, queries, page assets and sample documents."""
from __future__ import annotations

import configparser
import importlib.util
import os
import shutil
import subprocess
import sys
import sysconfig
from importlib import metadata
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _backend_here() -> bool:
    """pyproject.toml's backend (setuptools >= 64; its bdist_wheel needs the wheel package before
    70.1) is in this environment, as the test extras install it."""
    try:
        setuptools = tuple(int(part) for part in metadata.version("setuptools").split(".")[:2])
    except (metadata.PackageNotFoundError, ValueError):
        return False
    return setuptools >= (64, 0) and (setuptools >= (70, 1) or importlib.util.find_spec("wheel") is not None)


def test_every_subpackage_is_listed_in_setup_cfg():
    config = configparser.ConfigParser()
    config.read(ROOT / "setup.cfg")
    listed = set(config["options"]["packages"].split())
    found = {".".join(p.parent.relative_to(ROOT).parts) for p in (ROOT / "kg").rglob("__init__.py")}
    assert found | {"kg.data", "kg.ontology"} == listed


def test_wheel_in_a_fresh_venv_builds_in_an_empty_folder(tmp_path):
    source = tmp_path / "src"
    source.mkdir()
    for name in ("setup.cfg", "pyproject.toml", "README.md"):
        shutil.copy(ROOT / name, source / name)
    for folder in ("kg", "data", "ontology"):
        shutil.copytree(ROOT / folder, source / folder, ignore=shutil.ignore_patterns("__pycache__"))
    pip = [sys.executable, "-m", "pip", "--disable-pip-version-check", "-q"]
    # pyproject.toml's build backend (setuptools, with wheel before setuptools 70.1) is installed
    # with the test extras: build with it rather than install it again into an isolated environment
    here = ["--no-build-isolation"] if _backend_here() else []
    subprocess.run(pip + ["wheel", "--no-deps", *here, "-w", str(tmp_path / "dist"), str(source)], check=True)
    wheel = next((tmp_path / "dist").glob("*.whl"))
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True)
    python = venv / "bin" / "python"
    purelib = subprocess.run([python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                             check=True, capture_output=True, text=True).stdout.strip()
    # the dependencies come from this environment (a path, not its .pth files: not our editable kg)
    Path(purelib, "deps.pth").write_text(sysconfig.get_paths()["purelib"] + "\n", encoding="utf-8")
    subprocess.run(pip + ["--python", str(python), "install", "--no-deps", "--no-index", str(wheel)], check=True)
    work = tmp_path / "empty"
    work.mkdir()
    env = {k: v for k, v in os.environ.items() if k not in ("KG_REFERENCE", "PYTHONPATH")}
    where = subprocess.run([python, "-c", "import kg; print(kg.__file__)"], cwd=work, env=env, check=True,
                           capture_output=True, text=True).stdout
    assert where.startswith(str(venv))
    build = subprocess.run([venv / "bin" / "kg", "build"], cwd=work, env=env, capture_output=True, text=True)
    assert build.returncode == 0, build.stderr
    exports = work / "exports"
    for name in ("report.html", "graph.html", "kg.ttl", "reports.xlsx", "agencies.graphml"):
        assert (exports / name).stat().st_size > 1000, name
    assert "5 documents" in build.stderr
    burden = subprocess.run([venv / "bin" / "kg", "report", "burden", "--top", "3"], cwd=work, env=env,
                            capture_output=True, text=True)
    assert burden.returncode == 0 and len(burden.stdout.splitlines()) == 5
    assert sorted(p.name for p in work.iterdir()) == ["exports"]  # nothing else written
