"""Old permalinks become redirect pages; a redirect never replaces a real page."""

from __future__ import annotations

from scholarsite.outputs.redirects import redirect_files


def test_redirect_file_names():
    assert redirect_files("/about.html") == ["about.html"]
    assert redirect_files("/talks/") == ["talks/index.html"]
    assert redirect_files("/talks/2012-talk") == [
        "talks/2012-talk/index.html",
        "talks/2012-talk.html",
    ]


def test_page_and_publication_redirects(build_site):
    read = build_site(
        {
            "site.yaml": "title: A\nbase_url: https://a.org/repo/\nprofile: {name: A}\n",
            "content/about.md": "---\nredirect_from: [/about.html, /publications/]\n---\nHi\n",
            "content/talks.md": "---\nredirect_from: [/old-talks]\n---\nTalks\n",
            "publications.bib": "@misc{k1, title={T}, author={A}, year=2020,"
            " redirect_from={/publication/k1/, /pubs/k1.html}}",
        }
    )
    about = read("about.html")
    assert '<meta http-equiv="refresh" content="0; url=/repo/">' in about
    assert '<link rel="canonical" href="https://a.org/repo/">' in about
    assert "url=/repo/talks/" in read("old-talks/index.html")
    assert "url=/repo/talks/" in read("old-talks.html")
    assert "url=/repo/publications/k1/" in read("publication/k1/index.html")
    assert "url=/repo/publications/k1/" in read("pubs/k1.html")
    # the real publications page is not replaced by a redirect
    assert "http-equiv" not in read("publications/index.html")


def test_unsafe_redirect_is_ignored_with_warning(build_site):
    read = build_site({"content/x.md": "---\nredirect_from: [/../../etc/passwd]\n---\nx\n"})
    assert any("not a site path" in w.message for w in read.report.warnings)
    assert not (read.out.parent / "etc").exists()
