"""`import academicpages`: _publications, _talks, _teaching, _pages/about.md, _config.yml."""

from __future__ import annotations

from pathlib import Path

import pytest

from scholarsite.errors import UserError
from scholarsite.importers.academicpages import import_academicpages

from .imported import read_imported

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "import" / "academicpages"


def run(tmp_path: Path, name: str):
    into = tmp_path / "site"
    report = import_academicpages(FIXTURES / name, into)
    site, data, pubs = read_imported(into)
    return into, report, site, data, pubs


def test_basic_site(tmp_path):
    into, report, site, data, pubs = run(tmp_path, "basic")
    profile = site["profile"]
    assert profile["name"] == "Ada Lovelace" and profile["affiliation"] == "University of London"
    assert profile["position"] == "Research fellow in computing machinery"
    assert profile["photo"] == "images/profile.png"
    assert (into / "static/images/profile.png").is_file()
    assert profile["links"]["github"] == "https://github.com/adalovelace"
    assert profile["links"]["linkedin"] == "https://www.linkedin.com/in/ada-lovelace"
    assert site["base_url"] == "https://ada.github.io/"
    notes = pubs["lovelace2009notes"]
    assert notes.entry_type == "article" and notes.venue == "Journal of Computing Machinery"
    assert [a.display for a in notes.authors] == ["A. Lovelace", "C. Babbage"]
    assert notes.year == 2009 and notes.month == "October"
    assert notes.abstract.startswith("This paper is about the number 1.")
    assert [(ln.label, ln.url) for ln in notes.links] == [
        ("PDF", "/files/paper1.pdf"),
        ("Slides", "/files/slides1.pdf"),
        ("BibTeX", "/files/bibtex1.bib"),
    ]
    assert (into / "static/files/paper1.pdf").is_file()
    assert notes.fields["redirect_from"] == "/publication/2009-10-01-paper-title-number-1"
    book = pubs["lovelace2021poetical"]
    assert book.entry_type == "book" and book.fields["publisher"] == "Engine Press"
    assert [a.display for a in book.authors] == ["Ada Lovelace", "Mary Somerville"]
    assert book.doi == "10.1000/xyz123"
    assert pubs["lovelace2015bernoulli"].arxiv == "1501.00001"
    talks = data["talks"]
    assert talks[0] == {
        "title": "Talk 1 on the Engine",
        "event": "Royal Society",
        "date": "2012-03-01",
        "location": "London, UK",
        "url": "http://example.org/talk1",
        "details": ["This is a description of your talk."],
    }
    assert talks[1]["role"] == "Tutorial" and talks[1]["slides"] == "/files/slides1.pdf"
    assert data["teaching"][0]["org"] == "University of London, Department of Mathematics"
    assert [(e["org"], e["title"], e["date"]) for e in data["education"]] == [
        ("University of London", "Ph.D in Mathematics", "2016"),
        ("Home schooling", "B.S. in Poetical Science", "2011"),
    ]
    about = (into / "content/about.md").read_text(encoding="utf-8")
    assert "  - /about/\n  - /about.html\n  - /talks/2012-03-01-talk-1\n" in about
    assert "location: London, UK" in (into / "site.yaml").read_text(encoding="utf-8")
    assert any("_posts: not imported (1 files)" in str(d) for d in report.doubtful)
    assert report.problems == []


def test_messy_files_are_reported_and_read(tmp_path):
    _, report, site, data, pubs = run(tmp_path, "messy")
    assert site["profile"]["name"] == "Zoë K. Müller"
    assert site["profile"]["email"] == "zoe@example.org"
    uber = pubs["muller2020uber"]
    assert uber.title == "Über Attention: A Study of Heads"
    assert [a.display for a in uber.authors] == ["Zoë K. Müller", "José García", "王芳"]
    assert uber.fields["excerpt"] == "See https://zoe.github.io/files/x.pdf for more"
    assert "pub2021file" in pubs and "pub2022front" in pubs
    assert data["talks"][0]["date"] == "not-a-date"
    problems = {
        (Path(d.location.path).name, d.location.line, d.message.split(";")[0])
        for d in report.problems
    }
    assert ("_config.yml", 5, "duplicate key 'name' (first at line 4)") in problems
    assert ("2020-01-01-dup.md", 3, "duplicate key 'title' (first at line 2)") in problems
    assert ("2022-unclosed.md", 1, "front matter is not closed") in problems
    doubts = "\n".join(str(d) for d in report.doubtful)
    assert "2023-notitle.md:1: publication without a title: skipped" in doubts
    assert "2021-02-02-noext: no .md extension" in doubts
    assert "Liquid tag kept as an HTML comment '{% include cite.html %}'" in doubts


def test_minimal_site_without_config(tmp_path):
    _, report, site, _, pubs = run(tmp_path, "minimal")
    only = pubs["doe2019only"]
    assert only.status == "preprint" and only.arxiv == "1909.00001"
    assert [a.display for a in only.authors] == ["J. Doe", "R. Roe"]
    assert "profile" not in site
    assert any("no _config.yml" in str(d) for d in report.doubtful)


def test_chinese_site(tmp_path):
    _, _, site, data, pubs = run(tmp_path, "chinese")
    assert site["profile"]["name"] == "李明" and site["profile"]["affiliation"] == "清华大学"
    assert site["sections"] == ["education", "awards", "publications", "talks", "contact"]
    assert [(e["org"], e["start"], e["end"]) for e in data["education"]] == [
        ("清华大学", "2019.09", "至今"),
        ("浙江大学", "2015.09", "2019.06"),
    ]
    assert data["talks"][0] == {
        "title": "图神经网络的新进展",
        "role": "特邀报告",
        "event": "中国计算机大会",
        "date": "2022-12-08",
        "location": "北京",
    }
    (pub,) = pubs.values()
    assert pub.title == "基于对比学习的图表示方法" and pub.venue == "计算机学报"
    assert [a.display for a in pub.authors] == ["李明", "王芳"]


def test_broken_config_is_read_key_by_key(tmp_path):
    _, report, site, _, pubs = run(tmp_path, "broken-config")
    assert site["title"] == "Tab Site" and site["base_url"] == "https://tab.example.org/"
    assert [(d.location.line, d.severity) for d in report.problems] == [
        (3, "error"),
        (1, "warning"),
    ]
    assert "YAML syntax error" in report.problems[0].message
    assert list(pubs) == ["pub2018paper"]


@pytest.mark.parametrize("name", ["basic", "messy", "minimal", "chinese", "broken-config"])
def test_every_import_builds(tmp_path, name):
    from scholarsite.build import build

    into = tmp_path / "site"
    import_academicpages(FIXTURES / name, into)
    build(into, tmp_path / "out")
    assert (tmp_path / "out" / "index.html").is_file()


def test_missing_folder_is_a_user_error(tmp_path):
    with pytest.raises(UserError):
        import_academicpages(tmp_path / "nope", tmp_path / "site")
