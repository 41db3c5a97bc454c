"""Client file names: safe on every file system, unique, and stable."""

from __future__ import annotations

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from portalsync.export.slugs import MAX_SLUG, base_slug, client_slugs

SAFE = re.compile(r"[a-z0-9]+(-[a-z0-9]+)*\Z")
HOSTILE = [
    "Société Générale", "SOCIÉTÉ générale!", "東京翻訳", "Ωμέγα", "..", ".", "", " ", "a/b",
    "a\\b", "../../etc/passwd", "C:\\temp", "con", "CON", "Nul", "aux", "prn", "com1", "LPT9",
    "con.yaml", "x" * 300, "ｆｕｌｌｗｉｄｔｈ", "ﬁnance", "-dash-", "a\x00b", "café", "cafe\u0301",
    "emoji 🎉", "Ärzte & Co.", "what?*<>|:\"",
]  # fmt: skip


@pytest.mark.parametrize(
    ("name", "slug"),
    [
        ("Société Générale de Traduction", "societe-generale-de-traduction"),
        ("Legal FR>EN / Court", "legal-fr-en-court"),
        ("ｆｕｌｌｗｉｄｔｈ", "fullwidth"),
        ("ﬁnance", "finance"),
    ],
)
def test_names_fold_to_ascii_lower_case_slugs(name: str, slug: str) -> None:
    assert base_slug(name) == slug


def test_a_name_without_ascii_letters_gets_a_hash() -> None:
    assert re.fullmatch(r"client-[0-9a-f]{8}", base_slug("東京翻訳"))
    assert base_slug("東京翻訳") != base_slug("大阪翻訳")


@pytest.mark.parametrize("name", ["con", "CON", "Nul", "aux", "com1", "LPT9", "con.yaml"])
def test_windows_device_names_are_avoided(name: str) -> None:
    slug = base_slug(name)
    assert slug.split("-")[0] in {"con", "nul", "aux", "com1", "lpt9"}
    assert "-" in slug


def test_hostile_names_give_unique_safe_short_slugs() -> None:
    slugs = client_slugs(HOSTILE)
    assert set(slugs) == set(HOSTILE)
    assert len(set(slugs.values())) == len(HOSTILE)
    for slug in slugs.values():
        assert SAFE.match(slug), slug
        assert len(slug) <= MAX_SLUG + 9


def test_colliding_names_all_get_a_hash_and_the_result_is_stable() -> None:
    names = ["Acme", "ACME!", "acmé", "Other"]
    slugs = client_slugs(names)
    assert slugs["Other"] == "other"
    assert all(re.fullmatch(r"acme-[0-9a-f]{8}", slugs[name]) for name in names[:3])
    assert client_slugs(reversed(names)) == slugs


def test_a_suffixed_slug_never_clashes_with_a_plain_one() -> None:
    first = client_slugs(["Acme", "ACME!"])
    clash = first["Acme"].replace("-", " ")  # a client literally named like Acme's suffixed slug
    slugs = client_slugs(["Acme", "ACME!", clash])
    assert len(set(slugs.values())) == 3


@given(st.lists(st.text(min_size=1), unique=True, max_size=20))
def test_any_names_give_unique_safe_slugs(names: list[str]) -> None:
    slugs = client_slugs(names)
    assert len(set(slugs.values())) == len(names)
    assert all(SAFE.match(slug) for slug in slugs.values())
