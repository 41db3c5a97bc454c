"""Writing export results so that a failure never leaves a half-written file or directory."""

from __future__ import annotations

import contextlib
import os
import shutil
import tempfile
from collections.abc import Mapping
from pathlib import Path, PurePosixPath

from portalsync.errors import UsageError


def write_file(path: Path, text: str) -> None:
    """Write `text` to `path` atomically: a temporary file beside it, then one rename."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as stream:
            stream.write(text)
        os.chmod(temporary, 0o666 & ~_umask())  # mkstemp's 0600 is for secrets, not config
        os.replace(temporary, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise


def write_tree(directory: Path, files: Mapping[PurePosixPath, str]) -> None:
    """Create `directory` holding `files` (relative paths), all or nothing.

    The tree is built in a temporary directory beside the target and renamed into place, so an
    error midway leaves no partial export. The target must not exist or be empty: export never
    deletes or overwrites files someone may have edited.
    """
    if directory.exists() and (not directory.is_dir() or any(directory.iterdir())):
        raise UsageError(f"--out {directory}: exists and is not an empty directory")
    directory.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(dir=directory.parent, prefix=f".{directory.name}."))
    try:
        staging.chmod(0o777 & ~_umask())
        for relative, text in files.items():
            target = staging.joinpath(*relative.parts)
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(text, encoding="utf-8", newline="\n")
        if directory.exists():
            directory.rmdir()  # empty (checked above); rename cannot replace a directory everywhere
        os.replace(staging, directory)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise


def _umask() -> int:
    # The only way to read the umask is to set it; put it straight back.
    mask = os.umask(0o022)
    os.umask(mask)
    return mask
