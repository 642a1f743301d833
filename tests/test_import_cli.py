"""The `scholarsite import` commands, run as a user runs them: reports, never tracebacks."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "import"
SEED = Path(__file__).resolve().parent / "fixtures" / "seed" / "about.md"


def cli(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "scholarsite.cli", *args],
        capture_output=True,
        text=True,
        cwd=cwd,
        timeout=120,
    )


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (
            ["jekyll", str(FIXTURES / "jekyll/broken.md")],
            "broken.md:5: error: YAML syntax error: did not find expected ',' or ']'",
        ),
        (["jekyll", str(FIXTURES / "jekyll/noext")], "noext: the file has no .md extension"),
        (
            ["academicpages", str(FIXTURES / "academicpages/messy")],
            "_config.yml:5: warning: duplicate key 'name' (first at line 4); the last one wins",
        ),
        (
            ["academicpages", str(FIXTURES / "academicpages/broken-config")],
            "_config.yml:3: error: YAML syntax error",
        ),
        (
            ["hugo", str(FIXTURES / "hugo/broken")],
            "bad-bib/cite.bib:2: error: the value of field 'title' is not closed",
        ),
        (
            ["bibtex", str(FIXTURES / "bibtex/broken.bib")],
            "broken.bib:9: error: entry 'unclosed' is not closed",
        ),
    ],
)
def test_malformed_input_is_reported_without_traceback(tmp_path, args, expected):
    result = cli("import", *args, "--into", str(tmp_path / "site"))
    assert "Traceback" not in result.stdout + result.stderr
    assert result.returncode == 0, result.stderr
    assert expected in result.stdout
    assert "Files written:" in result.stdout


def test_seed_import_prints_its_report(tmp_path):
    result = cli("import", "jekyll", str(SEED), "--into", str(tmp_path / "site"))
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert "Became structured records" in out and "Stayed as Markdown" in out
    assert "Doubtful: please check" in out
    assert out.count("-> publications.bib @") == 18
    assert (tmp_path / "site" / "site.yaml").is_file()


def test_bibtex_defaults_to_the_current_folder(tmp_path):
    (tmp_path / "site.yaml").write_text("title: T\n", encoding="utf-8")
    result = cli("import", "bibtex", str(FIXTURES / "bibtex/acl.bib"), cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "@inproceedings{xu-etal-2022-s4," in (tmp_path / "publications.bib").read_text("utf-8")


@pytest.mark.parametrize(
    "args",
    [
        ["jekyll", "missing.md", "--into", "out"],
        ["hugo", "missing", "--into", "out"],
        ["academicpages", "missing", "--into", "out"],
        ["bibtex", "missing.bib"],
    ],
)
def test_missing_input_is_one_line_and_exit_1(tmp_path, args):
    result = cli("import", *args, cwd=tmp_path)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr and "error: no such" in result.stderr
    assert not (tmp_path / "out").exists()


def test_into_is_required_for_site_importers(tmp_path):
    result = cli("import", "jekyll", str(SEED), cwd=tmp_path)
    assert result.returncode == 2 and "--into" in result.stderr


def test_binary_and_empty_pages_do_not_crash(tmp_path):
    for name, data in (
        ("empty.md", b""),
        ("binary.md", b"\xff\xfe\x00garbage\x00"),
        ("dashes.md", b"---\n"),
        ("comment.md", b"<!-- never closed\n# News\n"),
    ):
        page = tmp_path / name
        page.write_bytes(data)
        result = cli("import", "jekyll", str(page), "--into", str(tmp_path / f"{name}-site"))
        assert result.returncode == 0 and "Traceback" not in result.stderr, (name, result.stderr)


def test_an_into_that_cannot_be_created_is_a_user_error(tmp_path):
    (tmp_path / "file").write_text("x", encoding="utf-8")
    result = cli("import", "jekyll", str(SEED), "--into", str(tmp_path / "file" / "site"))
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert "cannot create the folder" in result.stderr
