"""`import jekyll`: the seed page becomes a site folder that loses nothing."""

from __future__ import annotations

import html
import re
import shutil
import unicodedata
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given
from hypothesis import settings as hsettings
from hypothesis import strategies as st

from scholarsite.errors import Diagnostics
from scholarsite.importers.inline import plain_text
from scholarsite.importers.jekyll import import_jekyll
from scholarsite.names import OwnerMatcher
from scholarsite.readers.bibtex import parse_bibtex
from scholarsite.readers.publications import to_publication

from .fixtures import seed_facts as facts

ROOT = Path(__file__).resolve().parent
SEED = ROOT / "fixtures" / "seed" / "about.md"
SEED_HTML = ROOT / "fixtures" / "seed" / "about.jekyll.html"
FIXTURES = ROOT / "fixtures" / "import" / "jekyll"


def load(folder: Path) -> dict:
    """The imported folder as data: site.yaml, data lists, publications, about.md."""
    out: dict = {"site": yaml.safe_load((folder / "site.yaml").read_text(encoding="utf-8"))}
    for path in sorted((folder / "data").glob("*.yaml")):
        out[path.stem] = yaml.safe_load(path.read_text(encoding="utf-8"))
    bib = folder / "publications.bib"
    out["bib_text"] = bib.read_text(encoding="utf-8") if bib.exists() else ""
    raws, problems = parse_bibtex(out["bib_text"], "publications.bib")
    assert problems == []
    diags = Diagnostics()
    out["pubs"] = [to_publication(raw, diags) for raw in raws]
    assert diags.errors == []
    about = folder / "content" / "about.md"
    out["about"] = about.read_text(encoding="utf-8") if about.exists() else ""
    return out


@pytest.fixture(scope="module")
def seed_import(tmp_path_factory):
    into = tmp_path_factory.mktemp("seed") / "site"
    report = import_jekyll(SEED, into)
    return into, report, load(into)


def nfkc(text: str) -> str:
    return unicodedata.normalize("NFKC", text)


def test_seed_yields_the_18_publications_of_the_facts(seed_import):
    _, _, site = seed_import
    pubs = site["pubs"]
    assert [nfkc(p.title) for p in pubs] == [f["title_text"] for f in facts.PUBLICATIONS]
    matcher = OwnerMatcher(site["site"]["owner_names"])
    for pub, fact in zip(pubs, facts.PUBLICATIONS, strict=True):
        names = [a.display for a in pub.authors]
        assert names == fact["authors"], pub.key
        assert [a.display for a in pub.authors if "equal" in a.roles] == fact["equal"], pub.key
        assert [a.display for a in pub.authors if matcher.matches(a)] == [fact["owner"]]
        assert pub.abbr == fact["venue"], pub.key
        assert pub.year == fact["year"], pub.key
        assert (pub.award == "Oral") is fact["oral"], pub.key
        assert (pub.status == "preprint") is (fact["year"] is None), pub.key
        printed = [
            (ln.label.casefold(), ln.url) for ln in pub.links if ln.kind not in ("arxiv", "doi")
        ]
        assert printed == [(label.casefold(), url) for label, url in fact["links"]], pub.key
        assert (pub.note or None) == fact["note"], pub.key


def test_seed_link_labels_are_kept_as_printed(seed_import):
    _, _, site = seed_import
    text = re.sub(r" +=", " =", site["bib_text"])  # fields are aligned
    assert "links = {Report = https://syncedreview.com/" in text
    assert "URL = https://xiaomingbot.github.io, Youtube = https://www.youtube.com/watch?v=" in text
    assert "talk = {https://www.bilibili.com/video/BV1sf4y1N7Hq}" in text
    assert "title = {S$^4$-Tuning: A Simple Cross-lingual Sub-network Tuning Method}" in text


