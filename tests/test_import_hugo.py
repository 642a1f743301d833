"""`import hugo`: Hugo Blox publication bundles, cite.bib, the admin author."""

from __future__ import annotations

from pathlib import Path

import pytest

from scholarsite.errors import UserError
from scholarsite.importers.hugo import import_hugo

from .imported import read_imported

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "import" / "hugo"


def run(tmp_path: Path, name: str):
    into = tmp_path / "site"
    report = import_hugo(FIXTURES / name, into)
    site, data, pubs = read_imported(into)
    return into, report, site, data, pubs


def test_hugo_blox_example_site(tmp_path):
    into, report, site, data, pubs = run(tmp_path, "basic")
    profile = site["profile"]
    assert site["owner_names"] == ["Nelson Bighetti"]
    assert profile["position"] == "Professor of Artificial Intelligence"
    assert profile["affiliation_url"] == "https://www.stanford.edu/"
    assert profile["email"] == "nelson@example.org"
    assert profile["links"]["scholar"].startswith("https://scholar.google.co.uk/")
    assert profile["photo"] == "img/avatar.png" and (into / "static/img/avatar.png").is_file()
    assert [(e["title"], e["org"], e["date"]) for e in data["education"]] == [
        ("PhD in Artificial Intelligence", "Stanford University", "2012"),
        ("BSc in Artificial Intelligence", "Massachusetts Institute of Technology", "2008"),
    ]
    conf = pubs["example1"]  # cite.bib's key and fields win
    assert conf.venue == "Proceedings of the Hugo Blox Builder Conference"
    assert conf.fields["pages"] == "1–10" and conf.abbr == "ICW" and conf.selected
    assert [sorted(a.roles) for a in conf.authors] == [["equal"], ["equal"]]
    assert conf.fields["links"] == (
        "Dataset = https://github.com/HugoBlox/hugo-blox-builder, "
        "Source = https://github.com/HugoBlox/hugo-blox-builder, Custom Link = http://example.org"
    )
    assert [(ln.label, ln.url) for ln in conf.links] == [  # the site shows each URL once
        ("Code", "https://github.com/HugoBlox/hugo-blox-builder"),
        ("Video", "https://youtube.com"),
        ("Custom Link", "http://example.org"),
    ]
    assert conf.preview == "img/publications/conference-paper.png"
    assert conf.fields["redirect_from"] == "/publication/conference-paper/"
    journal = pubs["ford2015example"]
    assert journal.entry_type == "article" and journal.doi == "10.1000/journal.2015.1"
    assert [a.display for a in journal.authors] == ["Robert Ford", "Nelson Bighetti"]
    assert journal.authors[1].roles == {"corresponding"}
    assert journal.fields["pdf"] == "/uploads/article.pdf"
    assert (into / "static/uploads/article.pdf").is_file()
    preprint = pubs["bighetti2019example"]
    assert preprint.status == "preprint" and preprint.arxiv == "1904.00001"
    assert [a.display for a in preprint.authors] == ["Nelson Bighetti", "José Müller", "李明"]
    bib = (into / "publications.bib").read_text(encoding="utf-8")
    assert "% > Click the _Cite_ button above" in bib  # the page text, kept as a comment
    about = (into / "content/about.md").read_text(encoding="utf-8")
    assert about.startswith("Nelson Bighetti is a professor")
    assert report.problems == []


def test_new_hugo_blox_with_data_authors_me_yaml(tmp_path):
    _, report, site, data, pubs = run(tmp_path, "me-yaml")
    assert site["owner_names"] == ["Alex Johnson"]
    assert site["profile"]["name"] == "Dr. Alex Johnson"
    assert site["profile"]["links"] == {
        "twitter": "https://x.com/alexj",
        "scholar": "https://scholar.google.com/citations?user=ALEX",
    }
    assert data["experience"] == [
        {"title": "Research Scientist", "org": "Example Labs", "start": "2021-01"}
    ]
    assert data["awards"][0]["org"] == "ICML" and data["education"][0]["end"] == "2020-12"
    robust = pubs["johnson2022robust"]
    assert [a.display for a in robust.authors] == ["Alex Johnson", "Ana Lima", "Bo Chen"]
    assert robust.roles_used == frozenset()  # notes of two authors, cite.bib has three
    assert any("author_notes not applied" in str(d) for d in report.doubtful)
    assert [a.display for a in pubs["johnson2021causal"].authors] == ["Alex Johnson"]


def test_broken_bundles_are_reported_and_the_rest_imported(tmp_path):
    _, report, _, _, pubs = run(tmp_path, "broken")
    titles = sorted(p.title for p in pubs.values())
    assert titles == [
        "Bad TOML",
        "Bad YAML Paper, Second Title",
        "Flat File Without Extension",
        "Paper With A Broken cite.bib",
    ]
    bad = next(p for p in pubs.values() if p.title.startswith("Bad YAML"))
    assert [a.display for a in bad.authors] == ["Jane Roe", "John Doe"]
    where = {
        (Path(d.location.path).parent.name + "/" + Path(d.location.path).name, d.location.line)
        for d in report.problems
    }
    assert ("bad-bib/cite.bib", 2) in where
    assert ("bad-yaml/index.md", 3) in where  # duplicate title
    assert ("publication/bad-toml.md", 2) in where
    doubts = "\n".join(str(d) for d in report.doubtful)
    assert "no-title/index.md:1: publication without a title: skipped" in doubts
    assert "flat-noext: no .md extension" in doubts


def test_flat_publication_files_without_profile(tmp_path):
    _, report, site, _, pubs = run(tmp_path, "flat")
    old = pubs["lee2016old"]
    assert old.fields["pdf"] == "/uploads/old.pdf"
    assert ("Poster", "https://example.org/poster.pdf") in [(ln.label, ln.url) for ln in old.links]
    assert pubs["lee2017preprint"].status == "preprint"
    assert "profile" not in site
    assert any("no content/authors/admin" in str(d) for d in report.doubtful)


def test_chinese_author_notes(tmp_path):
    _, _, site, _, pubs = run(tmp_path, "cjk")
    assert site["profile"]["interests"] == ["自然语言处理", "知识图谱"]
    (pub,) = pubs.values()
    assert [a.display for a in pub.authors] == ["王芳", "李雷", "Ólafur Arnalds"]
    assert [sorted(a.roles) for a in pub.authors] == [["corresponding"], ["equal"], []]
    assert pub.venue == "中文信息学报"


@pytest.mark.parametrize("name", ["basic", "me-yaml", "broken", "flat", "cjk"])
def test_every_import_builds(tmp_path, name):
    from scholarsite.build import build

    into = tmp_path / "site"
    import_hugo(FIXTURES / name, into)
    build(into, tmp_path / "out")
    assert (tmp_path / "out" / "index.html").is_file()


def test_missing_folder_is_a_user_error(tmp_path):
    with pytest.raises(UserError):
        import_hugo(tmp_path / "nope", tmp_path / "site")
