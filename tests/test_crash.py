"""Crash safety: builds killed with SIGKILL at random moments leave the previous output
complete (same file hashes) and the cache usable; a crash at the worst moment of the swap
too; two builds of the same input are byte-identical; an output folder is only ever
replaced when it carries our marker, and never when it is (or holds) the site folder."""

from __future__ import annotations

import hashlib
import os
import random
import shutil
import signal
import subprocess
import sys
import tempfile
import textwrap
import time
from pathlib import Path

import pytest

from scholarsite.build import build
from scholarsite.errors import UserError
from scholarsite.write import MARKER

from .conftest import write_site

#: Builds killed while running (each one checked); the test keeps going until it has these.
KILLS = 24
SCHOLARSITE = [sys.executable, "-m", "scholarsite.cli"]


def manifest(folder: Path) -> dict[str, str]:
    """Every file under `folder` -> sha256 of its bytes."""
    return {
        p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def big_site(root: Path, title: str, pubs: int = 600, pages: int = 160) -> Path:
    """A site big enough that a build takes a good part of a second."""
    entries = []
    for i in range(pubs):
        entries.append(
            textwrap.dedent(f"""
                @inproceedings{{paper{i},
                  title = {{{title} paper {i}: On {"the " * (i % 5)}Analytical Engines}},
                  author = {{Lovelace, Ada and Babbage, Charles and Somerville, Mary}},
                  booktitle = {{Proceedings of Conference {i % 17}}},
                  year = {{{2000 + i % 25}}},
                  abstract = {{{"Many words about engines. " * 20}}},
                  pdf = {{https://example.org/{i}.pdf}},
                }}
            """)
        )
    files: dict[str, str | bytes] = {
        "site.yaml": f"""
            title: {title}
            base_url: https://ada.example.org/
            owner_names: [Ada Lovelace]
            profile:
              name: Ada Lovelace
              email: ada@example.org
        """,
        "publications.bib": "\n".join(entries),
        "content/about.md": f"I am Ada. {title}\n",
        "data/education.yaml": "- org: University of London\n  title: Mathematics\n",
        "static/files/a.txt": "static file\n",
    }
    for i in range(pages):
        files[f"content/notes/n{i}.md"] = f"---\ntitle: Note {i}\n---\n{title} " + "text " * 300
    return write_site(root, files)


def run_build(site: Path, out: Path, *extra: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [*SCHOLARSITE, "build", str(site), "-o", str(out), "--no-search", *extra],
        capture_output=True,
        text=True,
        check=False,
    )


@pytest.fixture
def workdir():
    """A RAM disk when there is one (file creation on this VM's disk is slow)."""
    base = "/dev/shm" if os.path.isdir("/dev/shm") and os.access("/dev/shm", os.W_OK) else None
    with tempfile.TemporaryDirectory(prefix="scholarsite-crash-", dir=base) as d:
        yield Path(d)


def test_killed_builds_leave_the_previous_output_complete(workdir):
    site_a = big_site(workdir / "a", "Alpha")
    site_b = big_site(workdir / "b", "Beta")
    out = workdir / "out"
    rng = random.Random(20240501)

    started = time.perf_counter()
    assert run_build(site_b, workdir / "ref-b").returncode == 0
    seconds = time.perf_counter() - started
    assert seconds > 0.3, f"a build takes {seconds:.2f} s: make big_site bigger"
    assert run_build(site_a, out).returncode == 0
    expected = {"a": manifest(out), "b": manifest(workdir / "ref-b")}
    assert expected["a"] != expected["b"] and MARKER in expected["a"]

    current, kills, attempts = "a", 0, 0
    while kills < KILLS:
        attempts += 1
        assert attempts < KILLS * 4, f"only {kills} builds were still running when killed"
        target = "b" if current == "a" else "a"
        proc = subprocess.Popen(
            [*SCHOLARSITE, "build", str(site_b if target == "b" else site_a), "-o", str(out),
             "--no-search"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )  # fmt: skip
        time.sleep(rng.uniform(0.05, seconds * 1.1))
        if proc.poll() is None:
            proc.send_signal(signal.SIGKILL)
            kills += 1
        proc.wait()
        now = manifest(out)
        # complete: the previous output, or the new one when the swap came before the kill
        assert now in (expected[current], expected[target]), (
            f"kill {kills}: output is neither the old nor the new tree"
        )
        current = "a" if now == expected["a"] else "b"

    # the cache (kept beside the site folders) is still usable: builds succeed and give the
    # same bytes as a build that ignores the cache
    for name, site in (("a", site_a), ("b", site_b)):
        done = run_build(site, out)
        assert done.returncode == 0, done.stderr
        assert manifest(out) == expected[name]
        clean = run_build(site, workdir / f"clean-{name}", "--clean")
        assert clean.returncode == 0 and manifest(workdir / f"clean-{name}") == expected[name]
    leftovers = [p.name for p in workdir.iterdir() if p.name.startswith(".out.")]
    assert leftovers == [], leftovers


CRASH_AT_SWAP = """
import os, sys
from scholarsite.build import build
out = os.path.abspath(sys.argv[2])
real_rename = os.rename
def rename(src, dst, *a, **k):
    real_rename(src, dst, *a, **k)
    if os.path.abspath(src) == out:  # the old tree was just moved away: crash now
        os._exit(137)
os.rename = rename
real_replace = os.replace
build(sys.argv[1], out, search=False)
"""


def test_a_crash_during_the_swap_leaves_a_complete_output(workdir):
    site_a = big_site(workdir / "a", "Alpha", pubs=5, pages=2)
    site_b = big_site(workdir / "b", "Beta", pubs=5, pages=2)
    out = workdir / "out"
    build(site_a, out, search=False)
    before = manifest(out)
    proc = subprocess.run([sys.executable, "-c", CRASH_AT_SWAP, str(site_b), str(out)], check=False)
    assert proc.returncode in (0, 137)
    assert out.is_dir(), "the output folder is missing after a crash during the swap"
    after = manifest(out)
    assert after == before or (after != before and MARKER in after)
    build(site_b, out, search=False)  # and the next build is fine
    assert (out / "index.html").read_text(encoding="utf-8").count("Beta")


# -- reproducible builds ---------------------------------------------------------------------


def test_two_builds_of_the_same_input_are_byte_identical(workdir, tmp_path):
    from .conftest import EXAMPLE

    copies = []
    for name in ("one", "two", "three"):  # different folders: no absolute path may leak in
        site = workdir / name / "site"
        shutil.copytree(EXAMPLE, site, ignore=shutil.ignore_patterns("_site", ".scholarsite*"))
        copies.append(site)
    results = []
    for i, site in enumerate(copies):  # hash seeds and time zones differ too
        env = dict(os.environ, PYTHONHASHSEED=str(i + 1), TZ=("UTC", "Asia/Shanghai", "EST")[i])
        out = workdir / f"out{i}"
        done = subprocess.run(
            [*SCHOLARSITE, "build", str(site), "-o", str(out), "--clean"],
            capture_output=True,
            text=True,
            env=env,
            check=False,
        )
        assert done.returncode == 0, done.stderr
        results.append(manifest(out))
    one = results[0]
    for other in results[1:]:
        assert sorted(one) == sorted(other)
        differ = [rel for rel in one if one[rel] != other[rel]]
        assert differ == [], differ
    kinds = {rel.rsplit(".", 1)[-1] for rel in one}
    assert {"html", "xml", "pdf"} <= kinds, kinds  # the feed and the CV PDF are compared too
    assert any(rel.startswith("pagefind/") for rel in one), "the search index is compared too"


# -- the output folder ---------------------------------------------------------------------------


def test_a_folder_without_our_marker_is_never_replaced(make_site, tmp_path):
    root = make_site({})
    out = tmp_path / "mine"
    out.mkdir()
    (out / "thesis.tex").write_text("years of work")
    with pytest.raises(UserError, match="not made by scholarsite"):
        build(root, out)
    assert (out / "thesis.tex").read_text() == "years of work"
    assert sorted(p.name for p in out.iterdir()) == ["thesis.tex"]
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".mine")] == []