def test_seed_profile_and_settings(seed_import):
    _, _, site = seed_import
    settings = site["site"]
    profile = settings["profile"]
    assert settings["owner_names"] == [facts.OWNER]
    assert profile["name"] == facts.PROFILE["name"]
    assert profile["native_name"] == facts.PROFILE["native_name"]
    assert profile["motto"] == facts.PROFILE["motto"]
    assert profile["email"] == facts.PROFILE["email"]
    assert profile["links"]["github"] == facts.PROFILE["github"]
    assert sorted(plain_text(n) for n in profile["notices"]) == sorted(facts.PROFILE["notices"])
    assert profile["photo"] == "img/photo2mini.jpeg"
    assert settings["sections"] == [
        "education",
        "experience",
        "publications",
        "awards",
        "teaching",
        "contact",
    ]


def test_seed_data_sections(seed_import):
    _, _, site = seed_import
    edu = [(e["org"], e.get("url"), e["start"], e["end"]) for e in site["education"]]
    assert edu == facts.EDUCATION
    exp = [(e["org"], e.get("url"), e["start"], e["end"]) for e in site["experience"]]
    assert exp == facts.EXPERIENCE
    awards = [(plain_text(a["title"]), a["years"]) for a in site["awards"]]
    assert awards == facts.AWARDS
    assert [(t["title"], t["role"], t["date"]) for t in site["teaching"]] == facts.TEACHING


def test_seed_comments_are_kept_next_to_their_data(seed_import):
    into, _, site = seed_import
    awards = (into / "data" / "awards.yaml").read_text(encoding="utf-8")
    assert "# - [Arawana scholarship](https://jjh.jinlongyu.cn/project/index.aspx?NC=" in awards
    teaching = (into / "data" / "teaching.yaml").read_text(encoding="utf-8")
    assert "# - Reviewer: EACL2021, ARR" in teaching
    site_yaml = (into / "site.yaml").read_text(encoding="utf-8")
    assert '# <!-- <img align="left" src="/img/photo2.jpeg"' in site_yaml
    assert site["about"].count("[") >= 5  # the bio keeps its links
    assert "redirect_from:\n  - /about.html" in site["about"]


def test_seed_report_lists_records_markdown_and_doubts(seed_import):
    _, report, _ = seed_import
    text = report.format()
    assert "publications.bib @xu2022s4tuning" in text
    assert "content/about.md" in text
    assert "photo size and alignment were not carried over" in text
    assert sum(r.what == "publication" for r in report.records) == 18
    assert report.problems == []


def _visible_words(markup: str) -> set[str]:
    markup = re.sub(r"<!--.*?-->", " ", markup, flags=re.S)
    markup = re.sub(r"<(script|style)\b.*?</\1>", " ", markup, flags=re.S)
    text = html.unescape(re.sub(r"<[^>]+>", " ", markup))
    return {w.casefold() for w in re.findall(r"[^\W\d_]+|\d+", text)}


def test_nothing_of_the_seed_is_lost_in_the_built_site(seed_import, tmp_path):
    from scholarsite.build import build

    into, report, _ = seed_import
    out = tmp_path / "out"
    build(into, out)
    pages = [p.read_text(encoding="utf-8") for p in out.rglob("*.html")]
    built = "\n".join(pages)
    seen = set().union(*(_visible_words(p) for p in pages))
    # Words printed by the theme instead: section headings, legend line, contact labels.
    replaced = set()
    for item in report.records:
        if item.what.startswith("heading ") or item.what in ("legend line", "contact label"):
            replaced |= _visible_words(item.what.removeprefix("heading ") + " " + item.detail)
    missing = _visible_words(SEED_HTML.read_text(encoding="utf-8")) - seen
    assert missing <= replaced, sorted(missing - replaced)
    assert missing <= {"hornors", "manuscripts", "me", "means", "links"}, sorted(missing)
    unescaped = html.unescape(built)
    lost = [url for url in facts.SEED_URLS if url not in unescaped]
    assert lost == []


def test_importing_twice_into_the_same_folder_adds_nothing(tmp_path):
    into = tmp_path / "site"
    import_jekyll(SEED, into)
    before = {p: p.read_bytes() for p in into.rglob("*") if p.is_file()}
    report = import_jekyll(SEED, into)
    after = {p: p.read_bytes() for p in into.rglob("*") if p.is_file()}
    assert after == before
    assert report.new_site is False
    assert report.files == []


