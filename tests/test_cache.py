"""The build cache: plain data keyed by content (never mtime), reused by `build`, ignored
by `build --clean`, and never trusted when corrupt or foreign."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections import OrderedDict
from pathlib import Path
from types import MappingProxyType

import pytest

from scholarsite import cache as cache_module
from scholarsite import csl as csl_module
from scholarsite import parse as parse_module
from scholarsite.build import build, load_site
from scholarsite.cache import (
    CACHE_DIR,
    RECORDS_FILE,
    Cache,
    CacheFormatError,
    _read_json,
    _write_json,
    decode,
    encode,
)
from scholarsite.parse import FileResult, read_source
from scholarsite.source import discover

from .conftest import EXAMPLE

BIB = """@inproceedings{alpha2020,
  title = {Alpha Title},
  author = {Lovelace, Ada and Babbage, Charles*},
  author+an = {1=corresponding},
  booktitle = {Proceedings of {ACL}}, year = {2020},
  links = {Report = https://example.org/report},
}
@article{beta2021,
  title = {Beta Title with {\\"u}mlaut},
  author = {Somerville, Mary},
  journal = {Nature}, year = {2021},
}
@misc{gamma2022, title = {Gamma Title}, author = {Lovelace, Ada}, year = {2022}}
"""
SITE = {
    "publications.bib": BIB,
    "data/awards.yaml": "- title: Royal Medal\n  years: ['1843']\n",
    "content/about.md": "---\ntitle: About\nnav: true\n---\nI study *engines*.\n",
}


def files(folder: Path) -> dict[str, bytes]:
    return {
        p.relative_to(folder).as_posix(): p.read_bytes() for p in folder.rglob("*") if p.is_file()
    }


@pytest.fixture
def site(make_site) -> Path:
    return make_site(SITE)


def test_records_round_trip_through_plain_json():
    cache = Cache(None)
    cache.set_config(b"")
    config = parse_module.load_config(EXAMPLE, parse_module.Diagnostics())
    results = [read_source(EXAMPLE, src, config) for src in discover(EXAMPLE)]
    assert any(r.kind == "bib" and r.records for r in results)
    for result in results:
        plain = json.loads(json.dumps(encode(result)))
        assert decode(plain) == result
    pub = next(r for r in results if r.kind == "bib").records[0].publication
    back = decode(json.loads(json.dumps(encode(pub))))
    assert isinstance(back.fields, MappingProxyType) and isinstance(back.authors, tuple)
    assert isinstance(back.authors[0].roles, frozenset)


@pytest.mark.parametrize(
    "plain",
    [
        {"C": "Popen", "v": []},
        {"C": "Publication", "v": ["too few"]},
        {"X": []},
        {"L": "not a list"},
        {"D": [["k"]]},
        {"D": [[[1, 2], "unhashable key"]], "C": "x", "v": 1},
        {"D": [[{"L": []}, 1]]},
    ],
)
def test_decoding_refuses_what_the_cache_never_writes(plain):
    with pytest.raises((CacheFormatError, TypeError)):
        decode(plain)


def test_only_registered_records_are_stored(tmp_path):
    with pytest.raises(TypeError):
        encode(Path("/etc/passwd"))
    cache = Cache(tmp_path / "cache")
    cache.put("k", object())  # kept in memory, left out when saved
    cache.put("ok", ("plain", 1))
    cache.save()
    again = Cache(tmp_path / "cache")
    assert again.get("k") is None and again.get("ok") == ("plain", 1)


def test_a_build_with_nothing_changed_does_nothing(site, tmp_path):
    out = tmp_path / "out"
    first = build(site, out)
    assert not first.up_to_date
    before = {p: (p.stat().st_ino, p.stat().st_mtime_ns) for p in out.rglob("*")}
    again = build(site, out)
    assert again.up_to_date and again.files == first.files
    assert [str(w) for w in again.warnings] == [str(w) for w in first.warnings]
    assert {p: (p.stat().st_ino, p.stat().st_mtime_ns) for p in out.rglob("*")} == before
    assert (site / CACHE_DIR).is_dir() and not (out / CACHE_DIR).exists()


def test_a_build_with_nothing_changed_loads_no_jinja_markdown_or_yaml(site, tmp_path):
    out = tmp_path / "out"
    code = (
        "import sys\n"
        "from scholarsite.cli import main\n"
        f"main(['build', {str(site)!r}, '-o', {str(out)!r}], standalone_mode=False)\n"
        "print(sorted(m for m in ('jinja2', 'markdown_it', 'yaml') if m in sys.modules))\n"
    )
    first = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert "Built" in first.stdout and "jinja2" in first.stdout  # a real build loads them
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert "Nothing changed" in run.stdout
    assert run.stdout.strip().endswith("[]"), run.stdout


def test_an_edit_is_seen_even_when_the_time_stamp_is_unchanged(site, tmp_path):
    out = tmp_path / "out"
    build(site, out)
    bib = site / "publications.bib"
    stamp = bib.stat()
    bib.write_text(BIB.replace("Alpha Title", "Alpha Retitled"))
    os.utime(bib, ns=(stamp.st_atime_ns, stamp.st_mtime_ns))
    report = build(site, out)
    assert not report.up_to_date
    assert "Alpha Retitled" in (out / "publications" / "alpha2020" / "index.html").read_text()


def test_touching_a_file_without_changing_it_rebuilds_nothing(site, tmp_path):
    out = tmp_path / "out"
    build(site, out)
    os.utime(site / "publications.bib", ns=(1, 1))
    assert build(site, out).up_to_date


@pytest.mark.parametrize("damage", ["edit", "delete", "add"])
def test_a_damaged_output_folder_is_built_again(site, tmp_path, damage):
    out = tmp_path / "out"
    build(site, out)
    good = files(out)
    page = out / "publications" / "index.html"
    if damage == "edit":
        page.write_text("broken")
    elif damage == "delete":
        page.unlink()
    else:
        (out / "stray.html").write_text("stray")
    report = build(site, out)
    assert not report.up_to_date
    assert files(out) == good


def test_corrupt_cache_is_ignored_and_rewritten(site, tmp_path):
    build(site, tmp_path / "out")
    folder = site / CACHE_DIR
    for path in folder.iterdir():
        path.write_bytes(b'{"format": 1}\n' + os.urandom(200))
    report = build(site, tmp_path / "out")
    assert not report.up_to_date
    build(site, tmp_path / "fresh", clean=True)
    assert files(tmp_path / "out") == files(tmp_path / "fresh")
    assert _read_json(folder / RECORDS_FILE) is not None  # written anew, valid


def test_truncated_cache_is_ignored(site, tmp_path):
    build(site, tmp_path / "out")
    records = site / CACHE_DIR / RECORDS_FILE
    records.write_bytes(records.read_bytes()[:-50])
    assert _read_json(records) is None
    (site / "data" / "awards.yaml").write_text("- title: Royal Medal 2\n")
    build(site, tmp_path / "out")
    assert "Royal Medal 2" in (tmp_path / "out" / "index.html").read_text()


def poison(site: Path, tool: str | None = None) -> None:
    """Change the cached title of alpha2020 in place, as a valid cache file (or as one
    written by another tool version)."""
    path = site / CACHE_DIR / RECORDS_FILE
    data = _read_json(path)
    assert data is not None
    text = json.dumps(data).replace("Alpha Title", "Poisoned Title")
    assert "Poisoned Title" in text
    if tool is None:
        _write_json(path, json.loads(text))
    else:
        body = text.encode()
        header = {"format": 1, "tool": tool, "digest": cache_module.digest(body)}
        path.write_bytes(json.dumps(header).encode() + b"\n" + body)


APA = "reference_style: apa\n"  # formatted references are what the cache keeps


def test_build_reuses_cached_records_and_clean_ignores_them(make_site, tmp_path, monkeypatch):
    site = make_site({**SITE, "site.yaml": APA})
    out = tmp_path / "out"
    build(site, out)
    poison(site)
    monkeypatch.setattr(csl_module, "_MEMORY", OrderedDict())  # as in a new process
    (site / "data" / "awards.yaml").write_text("- title: Another Medal\n")  # not the bib
    build(site, out)
    landing = out / "publications" / "alpha2020" / "index.html"
    assert "Poisoned Title" in landing.read_text()  # the cached record was used
    build(site, out, clean=True)
    assert "Alpha Title" in landing.read_text() and "Poisoned" not in landing.read_text()


def test_a_cache_from_another_tool_version_is_not_trusted(make_site, tmp_path):
    site = make_site({**SITE, "site.yaml": APA})
    out = tmp_path / "out"
    build(site, out)
    poison(site, tool="0" * 32)
    (site / "data" / "awards.yaml").write_text("- title: Another Medal\n")
    build(site, out)
    assert "Alpha Title" in (out / "publications" / "alpha2020" / "index.html").read_text()


def test_parsed_records_are_not_written(site, tmp_path):
    """Reading 5,000 entries back took longer than parsing them: only costly records
    (formatted references) and the output manifests are written."""
    build(site, tmp_path / "out")
    assert _read_json(site / CACHE_DIR / RECORDS_FILE)["entries"] == {}


def test_only_the_edited_bibtex_entry_is_converted_again(site, monkeypatch):
    """In one process (as `serve` reads after each edit), through the cache in memory."""
    calls: list[str] = []
    real = parse_module.to_publication

    def counting(raw, diags, **options):
        calls.append(raw.key)
        return real(raw, diags, **options)

    monkeypatch.setattr(parse_module, "to_publication", counting)
    cache = Cache(None)
    load_site(site, cache=cache)
    assert sorted(calls) == ["alpha2020", "beta2021", "gamma2022"]
    calls.clear()
    (site / "publications.bib").write_text(BIB.replace("Beta Title", "Beta Retitled"))
    load_site(site, cache=cache)
    assert calls == ["beta2021"]
    calls.clear()
    (site / "site.yaml").write_text((site / "site.yaml").read_text() + "description: Hi\n")
    load_site(site, cache=cache)
    assert sorted(calls) == ["alpha2020", "beta2021", "gamma2022"]  # new settings: all again


def test_unchanged_files_are_not_parsed_again(site, monkeypatch):
    cache = Cache(None)
    load_site(site, cache=cache)
    parsed: list[str] = []
    real = parse_module.read_section

    def counting(name, text, path, diags):
        parsed.append(path)
        return real(name, text, path, diags)

    monkeypatch.setattr(parse_module, "read_section", counting)
    (site / "publications.bib").write_text(BIB + "\n")
    load_site(site, cache=cache)
    assert parsed == []


def test_the_cache_is_never_inside_an_output_folder(site, tmp_path):
    assert Cache.for_site(site, site / "_site").folder == (site / CACHE_DIR).absolute()
    assert Cache.for_site(site, site).folder is None
    assert Cache.for_site(site, site / CACHE_DIR / "out").folder is None
    build(site, tmp_path / "elsewhere")
    assert (site / CACHE_DIR / RECORDS_FILE).is_file()
    assert not (tmp_path / "elsewhere" / CACHE_DIR).exists()


def test_file_results_are_cached_by_content(site):
    cache = Cache(None)
    cache.set_config(b"x")
    config = parse_module.load_config(site, parse_module.Diagnostics())
    src = next(s for s in discover(site) if s.kind == "bib")
    first = read_source(site, src, config, cache)
    assert isinstance(first, FileResult)
    assert read_source(site, src, config, cache) is first
    cache.set_config(b"y")  # other settings: other keys
    assert read_source(site, src, config, cache) is not first
