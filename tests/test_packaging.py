"""The layout of DESIGN §2: folders map to accords.* packages, and only `accords` installs."""

from __future__ import annotations

import ast
import subprocess
import sys
import tomllib
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).parents[1]
FOLDERS = ("accords", "events", "graph", "ontology", "queries")


def test_packages_list_matches_the_folders() -> None:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]
    package_dir: dict[str, str] = config["package-dir"]
    assert sorted(config["packages"]) == sorted(package_dir)
    assert sorted(package_dir.values()) == sorted(FOLDERS)
    for package, folder in package_dir.items():
        assert (ROOT / folder / "__init__.py").is_file()
        assert package == ("accords" if folder == "accords" else f"accords.{folder}")
        # no sub-folder with Python code that the explicit list would miss
        assert not [p for p in (ROOT / folder).glob("*/*.py")], f"{folder} has an unlisted sub-package"


def test_nothing_imports_a_folder_by_its_bare_name() -> None:
    bare = {"events", "graph", "ontology", "queries"}
    for folder in FOLDERS:
        for path in (ROOT / folder).glob("*.py"):
            for node in ast.walk(ast.parse(path.read_text())):
                names = (
                    [a.name for a in node.names]
                    if isinstance(node, ast.Import)
                    else [node.module or ""]
                    if isinstance(node, ast.ImportFrom) and node.level == 0
                    else []
                )
                for name in names:
                    assert name.split(".")[0] not in bare, f"{path}: imports {name}"


def test_events_never_imports_graph() -> None:
    for path in (ROOT / "events").glob("*.py"):
        assert "accords.graph" not in path.read_text(), path


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("wheel")
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q", "-w", str(folder), str(ROOT)],
        check=True,
        cwd=folder,
    )
    (built,) = folder.glob("accords-*.whl")
    return built


def test_the_wheel_installs_only_the_accords_import_name(wheel: Path) -> None:
    names = zipfile.ZipFile(wheel).namelist()
    top = {n.split("/")[0] for n in names if not n.split("/")[0].endswith((".dist-info", ".data"))}
    assert top == {"accords"}
    for folder in ("events", "graph", "ontology", "queries"):
        assert f"accords/{folder}/__init__.py" in names
    assert "accords/events/log.py" in names


def test_the_demo_runs_from_the_installed_wheel(wheel: Path, tmp_path: Path) -> None:
    """The README's first command: the seed record ships in the wheel, and the tour answers."""
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    # the dependencies from this interpreter's folders (listed, so their .pth files, such as
    # an editable accords, are not run); accords itself from the wheel
    (site,) = (venv / "lib").glob("python*/site-packages")
    (site / "dependencies.pth").write_text("\n".join(p for p in sys.path if p.endswith("site-packages")) + "\n")
    subprocess.run([venv / "bin" / "pip", "install", "-q", "--no-deps", str(wheel)], check=True)
    env = {"PATH": f"{venv / 'bin'}:/usr/bin:/bin", "HOME": str(tmp_path), "ACCORDS_USER": "demo", "COLUMNS": "200"}
    done = subprocess.run(
        [venv / "bin" / "accords", "demo"], cwd=tmp_path, env=env, capture_output=True, text=True, timeout=300
    )
    assert done.returncode == 0, done.stderr
    tour = done.stdout
    assert (
        str(venv)
        in subprocess.run(
            [venv / "bin" / "python", "-c", "import accords; print(accords.__file__)"],
            cwd=tmp_path,
            capture_output=True,
            text=True,
            check=True,
        ).stdout
    )
    assert "seed: committed 17 new events (seq 1-17)" in done.stderr + tour
    assert "Nations like Rwanda have already accepted" in tour  # the trace reaches the quote
    assert "introduced at seq 4 (c-rwanda-paid), resolved at seq 5 (c-rwanda-agreement)" in tour
    assert "agreements-by-state" in tour and "Next, try:" in tour