def test_import_into_an_existing_site_merges(tmp_path, make_site):
    site = make_site(
        {
            "site.yaml": """
            title: My Site
            profile:
              name: Runxin Xu
              links: {github: https://github.com/someone-else}
        """,
            "data/awards.yaml": """
            # my own awards
            - title: National scholarship
              years: ["2018", "2019", "2021"]
            - title: Best Reviewer
        """,
            "publications.bib": "@misc{mine, title = {My Own Note}, year = {2023}}\n",
        },
        minimal=False,
    )
    original_bib = (site / "publications.bib").read_text(encoding="utf-8")
    report = import_jekyll(SEED, site)
    assert report.new_site is False
    text = (site / "site.yaml").read_text(encoding="utf-8")
    assert text.startswith("title: My Site\nprofile:\n")
    data = yaml.safe_load(text)
    assert data["profile"]["name"] == "Runxin Xu"
    assert data["profile"]["links"] == {"github": "https://github.com/someone-else"}
    assert data["profile"]["motto"] == facts.PROFILE["motto"]
    assert data["owner_names"] == ["Runxin Xu"]
    assert any("kept profile.name = 'Runxin Xu'" in str(d) for d in report.doubtful)
    awards = (site / "data" / "awards.yaml").read_text(encoding="utf-8")
    assert awards.startswith("# my own awards\n")
    titles = [a["title"] for a in yaml.safe_load(awards)]
    assert titles.count("National scholarship") == 1 and "Best Reviewer" in titles
    assert len(titles) == 8
    bib = (site / "publications.bib").read_text(encoding="utf-8")
    assert bib.startswith(original_bib) and bib.count("@inproceedings{") == 15


def test_an_existing_about_page_is_not_overwritten(tmp_path, make_site):
    site = make_site({"content/about.md": "---\ntitle: Mine\n---\nMy own bio.\n"})
    report = import_jekyll(SEED, site)
    assert (site / "content/about.md").read_text(encoding="utf-8").endswith("My own bio.\n")
    imported = (site / "content/about.imported.md").read_text(encoding="utf-8")
    assert imported.startswith("---\npublished: false\n") and "I am Weiyai Luo" in imported
    assert any("content/about.imported.md" in str(d) for d in report.doubtful)


# -- varied pages of our own ----------------------------------------------------------


def run(tmp_path: Path, name: str, **kw) -> tuple[dict, object]:
    into = tmp_path / "site"
    report = import_jekyll(FIXTURES / name, into, **kw)
    return load(into), report


def test_chinese_page_with_numbered_one_line_publications(tmp_path):
    site, report = run(tmp_path, "chinese.md")
    profile = site["site"]["profile"]
    assert profile["name"] == "张伟" and profile["email"] == "zhangwei@pku.edu.cn"
    assert site["site"]["language"] == "zh"  # the theme then prints 教育经历, 论文 ...
    assert site["site"]["sections"] == [
        "education",
        "experience",
        "publications",
        "awards",
        "contact",
    ]
    assert [(e["org"], e["title"], e["start"], e["end"]) for e in site["education"]] == [
        ("北京大学", "计算机科学博士", "2020.09", "至今"),
        ("复旦大学", "计算机科学学士", "2016.09", "2020.06"),
    ]
    assert site["experience"][0]["role"] == "研究实习生"
    assert [(a["title"], a.get("years"), a.get("date")) for a in site["awards"]] == [
        ("国家奖学金", ["2019", "2021"], None),
        ("北京大学优秀毕业生", None, "2023年"),
    ]
    first, second = site["pubs"]
    assert first.title == "基于图神经网络的文档级事件抽取"
    assert [a.display for a in first.authors] == ["张伟", "李娜", "José Müller", "王强"]
    assert [a.display for a in first.authors if "equal" in a.roles] == ["张伟", "李娜"]
    assert first.entry_type == "article" and first.venue == "中文信息学报" and first.year == 2022
    assert ("代码", "https://github.com/zhangwei/gee") in [(ln.label, ln.url) for ln in first.links]
    assert [a.display for a in second.authors] == ["Jörg Schmidt", "张伟", "Zoë Kravitz"]
    assert second.authors[2].roles == {"corresponding"} and second.abbr == "ACL"
    assert "我是张伟" in site["about"]
    assert report.problems == []


