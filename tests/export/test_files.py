"""Export writes all or nothing, and never overwrites a directory someone may have edited."""

from __future__ import annotations

import os
import stat
from pathlib import Path, PurePosixPath

import pytest

from portalsync.errors import UsageError
from portalsync.export.files import write_file, write_tree

FILES = {PurePosixPath("portal.yaml"): "version: 1\n", PurePosixPath("clients/a.yaml"): "a\n"}


def test_a_tree_is_written_with_ordinary_permissions(tmp_path: Path) -> None:
    write_tree(tmp_path / "out", FILES)
    assert (tmp_path / "out" / "clients" / "a.yaml").read_text() == "a\n"
    assert stat.S_IMODE((tmp_path / "out").stat().st_mode) == 0o777 & ~_umask()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]


def test_an_empty_directory_is_filled(tmp_path: Path) -> None:
    (tmp_path / "out").mkdir()
    write_tree(tmp_path / "out", FILES)
    assert (tmp_path / "out" / "portal.yaml").exists()


def test_a_non_empty_directory_is_refused_and_left_alone(tmp_path: Path) -> None:
    (tmp_path / "out").mkdir()
    (tmp_path / "out" / "notes.txt").write_text("mine")
    with pytest.raises(UsageError, match="not an empty directory"):
        write_tree(tmp_path / "out", FILES)
    assert [p.name for p in (tmp_path / "out").iterdir()] == ["notes.txt"]


def test_a_failure_midway_leaves_nothing(tmp_path: Path) -> None:
    bad = {**FILES, PurePosixPath("clients/a.yaml/b.yaml"): "x"}  # a file where a dir must go
    with pytest.raises(OSError):
        write_tree(tmp_path / "out", bad)
    assert list(tmp_path.iterdir()) == []


def test_a_file_is_replaced_atomically_with_ordinary_permissions(tmp_path: Path) -> None:
    target = tmp_path / "sub" / "portal.yaml"
    write_file(target, "old\n")
    write_file(target, "new\n")
    assert target.read_text() == "new\n"
    assert stat.S_IMODE(target.stat().st_mode) == 0o666 & ~_umask()
    assert [p.name for p in target.parent.iterdir()] == ["portal.yaml"]


def _umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask
