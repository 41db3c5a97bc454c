"""`pip install .` (not only editable) must give a portalsync that finds its schema and example."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_the_wheel_carries_its_data_and_validates_from_anywhere(tmp_path: Path) -> None:
    # Build from a copy: setuptools writes build/ and *.egg-info into the tree it builds.
    source = tmp_path / "source"
    source.mkdir()
    for name in ("pyproject.toml", "README.md"):
        shutil.copy(ROOT / name, source / name)
    shutil.copytree(
        ROOT / "portalsync", source / "portalsync", ignore=shutil.ignore_patterns("__pycache__")
    )
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(tmp_path), str(source)],
        check=True,
        capture_output=True,
    )
    (wheel,) = tmp_path.glob("portalsync-*.whl")
    with zipfile.ZipFile(wheel) as archive:
        names = set(archive.namelist())
        for data in ("portalsync.schema.json", "plan.schema.json", "clients.yaml"):
            assert f"portalsync/data/{data}" in names
        site = tmp_path / "site"
        archive.extractall(site)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    example = (ROOT / "examples" / "clients.yaml").read_text(encoding="utf-8")
    (elsewhere / "portalsync.yaml").write_text(example, encoding="utf-8")
    # Only the unpacked wheel is importable: the repository's source tree is not on the path.
    result = subprocess.run(
        [sys.executable, "-m", "portalsync", "validate"],
        cwd=elsewhere,
        env={**os.environ, "PYTHONPATH": str(site)},
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert "Valid: 1 file, 12 clients" in result.stderr
    probe = "import portalsync; print(portalsync.__file__)"
    where = subprocess.run(
        [sys.executable, "-c", probe],
        cwd=elsewhere,
        env={**os.environ, "PYTHONPATH": str(site)},
        capture_output=True,
        text=True,
        check=True,
    )
    assert where.stdout.startswith(str(site))
