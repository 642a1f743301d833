"""The CV: cv.pdf typeset by typst from the site's data, reproducible, CJK-aware; /cv/."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import unicodedata
from pathlib import Path

import pytest
from click.testing import CliRunner

from scholarsite.build import build, build_cv, load_site
from scholarsite.cli import main
from scholarsite.errors import UserError
from scholarsite.outputs import cv as cvmod
from scholarsite.outputs.cv import cjk_font_dirs, spans, uncovered
from scholarsite.views import Lang, Urls

from .conftest import EXAMPLE

IN_CI = os.environ.get("CI", "").lower() == "true"


def need_tool(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        if IN_CI:
            pytest.fail(f"{name} not found (apt-get install poppler-utils)", pytrace=False)
        pytest.skip(f"{name} not found: apt-get install poppler-utils")
    return path


def pdf_text(pdf: Path) -> str:
    need_tool("pdftotext")
    out = subprocess.run(
        ["pdftotext", "-enc", "UTF-8", str(pdf), "-"], capture_output=True, check=True
    )
    return out.stdout.decode("utf-8")


def words(text: str) -> str:
    """Text as one line of words: line breaks and hyphenation do not matter."""
    text = unicodedata.normalize("NFKC", text)
    return " ".join(text.replace("-\n", "-").split())


@pytest.fixture(scope="module")
def example_pdf(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("cv") / "_site"
    build(EXAMPLE, out, search=False)
    return out / "cv.pdf"


def test_cv_pdf_has_every_publication_title(example_pdf):
    text = words(pdf_text(example_pdf))
    site, _, _ = load_site(EXAMPLE)
    assert len(site.publications) == 18
    for pub in site.publications:
        assert words(pub.title) in text, pub.key
    for heading in ("EDUCATION", "EXPERIENCE", "PUBLICATIONS", "HONORS & AWARDS", "TEACHING"):
        assert heading in text
    assert "Peking University" in text and "Sep. 2020 – Jun. 2023 (expected)" in text
    assert "runxinxu AT gmail DOT com" in text  # the address in the form people read
    assert "Win the first place of WMT20" in text  # a note's Markdown, as text


def test_cv_pdf_is_the_same_bytes_on_every_build(example_pdf, tmp_path, monkeypatch):
    monkeypatch.setattr(cvmod, "_MEMO", {})  # typeset again, not from memory
    report = build_cv(EXAMPLE, tmp_path / "again.pdf")
    assert report.files == 1
    again = (tmp_path / "again.pdf").read_bytes()
    assert again[:5] == b"%PDF-"
    assert again == example_pdf.read_bytes()


def test_owner_bold_and_role_marks_in_the_data():
    site, _, _ = load_site(EXAMPLE)

    data, _ = cvmod.cv_data(site, Lang("en", "en", Urls("/")), ["Libertinus Serif"])
    (pubs,) = [s for s in data["sections"] if s["kind"] == "publications"]
    assert [g["label"] for g in pubs["groups"]] == ["Preprints", "2022", "2021", "2020"]
    assert [g["start"] for g in pubs["groups"]] == [1, 4, 12, 16]
    first = pubs["groups"][1]["items"][0]
    assert first["title"][0]["t"].startswith("From Dense to Sparse")
    assert first["authors"][:2] == [
        {"name": "Runxin Xu", "owner": True, "marks": "*"},
        {"name": "Fuli Luo", "owner": False, "marks": "*"},
    ]
    assert first["award"] == "Oral"
    assert pubs["legend"] == "* Equal contribution"
    assert [s["title"] for s in data["sections"]] == [
        "Education", "Experience", "Publications", "Honors & Awards", "Teaching",
    ]  # fmt: skip


def test_cjk_name_renders_with_a_cjk_font(example_pdf):
    if not cjk_font_dirs():
        if IN_CI:
            pytest.fail("no CJK font: apt-get install fonts-noto-cjk", pytrace=False)
        pytest.skip("no CJK font installed (apt-get install fonts-noto-cjk)")
    fonts = subprocess.run(
        [need_tool("pdffonts"), str(example_pdf)], capture_output=True, text=True, check=True
    ).stdout
    assert "CJK" in fonts
    assert "罗巍耀" in pdf_text(example_pdf)


def test_a_clear_warning_when_no_font_covers_a_name(make_site, tmp_path, monkeypatch):
    monkeypatch.setattr(cvmod, "cjk_font_dirs", lambda: ())
    root = make_site(
        {
            "site.yaml": """
                title: Ada
                profile:
                  name: Ada Lovelace
                  native_name: 艾达
                  position: "Analyst 🙂"
            """
        }
    )
    report = build_cv(root, tmp_path / "cv.pdf")
    messages = [str(w) for w in report.warnings]
    assert any(
        "site.yaml" in m and "cv.pdf: no font covers 艾 达 (in profile.native_name)" in m
        for m in messages
    ), messages
    assert any("no font covers 🙂 (in profile.position)" in m for m in messages), messages
    hints = [w.hint for w in report.warnings if "艾" in w.message]
    assert "fonts-noto-cjk" in hints[0]
    assert (tmp_path / "cv.pdf").read_bytes()[:5] == b"%PDF-"


def test_uncovered_characters():
    assert uncovered("Müller Ωμέγα Москва — “x” ⁴", cjk=False) == ""
    assert uncovered("罗巍耀 Luo", cjk=False) == "罗巍耀"
    assert uncovered("罗巍耀 Luo", cjk=True) == ""
    assert uncovered("नमस्ते", cjk=True) != ""


def test_spans_keep_links_and_emphasis_as_data():
    assert spans("Win the *first place*. [Here](https://x.org/r) is **it** `#code`") == [
        {"t": "Win the "},
        {"t": "first place", "i": True},
        {"t": ". "},
        {"t": "Here", "u": "https://x.org/r"},
        {"t": " is "},
        {"t": "it", "b": True},
        {"t": " "},
        {"t": "#code", "c": True},
    ]
    assert spans("[bad](javascript:alert(1))") == [{"t": "[bad](javascript:alert(1))"}]
    assert spans("") == []


def test_typst_markup_in_data_is_text_not_code(make_site, tmp_path):
    root = make_site(
        {
            "site.yaml": """
                title: Ada
                profile:
                  name: "#set page(width: 1cm) *Ada* $x$ @ref <lab>"
            """
        }
    )
    build_cv(root, tmp_path / "cv.pdf")
    text = words(pdf_text(tmp_path / "cv.pdf"))
    assert "#set page(width: 1cm) *Ada* $x$ @ref <lab>" in text


def test_cv_command_writes_the_pdf(tmp_path):
    runner = CliRunner()
    result = runner.invoke(main, ["cv", str(EXAMPLE), "-o", str(tmp_path / "mine.pdf")])
    assert result.exit_code == 0, result.output
    assert "Wrote" in result.output
    assert (tmp_path / "mine.pdf").read_bytes()[:5] == b"%PDF-"


def test_cv_command_default_output_is_site_dir_site_cv_pdf(make_site):
    root = make_site({})
    result = CliRunner().invoke(main, ["cv", str(root)])
    assert result.exit_code == 0, result.output
    assert (root / "_site" / "cv.pdf").read_bytes()[:5] == b"%PDF-"


def test_a_broken_site_template_is_an_error_naming_it(make_site, tmp_path):
    root = make_site({"templates/cv.typ": "#let x = (\n"})
    with pytest.raises(UserError) as err:
        build_cv(root, tmp_path / "cv.pdf")
    (d,) = err.value.diagnostics
    assert d.location.path.endswith("templates/cv.typ")
    assert d.message.startswith("typst could not typeset the CV")
    assert not (tmp_path / "cv.pdf").exists()


def test_cv_page_links_the_pdf_and_lists_everything(tmp_path):
    build(EXAMPLE, tmp_path / "out", search=False)
    html = (tmp_path / "out" / "cv" / "index.html").read_text("utf-8")
    assert '<a href="/cv.pdf" type="application/pdf" download>' in html
    assert len(re.findall(r'<li class="pub"', html)) == 18
    assert 'id="education"' in html and 'id="awards"' in html
    assert '<a href="/cv/" aria-current="page">CV</a>' in html
    zh = (tmp_path / "out" / "zh" / "cv" / "index.html").read_text("utf-8")
    assert 'href="/cv.pdf"' in zh  # one PDF for every language
