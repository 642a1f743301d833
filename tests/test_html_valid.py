"""Every page of the example passes the Nu HTML checker (vnu-jar from npm, Debian's Java)
with zero errors, in the default reference format and in a CSL style.

The checker is installed by `npm ci` (package.json pins vnu-jar); without Java or the jar
the test is skipped with a message, except under CI=true, where that is a failure.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from scholarsite.build import build

from .conftest import EXAMPLE, ROOT

VNU = ROOT / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"
IN_CI = os.environ.get("CI", "").lower() == "true"


def need(found: bool, message: str) -> None:
    if not found:
        if IN_CI:
            pytest.fail(message + " (CI=true: the HTML check must run)", pytrace=False)
        pytest.skip(message)


@pytest.fixture(scope="module")
def vnu() -> list[str]:
    java = shutil.which("java")
    need(java is not None, "java not found: apt-get install openjdk-17-jre-headless")
    need(VNU.is_file(), "vnu.jar not found: run `npm ci` in the repository")
    return [str(java), "-Xss8m", "-jar", str(VNU)]


def check(vnu: list[str], *folders: Path) -> list[dict]:
    """The checker's error messages for every .html file under `folders` (one JVM start)."""
    done = subprocess.run(
        [*vnu, "--errors-only", "--format", "json", "--skip-non-html", *map(str, folders)],
        capture_output=True,
        text=True,
        timeout=900,
    )
    report = json.loads(done.stderr or "{}")
    kinds = ("error", "non-document-error")
    return [m for m in report.get("messages", []) if m.get("type") in kinds]


def pages(folder: Path) -> list[Path]:
    return sorted(p for p in folder.rglob("*.html") if "pagefind" not in p.parts)


def _example_copy(dest: Path, **settings: str) -> Path:
    shutil.copytree(EXAMPLE, dest, ignore=shutil.ignore_patterns("_site", ".scholarsite-cache"))
    yaml = (dest / "site.yaml").read_text("utf-8")
    for key, value in settings.items():
        if key == "base_url":
            yaml = re.sub(r"(?m)^base_url:.*$", f"base_url: {value}", yaml)
        else:
            yaml += f"\n{key}: {value}\n"
    (dest / "site.yaml").write_text(yaml, "utf-8")
    return dest


VARIANTS = {
    "example": {},
    "example-apa-absolute": {
        "reference_style": "apa",
        "base_url": "https://runxinxu.github.io/site/",
    },
}


@pytest.fixture(scope="module")
def checked(vnu, tmp_path_factory) -> dict[str, tuple[Path, list[dict]]]:
    """Build each variant, plus a broken page, and check them all in one run."""
    base = tmp_path_factory.mktemp("valid")
    bad = base / "bad"
    bad.mkdir()
    (bad / "bad.html").write_text(
        '<!doctype html><html lang="en"><head><title>x</title></head>'
        '<body><p><div>x</p><meta foo="bar"></body></html>',
        "utf-8",
    )
    outs = {"bad": bad}
    for name, settings in VARIANTS.items():
        src = _example_copy(base / f"{name}-src", **settings)
        outs[name] = base / name
        build(src, outs[name])
    messages = check(vnu, *outs.values())
    return {
        name: (out, [m for m in messages if f"{out.as_posix()}/" in m.get("url", "")])
        for name, out in outs.items()
    }


def test_the_checker_finds_errors(checked):
    _, messages = checked["bad"]
    assert len(messages) >= 2
    assert any("foo" in m["message"] for m in messages)


@pytest.mark.parametrize("variant", list(VARIANTS))
def test_every_page_of_the_example_is_valid_html(checked, variant):
    out, errors = checked[variant]
    built = pages(out)
    kinds = {"index.html", "404.html", "cv/index.html", "news/index.html",
             "publications/index.html", "publications/xu2022contrastive/index.html",
             "news/naacl-2022/index.html", "zh/index.html"}  # fmt: skip
    assert kinds <= {p.relative_to(out).as_posix() for p in built}
    if VARIANTS[variant]:
        assert 'data-style="csl"' in (out / "publications" / "index.html").read_text("utf-8")
    assert errors == [], "\n".join(
        f"{m.get('url', '')}:{m.get('lastLine', '?')}: {m['message']}" for m in errors
    )
