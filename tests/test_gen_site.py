"""benchmarks/gen_site.py: deterministic, equivalent benchmark sites for scholarsite/Hugo/Jekyll."""

from __future__ import annotations

import importlib.util
import re
import shutil
import subprocess
import sys
import time
import tomllib
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent


def _load_gen_site():
    spec = importlib.util.spec_from_file_location("gen_site", ROOT / "benchmarks" / "gen_site.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["gen_site"] = module  # dataclasses look their module up by name
    spec.loader.exec_module(module)
    return module


gen_site = _load_gen_site()

SITE_YAML_KEYS = {
    "title", "base_url", "language", "languages", "theme", "theme_options", "reference_style",
    "owner_names", "raw_html", "sections", "description", "footer", "feed_limit",
    "profile",
}  # fmt: skip
PROFILE_KEYS = {
    "name", "native_name", "photo", "motto", "position", "affiliation", "affiliation_url",
    "email", "notices", "interests", "links",
}  # fmt: skip


def load_yaml(text: str):
    return yaml.load(text, Loader=yaml.CSafeLoader)


def tree(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in root.rglob("*") if p.is_file()}


def bib_keys(site: Path) -> list[str]:
    text = (site / "publications.bib").read_text(encoding="utf-8")
    return re.findall(r"^@\w+\{([^,\s]+),", text, re.M)


def stems(folder: Path, exclude: tuple[str, ...] = ("_index",)) -> set[str]:
    return {p.stem for p in folder.glob("*.md") if p.stem not in exclude}


def front_matter(path: Path) -> dict:
    text = path.read_text(encoding="utf-8")
    assert text.startswith("---\n"), path
    head, _, _body = text[4:].partition("\n---\n")
    data = load_yaml(head)
    assert isinstance(data, dict), path
    return data


@pytest.fixture(scope="module")
def site_s(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("S")
    gen_site.generate("S", out)
    return out


@pytest.fixture(scope="module")
def site_m(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("M")
    gen_site.generate("M", out)
    return out


def test_same_seed_gives_byte_identical_trees(tmp_path, site_s):
    gen_site.generate("S", tmp_path / "again")
    first, second = tree(site_s), tree(tmp_path / "again")
    assert sorted(first) == sorted(second)
    assert first == second
    gen_site.generate("S", tmp_path / "other", seed=7)
    other = tree(tmp_path / "other")
    assert other["scholarsite/publications.bib"] != first["scholarsite/publications.bib"]


def test_regenerating_replaces_the_previous_generation(tmp_path):
    gen_site.generate("M", tmp_path)
    gen_site.generate("S", tmp_path)
    assert len(bib_keys(tmp_path / "scholarsite")) == 20
    assert not (tmp_path / "hugo/content/news").exists()


def test_refuses_to_delete_a_folder_it_did_not_make(tmp_path):
    (tmp_path / "hugo").mkdir()
    (tmp_path / "hugo" / "mine.txt").write_text("keep me")
    with pytest.raises(FileExistsError):
        gen_site.generate("S", tmp_path)
    assert (tmp_path / "hugo" / "mine.txt").read_text() == "keep me"


@pytest.mark.parametrize("size", ["S", "M"])
def test_three_variants_hold_the_same_documents(size, site_s, site_m):
    out = {"S": site_s, "M": site_m}[size]
    spec = gen_site.SIZES[size]
    ours, hugo, jekyll = out / "scholarsite", out / "hugo", out / "jekyll"

    keys = bib_keys(ours)
    assert len(keys) == len(set(keys)) == spec.pubs
    assert set(keys) == stems(hugo / "content/publications") == stems(jekyll / "_publications")

    news = stems(ours / "content/news")
    assert len(news) == spec.news
    assert news == stems(hugo / "content/news") == stems(jekyll / "_news")

    pages = stems(ours / "content", exclude=("about",))
    assert len(pages) == spec.pages
    assert pages == stems(hugo / "content") == stems(jekyll / "pages")


def test_scholarsite_folder_follows_the_site_folder_format(site_m):
    site = site_m / "scholarsite"
    config = load_yaml((site / "site.yaml").read_text(encoding="utf-8"))
    assert set(config) <= SITE_YAML_KEYS
    assert set(config["profile"]) <= PROFILE_KEYS
    assert config["owner_names"] and (site / "static" / config["profile"]["photo"]).is_file()
    for name in ("education", "experience", "awards"):
        items = load_yaml((site / "data" / f"{name}.yaml").read_text(encoding="utf-8"))
        assert isinstance(items, list) and items
        assert all(item.get("title") or item.get("org") for item in items)
    assert front_matter(site / "content/about.md")["title"]
    for post in (site / "content/news").glob("*.md"):
        data = front_matter(post)
        assert set(data) == {"title", "date"} and str(data["date"]) == post.stem[:10]
    text = (site / "publications.bib").read_text(encoding="utf-8")
    entries = text.split("\n@")
    assert all(e.count("{") == e.count("}") for e in entries)
    assert "author+an = {1=equal; 2=equal" in text
    assert "status = {preprint}" in text and "selected = {true}" in text
    assert re.search(r"\\[\"'`~]|\{\\", text), "some names carry LaTeX escapes"


def test_all_yaml_toml_and_front_matter_parse(site_m):
    for path in site_m.rglob("*"):
        if path.suffix in (".yaml", ".yml"):
            load_yaml(path.read_text(encoding="utf-8"))
        elif path.suffix == ".md":
            front_matter(path)
    config = tomllib.loads((site_m / "hugo/config.toml").read_text(encoding="utf-8"))
    assert config["params"]["owner_names"] == ["Lin Qiao", "L. Qiao"]
    jekyll = load_yaml((site_m / "jekyll/_config.yml").read_text(encoding="utf-8"))
    assert jekyll["collections"]["publications"]["output"] is True
    assert "profile" not in jekyll  # it would switch on Jekyll's Liquid profiler


def test_publications_are_realistic():
    ds = gen_site.make_dataset("M")
    owners = {"Lin Qiao", "L. Qiao"}
    for pub in ds.pubs:
        names = [name.display for name, _ in pub.authors]
        assert 3 <= len(names) <= 12, pub.key
        assert owners & set(names), pub.key
        assert 80 <= len(pub.abstract.split()) <= 200, pub.key
        assert pub.year is None or 2005 <= pub.year <= 2025
        assert re.fullmatch(r"[a-z0-9]+", pub.key)
    assert sum(pub.year is None for pub in ds.pubs) >= 2
    assert any("equal" in roles for pub in ds.pubs for _, roles in pub.authors)
    assert any("*" in pub.abstract for pub in ds.pubs)
    assert any(label == "Code" for pub in ds.pubs for _, label, _ in pub.links)


def test_hugo_and_jekyll_front_matter_match_the_bibtex(site_m):
    hugo = front_matter(
        site_m / "hugo/content/publications" / f"{min(bib_keys(site_m / 'scholarsite'))}.md"
    )
    jekyll = front_matter(site_m / "jekyll/_publications" / f"{hugo['key']}.md")
    assert hugo == jekyll
    assert hugo["bibtex"].startswith("@") and f"{{{hugo['key']}," in hugo["bibtex"]


def test_edit_one_publication_changes_the_same_title_everywhere(tmp_path):
    gen_site.generate("S", tmp_path)
    before = tree(tmp_path)
    keys = {tool: gen_site.edit_one_publication(tmp_path, tool) for tool in gen_site.TOOLS}
    assert len(set(keys.values())) == 1
    key = keys["hugo"]
    after = tree(tmp_path)
    changed = {path for path in after if after[path] != before[path]}
    assert changed == {
        "scholarsite/publications.bib",
        f"hugo/content/publications/{key}.md",
        f"jekyll/_publications/{key}.md",
    }
    for path in (f"hugo/content/publications/{key}.md", f"jekyll/_publications/{key}.md"):
        data = front_matter(tmp_path / path)
        assert data["title"].endswith(" (Revised)")
        assert " (Revised)}," in data["bibtex"]
    assert " (Revised)}," in after["scholarsite/publications.bib"].decode()
    for tool in gen_site.TOOLS:  # a second edit restores the original, from the tool's folder too
        gen_site.edit_one_publication(tmp_path / tool, tool)
    assert tree(tmp_path) == before


def test_m_generation_is_fast(tmp_path):
    start = time.process_time()  # CPU time: other work on the machine does not count
    gen_site.generate("M", tmp_path)
    assert time.process_time() - start < 3.0


def test_command_line(tmp_path):
    proc = subprocess.run(
        [sys.executable, str(ROOT / "benchmarks/gen_site.py"), "S", str(tmp_path), "--seed", "3"],
        capture_output=True,
        text=True,
        check=True,
    )
    assert "20 publications" in proc.stdout
    assert (tmp_path / "scholarsite/site.yaml").is_file()


def html_count(folder: Path) -> int:
    return sum(1 for _ in folder.rglob("*.html"))


@pytest.mark.skipif(not (shutil.which("hugo") and shutil.which("jekyll")), reason="needs both")
def test_hugo_and_jekyll_build_s_with_the_same_page_count(tmp_path, site_s):
    src, out = tmp_path / "src", tmp_path / "out"
    shutil.copytree(site_s, src)  # the builds write lock and cache files into their sources
    hugo = ["hugo", "--quiet", "-s", src / "hugo", "-d", out / "hugo"]
    jekyll = ["jekyll", "build", "-q", "-s", src / "jekyll", "-d", out / "jekyll"]
    for cmd in (hugo, jekyll):
        subprocess.run([str(c) for c in cmd], check=True, capture_output=True, timeout=120)
    # home + publications list + 20 publication pages + 404
    assert html_count(out / "hugo") == html_count(out / "jekyll") == 23
    for tool in ("hugo", "jekyll"):
        home = (out / tool / "index.html").read_text(encoding="utf-8")
        assert '<strong class="owner">Lin Qiao</strong>' in home
        assert home.count('<li class="pub" id="') == 20
