"""Shared fixtures: tiny sites written inline, built into a temporary folder."""

from __future__ import annotations

import os
import textwrap
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

# Property tests (tests/test_properties.py...) take their example counts from a profile:
# "ci" when the CI variable is set (.ci/run), "dev" otherwise; HYPOTHESIS_PROFILE picks one.
_SLOW = [HealthCheck.too_slow, HealthCheck.data_too_large]
settings.register_profile("ci", max_examples=300, deadline=None, suppress_health_check=_SLOW)
settings.register_profile("dev", max_examples=100, deadline=None, suppress_health_check=_SLOW)
settings.register_profile("soak", max_examples=3000, deadline=None, suppress_health_check=_SLOW)
settings.load_profile(
    os.environ.get("HYPOTHESIS_PROFILE") or ("ci" if os.environ.get("CI") else "dev")
)

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "examples" / "about-me"
SEED = ROOT / "tests" / "fixtures" / "seed" / "about.md"

MINIMAL_SITE = {
    "site.yaml": """
        title: Ada Lovelace
        base_url: https://ada.example.org/
        owner_names: [Ada Lovelace]
        profile:
          name: Ada Lovelace
          email: ada@example.org
    """,
}


def write_site(root: Path, files: dict[str, str | bytes]) -> Path:
    """Write `files` (path -> text, dedented) under `root`; returns root."""
    for rel, content in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(textwrap.dedent(content).lstrip("\n"), encoding="utf-8")
    return root


@pytest.fixture
def make_site(tmp_path: Path):
    """make_site({"site.yaml": ..., "publications.bib": ...}) -> the site folder."""

    def make(files: dict[str, str | bytes], *, minimal: bool = True) -> Path:
        base = dict(MINIMAL_SITE) if minimal else {}
        base.update(files)
        return write_site(tmp_path / "site", base)

    return make


@pytest.fixture
def build_site(make_site, tmp_path: Path):
    """Build an inline site; returns a function reading an output file as text."""
    from scholarsite.build import build

    def run(files: dict[str, str | bytes], **kwargs):
        root = make_site(files)
        out = tmp_path / "out"
        kwargs.setdefault("search", False)  # pagefind has its own tests (test_search)
        report = build(root, out, **kwargs)

        def read(rel: str) -> str:
            return (out / rel).read_text(encoding="utf-8")

        read.report = report  # type: ignore[attr-defined]
        read.out = out  # type: ignore[attr-defined]
        return read

    return run