def test_a_folder_with_our_marker_is_replaced(make_site, tmp_path):
    root = make_site({})
    out = tmp_path / "out"
    build(root, out, search=False)
    (out / "stale.html").write_text("old")
    build(root, out, search=False, clean=True)
    assert not (out / "stale.html").exists() and (out / MARKER).is_file()


def test_empty_folder_is_used_and_a_file_is_refused(make_site, tmp_path):
    root = make_site({})
    (tmp_path / "empty").mkdir()
    build(root, tmp_path / "empty", search=False)
    assert (tmp_path / "empty" / "index.html").is_file()
    (tmp_path / "file").write_text("x")
    with pytest.raises(UserError, match="not a folder"):
        build(root, tmp_path / "file")
    assert (tmp_path / "file").read_text() == "x"


def test_a_symlinked_output_folder_is_refused(make_site, tmp_path):
    root = make_site({})
    build(root, tmp_path / "real", search=False)
    os.symlink(tmp_path / "real", tmp_path / "link")
    with pytest.raises(UserError):
        build(root, tmp_path / "link")
    assert (tmp_path / "real" / "index.html").is_file()


@pytest.mark.parametrize("where", [".", "..", "../..", "static", "content/x"])
def test_the_site_folder_is_never_the_output_even_with_force(make_site, tmp_path, where):
    root = make_site({"content/about.md": "I am Ada.\n", "static/a.txt": "a"})
    (root / MARKER).write_text("")  # even with a marker planted in it
    before = manifest(tmp_path)
    with pytest.raises(UserError, match="site folder"):
        build(root, (root / where).resolve(), force=True)
    assert manifest(tmp_path) == before


def test_leftovers_of_a_killed_build_are_cleaned_and_a_lost_output_restored(make_site, tmp_path):
    root = make_site({})
    out = tmp_path / "out"
    build(root, out, search=False)
    previous = manifest(out)
    (tmp_path / ".out.new-deadbeef").mkdir()  # a killed build's half-written tree
    (tmp_path / ".out.new-deadbeef" / "index.html").write_text("half")
    os.rename(out, tmp_path / ".out.old-deadbeef")  # killed between the two renames
    (tmp_path / ".elsewhere.new-deadbeef").mkdir()  # not ours: another output's name
    from scholarsite.write import clean_stale

    clean_stale(out)
    assert manifest(out) == previous
    names = sorted(p.name for p in tmp_path.iterdir())
    assert ".out.new-deadbeef" not in names and ".elsewhere.new-deadbeef" in names
