"""`scholarsite check`: each planted problem of tests/fixtures/broken-site once, with its
place, and nothing else; strict mode; the link resolver; malformed URLs."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from scholarsite.check import check_site, format_finding, malformed_url
from scholarsite.cli import main
from scholarsite.errors import UserError

from .conftest import EXAMPLE

BROKEN = Path(__file__).parent / "fixtures" / "broken-site"


def line_of(rel: str, needle: str, root: Path = BROKEN) -> int:
    """The 1-based line of the only line of `rel` containing `needle`."""
    lines = (root / rel).read_text(encoding="utf-8").split("\n")
    hits = [i + 1 for i, line in enumerate(lines) if needle in line]
    assert len(hits) == 1, (rel, needle, hits)
    return hits[0]


#: Every planted problem: (file, text on its line, severity, what the message says).
PLANTED = [
    ("site.yaml", "name: Augusta Byron", "warning", "profile name 'Augusta Byron' is not one of"),
    ("site.yaml", "photo: img/no-such-photo.jpg", "warning", "static/img/no-such-photo.jpg"),
    ("site.yaml", "homepage: https//", "warning", "malformed URL 'https//ada.example.org/'"),
    ("content/about.md", "(/no-such-page/)", "warning", "broken link '/no-such-page/'"),
    ("content/about.md", "#no-such-paper", "warning", "anchor '#no-such-paper' does not exist"),
    ("content/about.md", "missing-figure.png", "warning", "'/img/missing-figure.png': points"),
    ("content/notes.md", "slides/talk.pdf", "warning", "'slides/talk.pdf': points to a file"),
    ("data/education.yaml", "lon don", "warning", "malformed URL 'http://www.lon don.ac.uk/'"),
    ("data/awards.yaml", "#no-such-section", "warning", "anchor '#no-such-section' does not"),
    ("publications.bib", "{lovelace1844nodate,", "warning", "'lovelace1844nodate' has no year"),
    ("publications.bib", "{lovelace1845novenue,", "warning", "'lovelace1845novenue' has no venue"),
    ("publications.bib", "{lovelace1846notitle,", "error", "'lovelace1846notitle' has no title"),
    ("publications.bib", "{lovelace1847doi,", "warning", "same DOI as 'lovelace1843notes'"),
    ("publications.bib", "{lovelace1848title,", "warning", "duplicate of 'lovelace1843notes'"),
    ("publications.bib", "{babbage1849,", "warning", "not among the authors of 'babbage1849'"),
]


def test_broken_site_lists_each_planted_problem_once_with_its_place_and_nothing_else():
    report = check_site(BROKEN)
    found = [format_finding(d) for d in report.findings]
    expected = [
        (f"{rel}:{line_of(rel, needle)}: {severity}: ", words)
        for rel, needle, severity, words in PLANTED
    ]
    for prefix, words in expected:
        matches = [f for f in found if f.startswith(prefix) and words in f]
        assert len(matches) == 1, (prefix, words, found)
    assert len(found) == len(PLANTED), "\n".join(found)
    assert report.failed() and report.failed(strict=True)


def test_check_writes_nothing(tmp_path):
    site = tmp_path / "site"
    (site / "content").mkdir(parents=True)
    (site / "site.yaml").write_text("title: T\nprofile: {name: Ada Lovelace}\n")
    (site / "content" / "about.md").write_text("Hello [me](/).\n")
    before = sorted(p.relative_to(tmp_path) for p in tmp_path.rglob("*"))
    report = check_site(site)
    assert report.findings == [] and report.pages > 0 and report.links > 0
    assert sorted(p.relative_to(tmp_path) for p in tmp_path.rglob("*")) == before


def test_cli_check_prints_path_line_message_and_fails_on_errors():
    result = CliRunner().invoke(main, ["check", str(BROKEN)])
    assert result.exit_code == 1, result.output
    lines = [ln for ln in result.stdout.splitlines() if not ln.startswith("  hint:")]
    assert len(lines) == len(PLANTED)
    rel, needle = "content/notes.md", "slides/talk.pdf"
    assert f"{rel}:{line_of(rel, needle)}: warning: broken link 'slides/talk.pdf'" in result.stdout
    assert "1 error, 14 warnings" in result.stderr


def test_warnings_fail_only_with_strict(make_site):
    root = make_site({"content/about.md": "[gone](/gone/)\n"})
    runner = CliRunner()
    assert runner.invoke(main, ["check", str(root)]).exit_code == 0
    strict = runner.invoke(main, ["check", str(root), "--strict"])
    assert strict.exit_code == 1
    assert "content/about.md:1: warning: broken link '/gone/'" in strict.stdout


def test_clean_site_passes_strict(make_site):
    root = make_site(
        {
            "content/about.md": "[pubs](/publications/#y2020) and [top](#main)\n",
            "publications.bib": """
                @article{a, author = {Ada Lovelace}, title = {T}, journal = {J}, year = 2020}
            """,
        }
    )
    result = CliRunner().invoke(main, ["check", str(root), "--strict"])
    assert result.exit_code == 0, result.output
    assert result.stdout == ""


def test_seed_example_only_warns_that_the_profile_name_is_not_the_owner():
    findings = [format_finding(d) for d in check_site(EXAMPLE).findings]
    line = line_of("site.yaml", "  name: ", EXAMPLE)
    assert findings == [
        f"site.yaml:{line}: warning: profile name 'Weiyai Luo' is not one of owner_names "
        "(Runxin Xu)"
    ]


def test_template_link_is_reported_at_the_output_page(make_site):
    root = make_site(
        {
            "templates/404.html": """
                {% extends "base.html" %}
                {% block main %}
                <a href="{{ url('/nowhere/') }}">lost</a>
                {% endblock %}
            """
        }
    )
    findings = [format_finding(d) for d in check_site(root).findings]
    assert len(findings) == 1
    assert findings[0].startswith("_site/404.html:")
    assert "broken link '/nowhere/': points to a file that does not exist" in findings[0]


def test_links_outside_the_base_path_are_broken(make_site):
    root = make_site(
        {
            "site.yaml": """
                title: T
                base_url: https://u.github.io/repo/
                profile: {name: Ada}
            """,
            "content/about.md": """
                [ok](/publications/) [also ok](https://u.github.io/repo/publications/)
                [outside](https://u.github.io/other/) [elsewhere](https://example.org/x)
            """,
        }
    )
    findings = [format_finding(d) for d in check_site(root).findings]
    assert findings == [
        "content/about.md:2: warning: broken link 'https://u.github.io/other/': "
        "points outside the site's base path /repo/"
    ]


def test_relative_links_resolve_from_their_page(make_site):
    root = make_site(
        {
            "content/talks.md": "[slides](slides.pdf) [up](../) [me](./)\n",
            "static/talks/slides.pdf": b"%PDF-1.4\n",
        }
    )
    assert check_site(root).findings == []


def test_static_link_not_shown_by_a_template_is_still_checked(make_site):
    root = make_site(
        {"data/talks.yaml": "- title: A talk\n  slides: /talks/missing.pdf\n"},
    )
    findings = [format_finding(d) for d in check_site(root).findings]
    assert findings == [
        "data/talks.yaml:2: warning: broken link '/talks/missing.pdf': "
        "points to a file that does not exist"
    ]


def test_not_a_site_folder(tmp_path):
    with pytest.raises(UserError, match="not a site folder"):
        check_site(tmp_path)
    result = CliRunner().invoke(main, ["check", str(tmp_path)])
    assert result.exit_code == 1


@pytest.mark.parametrize(
    ("url", "reason"),
    [
        ("https//example.org", "missing ':'"),
        ("http://exa mple.org", "space"),
        ("https://", "no host"),
        ("https:/example.org", "no host"),
        ("https://example.org:80x/", "invalid port"),
        ("https://github/x", "no domain"),
        ("https://exa_mple..org/", "not a valid host"),
        ("www.example.org/page", "without 'https://'"),
        ("example.edu", "without 'https://'"),
        ("mailto:someone", "without an e-mail address"),
        ("https://example.org/a%2", "hex digits"),
        ("https://example.org\\x", "backslash"),
    ],
)
def test_malformed_urls(url, reason):
    assert reason in (malformed_url(url) or "")


@pytest.mark.parametrize(
    "url",
    [
        "https://example.org/",
        "http://localhost:8000/x",
        "https://127.0.0.1/",
        "https://[::1]:8080/",
        "https://例え.jp/パス",
        "mailto:ada@example.org",
        "/publications/#y2020",
        "../notes/",
        "img/photo.jpg",
        "#top",
        "tel:+44123",
        "https://doi.org/10.1000/x%2Fy",
    ],
)
def test_wellformed_urls(url):
    assert malformed_url(url) is None


def test_near_identical_titles_but_not_different_ones(make_site):
    root = make_site(
        {
            "publications.bib": """
                @article{a, author = {Ada Lovelace}, title = {Learning to Weave Patterns with
                  Analytical Engines}, journal = {J}, year = 2020}
                @article{b, author = {Ada Lovelace}, title = {Learning to weave patterns with
                  analytical engine}, journal = {J}, year = 2021}
                @article{c, author = {Ada Lovelace}, title = {Learning to Weave Patterns with
                  Difference Engines}, journal = {J}, year = 2022}
                @article{d, author = {Ada Lovelace}, title = {Short}, journal = {J}, year = 2023}
                @article{e, author = {Ada Lovelace}, title = {Shorter}, journal = {J}, year = 2023}
            """
        }
    )
    findings = [format_finding(d) for d in check_site(root).findings]
    assert len(findings) == 1
    assert "'b' looks like a duplicate of 'a'" in findings[0]


def test_broken_links_in_data_fields_are_reported_where_written(make_site):
    root = make_site(
        {
            "site.yaml": """
                title: T
                base_url: https://u.github.io/repo/
                profile:
                  name: Ada Lovelace
                  notices: ["See [my CV](/vita.pdf)"]
                  links: {cv: /vita.pdf}
            """,
            "data/awards.yaml": "- title: An award\n  url: /award.pdf\n",
            "publications.bib": "@misc{k, author = {Ada Lovelace}, journal = {J}, year = 2020,\n"
            "  title = {A [demo](/demo/)}}\n",
        }
    )
    findings = sorted(format_finding(d).split(": points")[0] for d in check_site(root).findings)
    assert findings == [
        "data/awards.yaml:2: warning: broken link '/award.pdf'",
        "publications.bib:2: warning: broken link '/demo/'",
        "site.yaml:5: warning: broken link '/vita.pdf'",
        "site.yaml:6: warning: broken link '/vita.pdf'",
    ]
