"""Hostile sizes: a 10 MB bibliography and a paper with 3,000 authors.

    python benchmarks/hostile.py [--mb 10] [--authors 3000] [--search] [--keep DIR]

Writes a site folder (deterministic: no clock, no randomness) and builds it in a child
process with the output on a RAM disk (/dev/shm when there is one), then reports the
build's wall time and peak memory (the child's maximum resident set size), and checks
that the 3,000-author paper is shortened on list pages (the first
`views.LIST_AUTHOR_LIMIT - 1` names, the owner, "and N more") and complete on its landing
page. pagefind runs only with --search (say so when quoting the numbers). Exit code 1 when
the build fails or a check does not hold.
"""

from __future__ import annotations

import argparse
import os
import re
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from scholarsite.views import LIST_AUTHOR_LIMIT

OWNER = ("Ada", "Lovelace")
BIG_KEY = "consortium2024"
WORDS = [
    "analytical",
    "engine",
    "difference",
    "numbers",
    "bernoulli",
    "weaving",
    "pattern",
    "card",
    "loom",
    "algebra",
    "operation",
    "variable",
    "store",
    "mill",
    "program",
    "sequence",
    "result",
    "symbol",
    "notation",
    "function",
]


def author(i: int) -> tuple[str, str]:
    """A distinct, deterministic name for author `i` (with some accents)."""
    first = ("Jörg", "Ana", "Wei", "Olu", "Marie", "Søren", "Chen", "Ivan")[i % 8]
    return f"{first}{i}", f"Lastname{i:04d}"


def entry(i: int) -> str:
    """One ordinary entry of about 2 KB."""
    names = [author(i * 7 + k) for k in range(6)]
    if i % 3 == 0:
        names.insert(1, OWNER)
    words = [WORDS[(i * 31 + k * 7) % len(WORDS)] for k in range(260)]
    return (
        f"@inproceedings{{paper{i:05d},\n"
        f"  title = {{On the {WORDS[i % len(WORDS)]} of {WORDS[(i * 3) % len(WORDS)]} "
        f"engines, part {i}}},\n"
        f"  author = {{{' and '.join(f'{last}, {first}' for first, last in names)}}},\n"
        f"  booktitle = {{Proceedings of the {i % 40}th Conference on Engines}},\n"
        f"  year = {{{1990 + i % 35}}},\n"
        f"  doi = {{10.5555/engine.{i}}},\n"
        f"  pdf = {{https://example.org/papers/{i}.pdf}},\n"
        f"  abstract = {{{' '.join(words).capitalize()}.}},\n"
        "}\n\n"
    )


def big_paper(authors: int) -> str:
    """The paper with `authors` authors; the owner stands in the middle of the list."""
    names = [author(100_000 + k) for k in range(authors)]
    names[authors // 2] = OWNER
    people = " and ".join(f"{last}, {first}" for first, last in names)
    return (
        f"@article{{{BIG_KEY},\n"
        "  title = {A Very Large Collaboration on Analytical Engines},\n"
        f"  author = {{{people}}},\n"
        "  journal = {Journal of Engines},\n"
        "  year = {2024},\n"
        "  selected = {true},\n"
        "}\n\n"
    )


def write_site(root: Path, megabytes: float, authors: int) -> tuple[int, int]:
    """The site folder; returns (entries, bytes of publications.bib)."""
    (root / "content").mkdir(parents=True)
    (root / "site.yaml").write_text(
        "title: Ada Lovelace\nbase_url: https://ada.example.org/\n"
        "owner_names: [Ada Lovelace]\nprofile:\n  name: Ada Lovelace\n",
        encoding="utf-8",
    )
    (root / "content" / "about.md").write_text("I am Ada.\n", encoding="utf-8")
    parts = [big_paper(authors)]
    size, i = len(parts[0].encode()), 0
    while size < megabytes * 1_000_000:
        text = entry(i)
        parts.append(text)
        size += len(text.encode())
        i += 1
    (root / "publications.bib").write_text("".join(parts), encoding="utf-8")
    return i + 1, size


def build(site: Path, out: Path, search: bool) -> tuple[float, int, str]:
    """Build in a child process: (seconds, peak RSS in bytes of the child, its stderr)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    args = [sys.executable, "-m", "scholarsite.cli", "build", str(site), "-o", str(out)]
    args += ["--clean", "--search" if search else "--no-search"]
    started = time.perf_counter()
    done = subprocess.run(args, capture_output=True, text=True, check=False)
    seconds = time.perf_counter() - started
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    if done.returncode != 0:
        raise SystemExit(f"build failed:\n{done.stdout}\n{done.stderr}")
    return seconds, max(peak, before) * 1024, done.stderr


def check(out: Path, authors: int) -> list[str]:
    """Problems with the big paper's author lists ([] when all is well)."""
    problems = []
    names = re.compile(r"Lastname1\d{5}|Lastname\d{4}")
    landing = (out / "publications" / BIG_KEY / "index.html").read_text(encoding="utf-8")
    listing = (out / "publications" / "index.html").read_text(encoding="utf-8")
    home = (out / "index.html").read_text(encoding="utf-8")
    landing_names = {n for n in names.findall(landing) if n.startswith("Lastname1")}
    if len(landing_names) != authors - 1 or '<strong class="owner">' not in landing:
        problems.append(f"landing page shows {len(landing_names)} + owner of {authors} authors")
    more = f"and {authors - LIST_AUTHOR_LIMIT} more"
    for name, html in (("publications/index.html", listing), ("index.html", home)):
        item = html[html.find(f'id="{BIG_KEY}"') :]
        item = item[: item.find("</li>")]
        shown = {n for n in names.findall(item) if n.startswith("Lastname1")}
        if len(shown) != LIST_AUTHOR_LIMIT - 1 or more not in item or "owner" not in item:
            problems.append(f"{name}: {len(shown)} names + owner, {more!r} missing")
    return problems


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--mb", type=float, default=10.0, help="bibliography size (MB)")
    parser.add_argument("--authors", type=int, default=3000, help="authors of the big paper")
    parser.add_argument("--search", action="store_true", help="also run pagefind")
    parser.add_argument("--keep", type=Path, help="write the site and output here, keep them")
    args = parser.parse_args(argv)

    ram = "/dev/shm" if os.access("/dev/shm", os.W_OK) else None
    work = args.keep or Path(tempfile.mkdtemp(prefix="scholarsite-hostile-", dir=ram))
    try:
        site, out = work / "site", work / "out"
        shutil.rmtree(site, ignore_errors=True)
        entries, size = write_site(site, args.mb, args.authors)
        seconds, peak, _ = build(site, out, args.search)
        files = sum(1 for p in out.rglob("*") if p.is_file())
        problems = check(out, args.authors)
        print(f"bibliography     {size / 1e6:.1f} MB, {entries} entries")
        print(f"big paper        {args.authors} authors (owner at {args.authors // 2 + 1})")
        print(f"output           {files} files on {'tmpfs' if ram else 'disk'} ({out})")
        print(f"search (pagefind) {'ran' if args.search else 'not run'}")
        print(f"build time       {seconds:.2f} s (clean build, child process)")
        print(f"peak memory      {peak / 2**20:.0f} MB (max RSS of the build)")
        print(f"author lists     list pages: first {LIST_AUTHOR_LIMIT - 1} + owner; "
              f"landing page: all  -> {'OK' if not problems else 'FAIL'}")  # fmt: skip
        for p in problems:
            print(f"  {p}")
        return 1 if problems else 0
    finally:
        if args.keep is None:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
