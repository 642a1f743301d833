"""Rendering on both cores: a parallel build writes exactly what a serial one writes."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from scholarsite import cache as cache_module
from scholarsite.build import build
from scholarsite.cache import CACHE_DIR, RECORDS_FILE, Cache, _read_json
from scholarsite.errors import UserError
from scholarsite.workers import PARALLEL_MIN, worker_count

pytestmark = pytest.mark.skipif(not hasattr(os, "fork"), reason="forked workers need fork")


def bib(n: int) -> str:
    entries = []
    for i in range(n):
        marks = "author+an = {1=equal; 2=equal}," if i % 3 == 0 else ""
        entries.append(
            f"@inproceedings{{paper{i:03d},\n  title = {{Paper {i}: {{GRAPE}} on $x^2$}},\n"
            f'  author = {{Lovelace, Ada and M{{\\"u}}ller, J{i}}},\n  {marks}\n'
            f"  booktitle = {{Proc. of Things}},\n  year = {{{2000 + i % 20}}},\n"
            f"  abstract = {{We study *thing* {i}.}},\n  pdf = {{https://x.org/{i}.pdf}}\n}}\n"
        )
    return "\n".join(entries)


SITE = {
    "site.yaml": """
        title: Ada Lovelace
        base_url: https://ada.example.org/repo/
        languages: [en, zh]
        owner_names: [Ada Lovelace]
        profile:
          name: {en: Ada Lovelace, zh: 艾达}
          email: ada@example.org
          photo: img/me.svg
    """,
    "publications.bib": bib(40),
    "content/about.md": "---\ntitle: About\n---\nI am **Ada**. [Broken](/nowhere/)\n",
    "content/zh/about.md": "---\ntitle: 关于\nlang: zh\n---\n我是艾达。\n",
    "data/news.yaml": "- date: 2024-05-01\n  title: A *prize*\n",
    "static/img/me.svg": '<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"/>',
}


APA_SITE_YAML = SITE["site.yaml"].replace(
    "owner_names:", "reference_style: apa\n        owner_names:"
)


def tree(folder: Path) -> dict[str, bytes]:
    return {
        p.relative_to(folder).as_posix(): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def both(root: Path, tmp_path: Path, **kwargs):
    serial = build(root, tmp_path / "serial", clean=True, search=False, workers=1, **kwargs)
    parallel = build(root, tmp_path / "parallel", clean=True, search=False, workers=2, **kwargs)
    return serial, parallel


def test_a_parallel_build_writes_the_same_bytes_as_a_serial_one(make_site, tmp_path):
    posts = {
        f"content/news/post-{i}.md": f"---\ntitle: Post {i}\ndate: 2024-0{i + 1}-02\n---\nHi.\n"
        for i in range(8)
    }
    root = make_site({**SITE, **posts})
    serial, parallel = both(root, tmp_path)
    assert serial.workers == 1 and parallel.workers == 2
    assert tree(tmp_path / "serial") == tree(tmp_path / "parallel")
    assert serial.files == parallel.files == len(tree(tmp_path / "parallel")) - 1  # + marker
    assert [str(w) for w in serial.warnings] == [str(w) for w in parallel.warnings]
    assert any("paper000" in p for p in tree(tmp_path / "parallel"))
    # again over the previous output, after an edit: unchanged pages are hard links
    page = tmp_path / "parallel" / "publications" / "paper039" / "index.html"
    inode = page.stat().st_ino
    (root / "publications.bib").write_text(SITE["publications.bib"].replace("Paper 3:", "P 3:"))
    for workers in (1, 2):
        build(root, tmp_path / ("serial", "parallel")[workers - 1], search=False, workers=workers)
    assert tree(tmp_path / "serial") == tree(tmp_path / "parallel")
    assert page.stat().st_ino == inode
    edited = tmp_path / "parallel" / "publications" / "paper003" / "index.html"
    assert b"P 3:" in edited.read_bytes()


def test_two_outputs_on_one_path_fall_back_to_plan_order(make_site, tmp_path):
    # a static robots.txt replaces the generated one (the later job wins), in both modes
    root = make_site({**SITE, "static/robots.txt": "User-agent: *\nDisallow: /\n"})
    serial, parallel = both(root, tmp_path)
    assert tree(tmp_path / "serial") == tree(tmp_path / "parallel")
    assert (tmp_path / "parallel" / "robots.txt").read_text() == "User-agent: *\nDisallow: /\n"
    assert serial.files == parallel.files


def test_errors_in_a_worker_stop_the_build_with_the_same_report(make_site, tmp_path):
    bad = {**SITE, "templates/publication.html": "{{ no_such_name }}"}
    root = make_site(bad)
    reports = []
    for workers in (1, 2):
        out = tmp_path / f"out{workers}"
        with pytest.raises(UserError) as err:
            build(root, out, search=False, clean=True, workers=workers)
        reports.append([str(d) for d in err.value.diagnostics])
        assert not out.exists()  # nothing was written
        assert not any(p.name.startswith(f".out{workers}.") for p in tmp_path.iterdir())
    assert reports[0] == reports[1] and len(reports[0]) >= 40


def test_small_sites_render_in_one_process():
    assert worker_count(PARALLEL_MIN - 1) == 1
    assert worker_count(10, requested=1) == 1


def test_progress_is_reported_up_to_the_total(make_site, tmp_path):
    root = make_site(SITE)
    seen: list[tuple[int, int]] = []
    build(root, tmp_path / "out", search=False, workers=2, progress=lambda *a: seen.append(a))
    assert seen and seen[-1][0] == seen[-1][1]
    assert [d for d, _ in seen] == sorted(d for d, _ in seen)


def test_the_references_workers_format_reach_the_cache(make_site, tmp_path):
    root = make_site({**SITE, "site.yaml": APA_SITE_YAML})
    build(root, tmp_path / "out", search=False, workers=2)
    entries = _read_json(root / CACHE_DIR / RECORDS_FILE)["entries"]
    assert len([k for k in entries if k.startswith("csl:")]) == 80  # 40 papers, 2 languages
    assert json.dumps(list(entries.values())).count("Paper 7") >= 1
    build(root, tmp_path / "again", search=False, workers=2)  # read back, same pages
    assert tree(tmp_path / "out") == tree(tmp_path / "again")


def test_the_records_are_read_only_when_a_build_needs_them(make_site, tmp_path, monkeypatch):
    root = make_site(SITE)
    out = tmp_path / "out"
    build(root, out, search=False)
    reads = []
    real = cache_module._read_json
    monkeypatch.setattr(cache_module, "_read_json", lambda p: reads.append(p.name) or real(p))
    assert build(root, out, search=False).up_to_date
    assert RECORDS_FILE not in reads


def test_a_page_rewritten_later_with_the_same_size_is_seen(make_site, tmp_path, monkeypatch):
    root = make_site(SITE)
    out = tmp_path / "out"
    monkeypatch.setattr(cache_module, "RACY_NS", 0)  # as if the build ended long ago
    build(root, out, search=False)
    page = out / "index.html"
    html = page.read_bytes()
    page.write_bytes(html.replace(b"Ada", b"Eve", 1))
    assert not build(root, out, search=False).up_to_date
    assert page.read_bytes() == html


def test_the_cache_of_a_parallel_build_is_written(make_site, tmp_path):
    root = make_site({**SITE, "site.yaml": APA_SITE_YAML})
    build(root, tmp_path / "out", search=False, clean=True)
    assert _read_json(root / CACHE_DIR / RECORDS_FILE) is not None
    fresh = Cache.for_site(root, tmp_path / "out")
    assert fresh.get(next(iter(_read_json(root / CACHE_DIR / RECORDS_FILE)["entries"])))
