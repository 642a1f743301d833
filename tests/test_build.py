"""Build tests on tiny inline sites, asserting on the HTML."""

from __future__ import annotations

import subprocess
import sys

import pytest

from scholarsite.build import build
from scholarsite.errors import UserError

BIB = r"""
@inproceedings{xu2022s4,
  title = {S$^4$-Tuning: A Simple Cross-lingual Sub-network Tuning Method},
  author = {Xu, Runxin and Luo, Fuli and Chang, Baobao},
  author+an = {1=equal; 2=equal},
  booktitle = {Proceedings of ACL},
  year = {2022},
  abbr = {ACL},
  award = {Oral},
  pdf = {https://aclanthology.org/2022.acl-short.58.pdf},
  links = {Report = https://example.org/report, Youtube = https://www.youtube.com/watch?v=zNfaj_DV6-E},
}
@article{preprint1,
  title = {A Preprint About {BERT}},
  author = {Wang, Peiyi* and Xu, R.* and M{\"u}ller, J{\"o}rg},
  journal = {arXiv preprint},
  status = {preprint},
}
"""


def test_home_page_shows_profile_and_sections(build_site):
    read = build_site(
        {
            "site.yaml": """
            title: Ada Lovelace
            owner_names: [Ada Lovelace]
            profile:
              name: Ada Lovelace
              native_name: 艾达
              motto: Imagination is the discovering faculty.
              notices: ["I am **looking** for a postdoc."]
              email: ada@example.org
              links: {github: https://github.com/ada}
        """,
            "data/education.yaml": """
            - org: University of London
              url: https://london.ac.uk/
              title: PhD in Mathematics
              start: Sep. 2020
              end: Jun. 2023 (expected)
              details: ["Advised by [Augustus De Morgan](https://example.org/adm)."]
        """,
            "content/about.md": "---\ntitle: About\n---\nI write *programs*.\n",
        }
    )
    html = read("index.html")
    assert "艾达" in html
    assert "Imagination is the discovering faculty." in html
    assert "I am <strong>looking</strong> for a postdoc." in html
    assert "Sep. 2020 – Jun. 2023 (expected)" in html
    assert '<a href="https://example.org/adm">Augustus De Morgan</a>' in html
    assert "I write <em>programs</em>." in html
    assert "ada AT example DOT org" in html
    assert "ada@example.org" not in html
    assert 'href="https://github.com/ada"' in html


def test_publications_owner_roles_legend_and_links(build_site):
    read = build_site(
        {
            "publications.bib": BIB,
            "site.yaml": """
        title: Runxin
        owner_names: [Runxin Xu]
        profile: {name: Runxin Xu}
    """,
        }
    )
    html = read("publications/index.html")
    assert '<li class="pub" id="xu2022s4"' in html
    assert '<strong class="owner">Runxin Xu</strong><sup class="role role-equal">*</sup>' in html
    assert 'Fuli Luo<sup class="role role-equal">*</sup>' in html
    # initials and trailing-star syntax give the same marks
    assert '<strong class="owner">R. Xu</strong><sup class="role role-equal">*</sup>' in html
    assert "Jörg Müller" in html
    assert "Equal contribution" in html
    assert "S⁴-Tuning" in html
    youtube = "https://www.youtube.com/watch?v=zNfaj_DV6-E"
    assert f'href="{youtube}" class="link-other">Youtube</a>' in html
    assert ">Report</a>" in html and ">PDF</a>" in html
    assert '<span class="award">Oral</span>' in html
    # preprints are listed first, under their own heading
    assert html.index("Preprints") < html.index("2022")
    landing = read("publications/xu2022s4/index.html")
    assert "S⁴-Tuning" in landing and "Equal contribution" in landing


def test_legend_absent_without_roles(build_site):
    read = build_site(
        {
            "publications.bib": """
        @misc{a, title = {T}, author = {Lovelace, Ada}, year = 2020}
    """
        }
    )
    assert "Equal contribution" not in read("publications/index.html")
    assert '<strong class="owner">Ada Lovelace</strong>' in read("publications/index.html")


def test_data_fields_are_escaped(build_site):
    read = build_site(
        {
            "data/awards.yaml": """
            - title: "<script>alert(1)</script> Best <b>Paper</b>"
              years: [2020]
        """,
        }
    )
    html = read("index.html")
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_base_url_with_path_prefixes_every_internal_link(build_site):
    read = build_site(
        {
            "site.yaml": """
            title: Ada
            base_url: https://ada.github.io/repo/
            profile: {name: Ada, photo: img/me.svg}
        """,
            "static/img/me.svg": "<svg xmlns='http://www.w3.org/2000/svg'/>",
            "content/about.md": "![me](/img/me.svg) [pubs](/publications/)\n",
            "publications.bib": "@misc{k, title={T}, author={Ada}, year=2020}",
        }
    )
    html = read("index.html")
    assert 'href="/repo/publications/"' in html
    assert 'src="/repo/img/me.svg"' in html
    assert 'href="/repo/assets/style.css"' in html
    assert 'rel="canonical" href="https://ada.github.io/repo/"' in html
    assert 'href="/repo/publications/k/"' in read("publications/index.html")
    assert (read.out / "img" / "me.svg").is_file()


def test_drafts_are_left_out_of_build(build_site):
    read = build_site(
        {
            "content/draft.md": "---\ntitle: Draft\npublished: false\n---\nsecret\n",
            "content/talks.md": "---\ntitle: Talks\n---\nhello\n",
        }
    )
    assert not (read.out / "draft").exists()
    assert "hello" in read("talks/index.html")


def test_output_has_marker_404_and_assets(build_site):
    read = build_site({})
    assert (read.out / ".scholarsite").is_file()
    assert "Page not found" in read("404.html")
    assert (read.out / "assets" / "style.css").is_file()


def test_refuses_to_replace_foreign_folder(make_site, tmp_path):
    root = make_site({})
    out = tmp_path / "precious"
    out.mkdir()
    (out / "thesis.tex").write_text("keep me")
    with pytest.raises(UserError) as exc:
        build(root, out)
    assert "was not made by scholarsite" in str(exc.value)
    assert (out / "thesis.tex").read_text() == "keep me"


def test_rebuild_replaces_previous_output(make_site, tmp_path):
    root = make_site({"content/old.md": "old page\n"})
    out = tmp_path / "out"
    build(root, out)
    assert (out / "old" / "index.html").is_file()
    (root / "content" / "old.md").unlink()
    build(root, out)
    assert not (out / "old").exists()
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".out.")]


def test_the_program_prints_everything_before_it_leaves(make_site, tmp_path):
    """`scholarsite build` ends without Python's teardown: its output must still arrive
    whole through a pipe, with the exit code of the command."""
    root = make_site({"publications.bib": BIB})
    command = [sys.executable, "-m", "scholarsite.cli", "build", str(root), "-o"]
    done = subprocess.run([*command, str(tmp_path / "out"), "--timings"], capture_output=True)
    assert done.returncode == 0, done.stderr
    lines = done.stdout.decode().splitlines()
    assert lines[0].startswith("Built ") and lines[-1].lstrip().startswith("cache")
    (root / "site.yaml").write_text("them: x\n", encoding="utf-8")
    failed = subprocess.run([*command, str(tmp_path / "out")], capture_output=True)
    assert failed.returncode == 1 and b"unknown key 'them'" in failed.stderr
