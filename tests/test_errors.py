"""Bad input: one message per problem, `path:line:col`, exit status 1, output untouched."""

from __future__ import annotations

import subprocess
import sys

import pytest

from scholarsite.build import build
from scholarsite.errors import UserError


def _messages(exc: UserError) -> list[str]:
    return [f"{d.location}: {d.message}" for d in exc.diagnostics]


def test_unknown_key_in_site_yaml_has_location_and_hint(make_site):
    root = make_site({"site.yaml": "title: X\nprofle:\n  name: Ada\n"})
    with pytest.raises(UserError) as exc:
        build(root, root / "_site")
    (d,) = exc.value.diagnostics
    assert str(d.location) == "site.yaml:2:1"
    assert d.message == "unknown key 'profle' in site.yaml"
    assert d.hint == "did you mean 'profile'?"


def test_unknown_profile_key(make_site):
    root = make_site({"site.yaml": "title: X\nprofile:\n  name: Ada\n  emial: a@b.c\n"})
    with pytest.raises(UserError) as exc:
        build(root, root / "_site")
    assert _messages(exc.value) == ["site.yaml:4:3: unknown key 'emial' in profile"]
    assert exc.value.diagnostics[0].hint == "did you mean 'email'?"


def test_yaml_syntax_error_names_line(make_site):
    root = make_site({"data/education.yaml": "- org: A\n  start: 2020\n  title: [unclosed\n"})
    with pytest.raises(UserError) as exc:
        build(root, root / "_site")
    (d,) = exc.value.diagnostics
    assert d.location.path == "data/education.yaml"
    assert d.location.line in (3, 4)
    assert d.message.startswith("YAML syntax error")


def test_unsafe_url_refused_with_place(make_site):
    root = make_site({"data/awards.yaml": "- title: Prize\n  url: javascript:alert(1)\n"})
    with pytest.raises(UserError) as exc:
        build(root, root / "_site")
    assert _messages(exc.value) == [
        "data/awards.yaml:2:3: unsafe URL in 'url': 'javascript:alert(1)'"
    ]


def test_three_problems_reported_together_and_previous_site_kept(make_site, tmp_path):
    root = make_site({"data/education.yaml": "- org: PKU\n"})
    out = tmp_path / "_site"
    build(root, out)
    before = (out / "index.html").read_bytes()
    (root / "site.yaml").write_text("title: X\nthem: default\nprofile: {name: Ada}\n")
    (root / "data" / "education.yaml").write_text("- org: PKU\n  start: 2020\n  end: : bad\n")
    (root / "publications.bib").write_text(
        "@article{ok, title={Fine}, author={A}, year=2020}\n\n@article{broken,\n"
        "  title = {Unclosed,\n  year = 2021\n"
    )
    proc = subprocess.run(
        [sys.executable, "-m", "scholarsite.cli", "build", str(root), "-o", str(out)],
        capture_output=True,
        text=True,
    )
    assert proc.returncode == 1
    assert "Traceback" not in proc.stderr
    err = proc.stderr
    assert "site.yaml:2:1: error: unknown key 'them' in site.yaml" in err
    assert "data/education.yaml:3:" in err
    assert "publications.bib:4:11: error: the value of field 'title' is not closed" in err
    assert (out / "index.html").read_bytes() == before


def test_non_utf8_file_names_encoding(make_site):
    root = make_site({"content/about.md": "Caf\xe9 in Paris\n".encode("latin-1")})
    with pytest.raises(UserError) as exc:
        build(root, root / "_site")
    (d,) = exc.value.diagnostics
    assert str(d.location) == "content/about.md:1:4"
    assert "not UTF-8" in d.message


def test_missing_site_yaml(tmp_path):
    (tmp_path / "s").mkdir()
    with pytest.raises(UserError) as exc:
        build(tmp_path / "s", tmp_path / "o")
    assert "no site.yaml" in exc.value.diagnostics[0].message