def test_html_cards_liquid_leftovers_and_config(tmp_path):
    site, report = run(tmp_path, "cards/index.md")
    settings = site["site"]
    assert settings["base_url"] == "https://jon.example.org/site/"
    assert settings["profile"]["links"] == {"github": "https://github.com/jonexample"}
    nerf, gauss = site["pubs"]
    assert nerf.title == "Neural Fields for Everything" and nerf.award == "Oral"
    assert nerf.fields["url"] == "https://example.org/nerf" and nerf.preview == "images/nerf.png"
    assert [(ln.label, ln.url) for ln in nerf.links][:2] == [
        ("Code", "https://github.com/jon/nerf"),
        ("Video", "https://youtu.be/x"),
    ]
    assert nerf.arxiv == "2301.00001"
    assert gauss.title == "Gaussian Splats & Friends"
    assert [a.display for a in gauss.authors if "equal" in a.roles] == ["Jon Example", "Bo Chen"]
    about = site["about"]
    assert "Contact: jon@example.org." in about
    assert "<!-- {% include news.html %} -->" in about
    assert '<div class="broken"><b>Unclosed bold and <i>italic</div>' in about
    doubts = "\n".join(str(d) for d in report.doubtful)
    assert "index.md:8: Liquid tag kept as an HTML comment" in doubts
    assert "image on another site not kept as the preview" in doubts


def test_bullets_marks_notices_and_redirects(tmp_path):
    site, _ = run(tmp_path, "bullets.md")
    profile = site["site"]["profile"]
    assert profile["motto"] == "Stay hungry, stay foolish."
    assert profile["native_name"] == "María García" and profile["position"] == "Assistant professor"
    assert profile["notices"] == ["**News:** I am hiring PhD students for Fall 2025!"]
    robust, certified, note = site["pubs"]
    assert [sorted(a.roles) for a in robust.authors] == [["equal"], ["equal"], ["corresponding"]]
    assert robust.award == "Spotlight" and robust.year == 2024
    assert certified.status == "preprint" and certified.arxiv == "2310.01234"
    assert [sorted(a.roles) for a in certified.authors] == [[], ["equal"]]
    assert note.entry_type == "article" and note.venue == "Journal of Machine Learning Research"
    assert "% <!-- hidden paper: Something, 2019 -->" in site["bib_text"]
    assert [n["date"] for n in site["news"]] == ["2024.06", "2024/01"]
    assert site["service"][0]["title"] == "Reviewer: NeurIPS 2023, ICML 2024"
    assert "## Hobbies\n\nI play the **cello**." in site["about"]
    assert "redirect_from:\n  - /home/\n  - /about/\n" in site["about"]


def test_broken_page_reports_lines_and_keeps_what_it_cannot_read(tmp_path):
    site, report = run(tmp_path, "broken.md")
    problems = [
        f"{d.location.path.rsplit('/', 1)[-1]}:{d.location.line}: {d.message}"
        for d in report.problems
    ]
    assert "broken.md:5: YAML syntax error: did not find expected ',' or ']'" in problems
    assert "broken.md:3: duplicate key 'title' (first at line 2); the last one wins" in problems
    assert site["about"].startswith("---\ntitle: Broken Page (second title)\n")
    assert "Just A Title Without Anything Else." in site["about"]
    assert "<div><p>Unclosed paragraph\n<span>text" in site["about"]
    deep, another = site["pubs"]
    assert deep.abbr == "ICLR" and deep.year == 2021
    assert another.status == "preprint" and another.year is None
    assert site["experience"][0]["org"] == "Acme Corp"


def test_file_without_md_extension(tmp_path):
    site, report = run(tmp_path, "noext")
    profile = site["site"]["profile"]
    assert profile["email"] == "sam@mit.edu"
    assert profile["links"] == {
        "scholar": "https://scholar.google.com/citations?user=SAM",
        "orcid": "https://orcid.org/0000-0001-2345-6789",
    }
    assert site["education"][0]["details"] == ["B.S. in Physics."]
    assert any("no .md extension" in str(d) for d in report.doubtful)


