"""Links from a planned change to the YAML line that asks for it, when CI says where the repo is.

GitHub Actions: GITHUB_SERVER_URL, GITHUB_REPOSITORY, GITHUB_SHA, GITHUB_WORKSPACE.
GitLab CI: CI_PROJECT_URL, CI_COMMIT_SHA, CI_PROJECT_DIR.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping
from urllib.parse import quote

from portalsync.model import Source

SourceLinker = Callable[[Source], str | None]


def source_linker(env: Mapping[str, str], cwd: str) -> SourceLinker | None:
    """A function from a Source to its web address, or None outside a known CI."""
    if env.get("GITHUB_REPOSITORY") and env.get("GITHUB_SHA"):
        server = env.get("GITHUB_SERVER_URL", "https://github.com").rstrip("/")
        base = f"{server}/{env['GITHUB_REPOSITORY']}/blob/{env['GITHUB_SHA']}"
        root = env.get("GITHUB_WORKSPACE") or cwd
    elif env.get("CI_PROJECT_URL") and env.get("CI_COMMIT_SHA"):
        base = f"{env['CI_PROJECT_URL'].rstrip('/')}/-/blob/{env['CI_COMMIT_SHA']}"
        root = env.get("CI_PROJECT_DIR") or cwd
    else:
        return None

    def link(source: Source) -> str | None:
        path = os.path.relpath(os.path.join(cwd, source.file), root)
        if path.startswith(".."):
            return None  # a file outside the repository has no address there
        return f"{base}/{quote(path.replace(os.sep, '/'))}#L{source.line}"

    return link
