"""`import bibtex` and `merge_bibtex`: exports merged into publications.bib, nothing of
the user's rewritten."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from scholarsite.errors import Diagnostics
from scholarsite.importers.bibentry import BibEntry
from scholarsite.importers.bibmerge import merge_bibtex
from scholarsite.importers.bibtex import import_bibtex
from scholarsite.readers.bibtex import parse_bibtex
from scholarsite.readers.publications import to_publication

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "import" / "bibtex"


def entries(text: str) -> dict:
    raws, problems = parse_bibtex(text, "publications.bib")
    assert problems == []
    return {raw.key: raw for raw in raws}


def site_with(tmp_path: Path, existing: str | None = "existing.bib") -> Path:
    site = tmp_path / "site"
    site.mkdir()
    (site / "site.yaml").write_text("title: Test\n", encoding="utf-8")
    if existing:
        shutil.copy(FIXTURES / existing, site / "publications.bib")
    return site


def test_google_scholar_export_merges_preprints_and_keeps_the_users_entries(tmp_path):
    site = site_with(tmp_path)
    before = (site / "publications.bib").read_text(encoding="utf-8")
    report = import_bibtex(FIXTURES / "scholar.bib", site)
    text = (site / "publications.bib").read_text(encoding="utf-8")
    got = entries(text)
    assert list(got) == ["xu2021document", "wang2021explicit", "xu2023making"]
    # the hand-made entry keeps its bytes; only missing fields were appended
    old = entries(before)["xu2021document"].raw
    assert got["xu2021document"].raw.startswith(old[: old.rindex("}")].rstrip())
    assert got["xu2021document"].fields["pages"] == "3533--3546"
    assert got["xu2021document"].fields["booktitle"] == "Proceedings of ACL-IJCNLP 2021"
    assert got["xu2021document"].fields["myrating"] == "5 stars"
    assert "  pages     = {3533--3546}\n}" in text  # aligned like the entry's own fields
    # preprint + published version of one paper: one entry with both links
    making = got["xu2023making"].fields
    assert making["booktitle"].startswith("Proceedings of the Sixteenth ACM")
    assert making["arxiv"] == "2204.00166" and making["year"] == "2023"
    assert "journal" not in making
    doubts = "\n".join(str(d) for d in report.doubtful)
    assert "'xu2022making' and 'xu2023making' are one paper" in doubts
    assert "xu2021document title: kept" not in doubts  # same title, other capitalisation
    assert "@xu2021document booktitle: kept 'Proceedings of ACL-IJCNLP 2021'" in doubts
    # a second import changes nothing
    again = import_bibtex(FIXTURES / "scholar.bib", site)
    assert (site / "publications.bib").read_text(encoding="utf-8") == text
    assert again.files == [] and again.unchanged == ["publications.bib"]


def test_dblp_export_dedupes_by_doi_and_arxiv_and_shortens_keys(tmp_path):
    site = site_with(tmp_path)
    import_bibtex(FIXTURES / "scholar.bib", site)
    report = import_bibtex(FIXTURES / "dblp.bib", site)
    got = entries((site / "publications.bib").read_text(encoding="utf-8"))
    assert "wang2021behind" in got and not any(k.startswith("DBLP:") for k in got)
    behind = got["wang2021behind"].fields
    assert behind["doi"] == "10.1145/3459637.3482236"
    assert not {"timestamp", "biburl", "bibsource"} & set(behind)
    explicit = got["wang2021explicit"].fields  # matched by arXiv id, not duplicated
    assert explicit["eprint"] == "2106.11148"
    assert list(got).count("wang2021explicit") == 1 and len(got) == 4
    assert any("shortened" in r.what for r in report.records)


def test_acl_anthology_export_with_quotes_and_month_macro(tmp_path):
    site = site_with(tmp_path, existing=None)
    report = import_bibtex(FIXTURES / "acl.bib", site)
    raw = entries((site / "publications.bib").read_text(encoding="utf-8"))["xu-etal-2022-s4"]
    pub = to_publication(raw, Diagnostics())
    assert pub.title == "S⁴-Tuning: A Simple Cross-lingual Sub-network Tuning Method"
    assert pub.month == "May" and pub.doi == "10.18653/v1/2022.acl-short.58"
    assert [a.display for a in pub.authors][:2] == ["Runxin Xu", "Fuli Luo"]
    assert report.problems == []


def test_zotero_export_with_accents_and_chinese(tmp_path):
    site = site_with(tmp_path, existing=None)
    import_bibtex(FIXTURES / "zotero.bib", site)
    got = entries((site / "publications.bib").read_text(encoding="utf-8"))
    diags = Diagnostics()
    pubs = {k: to_publication(v, diags) for k, v in got.items()}
    muller = pubs["mullerNeuralMachineTranslation2020"]
    assert [a.display for a in muller.authors] == ["Jörg Müller", "María García", "明 李"]
    assert "file" not in muller.fields and muller.fields["keywords"] == "nmt, corpora"
    assert pubs["li2023zhongwen"].title == "中文预训练模型综述"


def test_malformed_entries_are_reported_with_lines_and_the_rest_is_merged(tmp_path):
    site = site_with(tmp_path, existing=None)
    report = import_bibtex(FIXTURES / "broken.bib", site)
    got = entries((site / "publications.bib").read_text(encoding="utf-8"))
    assert list(got) == ["good1", "dupfield", "good2"]
    lines = [(d.location.line, d.severity) for d in report.problems]
    assert lines == [(9, "error"), (16, "error"), (19, "error"), (26, "error")]
    text = report.format()
    assert "broken.bib:9: error: entry 'unclosed' is not closed" in text
    assert got["dupfield"].fields["title"] == "Duplicate Field"


def test_missing_file_is_a_user_error(tmp_path):
    from scholarsite.errors import UserError

    with pytest.raises(UserError):
        import_bibtex(tmp_path / "nope.bib", tmp_path)


# -- merge_bibtex, the function `sync` will call -------------------------------------


def test_existing_text_is_kept_byte_for_byte_even_when_malformed():
    existing = "% header\n@article{a, title = {One}, year = 2020}\n\n@misc{broken, title = {x\n"
    new, report = merge_bibtex(existing, [BibEntry("misc", "b", {"title": "Two", "year": "2021"})])
    assert new.startswith(existing)
    assert "@misc{b,\n  title = {Two},\n  year  = {2021}\n}\n" in new
    assert report.added == ["b"] and report.problems


def test_conflicts_are_reported_not_written_unless_asked():
    existing = (
        "@article{a,\n  title = {One Title Here},\n  journal = {J. Old},\n  year = {2020}\n}\n"
    )
    incoming = [
        BibEntry(
            "article",
            "x",
            {"title": "One title here", "journal": "J. New", "year": "2020", "volume": "3"},
        )
    ]
    new, report = merge_bibtex(existing, incoming)
    assert "J. Old" in new and "J. New" not in new and "volume = {3}" in new
    assert [(c.key, c.field) for c in report.conflicts] == [("a", "journal")]
    rewritten, report = merge_bibtex(existing, incoming, update_existing=True)
    assert "J. New" in rewritten and report.rewritten == ["a"]


def test_same_title_other_year_is_another_paper_unless_one_is_a_preprint():
    existing = "@inproceedings{a, title = {Attention Is All You Need}, year = {2017}}\n"
    sequel = BibEntry("inproceedings", "a", {"title": "Attention Is All You Need", "year": "2023"})
    new, report = merge_bibtex(existing, [sequel])
    assert report.added == ["aa"] and report.renamed == [("a", "aa")]
    preprint = BibEntry(
        "article",
        "p",
        {
            "title": "Attention is all you need",
            "journal": "arXiv preprint arXiv:1706.03762",
            "year": "2016",
        },
    )
    new, report = merge_bibtex(existing, [preprint])
    assert report.enriched == [("a", ["arxiv"])]
    assert "arxiv = {1706.03762}" in new


def test_different_dois_are_different_papers_even_with_one_title():
    existing = "@article{a, title = {Deep Learning}, doi = {10.1000/aaa}, year = {2015}}\n"
    other = BibEntry(
        "article", "b", {"title": "Deep Learning", "doi": "10.1000/bbb", "year": "2015"}
    )
    _, report = merge_bibtex(existing, [other])
    assert report.added == ["b"]


def test_role_marks_do_not_count_as_an_author_conflict():
    existing = "@article{a, title = {Some Paper Title}, author = {Wang, P.* and Xu, R.*}}\n"
    inc = BibEntry(
        "article",
        "b",
        {"title": "Some Paper Title", "author": "Wang, P. and Xu, R.", "doi": "10.1000/x"},
    )
    _, report = merge_bibtex(existing, [inc])
    assert report.conflicts == [] and report.enriched == [("a", ["doi"])]