@pytest.mark.parametrize(
    "name", ["chinese.md", "cards/index.md", "bullets.md", "broken.md", "noext"]
)
def test_every_imported_page_builds(tmp_path, name):
    from scholarsite.build import build

    into = tmp_path / "site"
    import_jekyll(FIXTURES / name, into)
    build(into, tmp_path / "out")
    assert (tmp_path / "out" / "index.html").is_file()


def test_missing_page_is_a_user_error(tmp_path):
    from scholarsite.errors import UserError

    with pytest.raises(UserError) as err:
        import_jekyll(tmp_path / "nope.md", tmp_path / "site")
    assert "no such file" in str(err.value)
    assert not (tmp_path / "site").exists()


def _english(value: object) -> object:
    """Per-language maps ({en: ..., zh: ...}) of the example read as their English text."""
    if isinstance(value, dict):
        if "en" in value and all(len(k) <= 5 for k in value):
            return value["en"]
        return {k: _english(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_english(v) for v in value]
    return value


def test_example_folder_is_close_to_the_import(tmp_path):
    """The hand-made example and the importer agree on every record but a few choices."""
    example = ROOT.parent / "examples" / "about-me"
    into = tmp_path / "site"
    import_jekyll(SEED, into)
    mine, theirs = load(into), load(example)
    for section in ("education", "experience", "awards", "teaching"):
        assert mine[section] == _english(theirs[section]), section
    assert [p.title for p in mine["pubs"]] == [p.title for p in theirs["pubs"]]
    assert [p.abbr for p in mine["pubs"]] == [p.abbr for p in theirs["pubs"]]
    assert [p.doi for p in mine["pubs"]] == [p.doi for p in theirs["pubs"]]
    assert [p.arxiv for p in mine["pubs"]] == [p.arxiv for p in theirs["pubs"]]
    assert mine["site"]["sections"] == theirs["site"]["sections"]
    shutil.rmtree(into)


def test_unsafe_links_are_dropped_and_reported(tmp_path):
    from scholarsite.build import build

    page = tmp_path / "about.md"
    page.write_text(
        "I am Eve Example.\n\n# Awards\n\n- [Prize](javascript:alert(2)), *2020*\n\n"
        "# Contact\n\n- [Home](javascript:alert(1))\n- Email: eve@example.org\n",
        encoding="utf-8",
    )
    report = import_jekyll(page, tmp_path / "site")
    site = load(tmp_path / "site")
    assert site["awards"] == [{"title": "Prize", "years": ["2020"]}]
    assert site["site"]["profile"]["email"] == "eve@example.org"
    assert "links" not in site["site"]["profile"]
    doubts = [str(d) for d in report.doubtful]
    assert sum("javascript:alert" in d for d in doubts) == 2
    build(tmp_path / "site", tmp_path / "out")


PIECES = [
    "# Publications\n",
    "# Education\n",
    "## 论文\n",
    "# Contact\n",
    "> motto\n",
    "---\n",
    "**Me**, A. \\\\\n",
    "Title. [[PDF](https://x.org/a.pdf)] \\\\\n",
    "ACL2022 (Oral).\n",
    "<!-- c\n",
    "-->\n",
    "- item *2020*\n",
    "1. one\n",
    "<div>\n",
    "{{ site.x }}\n",
    "{% include a %}\n",
    "\n",
    "I am Q R (中).\n",
    "[x](javascript:y)\n",
    "<sup>*</sup>\n",
]


@given(st.lists(st.sampled_from(PIECES), max_size=30))
@hsettings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
def test_any_page_imports_without_an_exception(tmp_path, pieces):
    page = tmp_path / "page.md"
    page.write_text("".join(pieces), encoding="utf-8")
    into = tmp_path / f"site{len(list(tmp_path.iterdir()))}"
    report = import_jekyll(page, into)
    assert (into / "site.yaml").is_file()
    assert not [d for d in report.problems if "could not import" in d.message]
