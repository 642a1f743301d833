"""`scholarsite sync` on recorded responses (tests/fixtures/sync/) served on 127.0.0.1.

Each source is pointed at the local server by its base URL; nothing reaches the network.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from scholarsite.cli import main
from scholarsite.readers.bibtex import parse_bibtex
from scholarsite.sync import Http, sync_site
from scholarsite.sync import arxiv as arxiv_mod
from scholarsite.sync import crossref as crossref_mod
from scholarsite.sync import dblp as dblp_mod
from scholarsite.sync import orcid as orcid_mod
from scholarsite.sync.http import FetchError

from .sync_server import start_services, stop_services

ORCID = "0000-0002-1825-0097"  # ORCID's documented test record (Josiah Carberry)


@pytest.fixture
def services(monkeypatch):
    """A local server answering as the four services do; the sources point at it."""
    server = start_services(monkeypatch)
    yield server
    stop_services(server)


@pytest.fixture
def site(make_site) -> Path:
    return make_site({})


def run(*args: str):
    return CliRunner().invoke(main, list(args))


def entries(root: Path) -> dict[str, dict[str, str]]:
    raws, diags = parse_bibtex((root / "publications.bib").read_text("utf-8"), "p.bib")
    assert not [d for d in diags if d.severity == "error"]
    return {r.key: r.fields for r in raws}


def quick(**kw) -> Http:
    """A client that does not wait: retries without sleeping, short timeouts."""
    sleeps: list[float] = []
    http = Http(sleep=sleeps.append, **kw)
    http.sleeps = sleeps  # type: ignore[attr-defined]
    return http


# -- dblp ------------------------------------------------------------------------------


def test_dblp_merges_into_publications_bib_and_builds(services, site):
    result = run("sync", "dblp", "https://dblp.org/pid/123/4567.html", "--into", str(site))
    assert result.exit_code == 0, result.output
    assert "dblp: 4 records; publications.bib: 3 added" in result.output
    got = entries(site)
    assert set(got) == {"xu2022twostream", "xu2022s4tuning", "xu2021dense"}
    naacl = got["xu2022twostream"]
    # the CoRR preprint and the NAACL paper became one entry with both identifiers
    assert naacl["doi"] == "10.18653/v1/2022.naacl-main.370"
    assert naacl["arxiv"] == "2205.00241"
    assert "naacl" in naacl["booktitle"].lower()
    text = (site / "publications.bib").read_text("utf-8")
    assert "timestamp" not in text and "biburl" not in text and "bibsource" not in text
    assert "0002" not in text  # dblp's homonym number is not part of the name
    assert "url = {https://doi.org/" not in text  # only repeated the DOI
    from scholarsite.build import build

    build(site, site / "_site")
    html = (site / "_site" / "publications" / "index.html").read_text("utf-8")
    assert "Two-Stream AMR-enhanced Model" in html


def test_dblp_sync_twice_changes_nothing(services, site):
    assert run("sync", "dblp", "123/4567", "--into", str(site)).exit_code == 0
    before = (site / "publications.bib").read_text("utf-8")
    again = run("sync", "dblp", "123/4567", "--into", str(site))
    assert again.exit_code == 0, again.output
    assert "0 added, 0 enriched, 3 unchanged" in again.output
    assert "is up to date" in again.output
    assert (site / "publications.bib").read_text("utf-8") == before


def test_dry_run_shows_the_diff_and_writes_nothing(services, site):
    result = run("sync", "dblp", "123/4567", "--into", str(site), "--dry-run")
    assert result.exit_code == 0, result.output
    assert "+++ b/publications.bib" in result.output
    assert "+@inproceedings{xu2022twostream," in result.output
    assert "Dry run" in result.output
    assert not (site / "publications.bib").exists()


def test_hand_edits_are_kept_and_reported(services, site):
    run("sync", "dblp", "123/4567", "--into", str(site))
    path = site / "publications.bib"
    text = path.read_text("utf-8")
    edited = re.sub(
        r"(title\s*=\s*\{)A Two-Stream AMR-enhanced Model", r"\1My Two-Stream Model", text
    )
    edited = edited.replace("{xu2022twostream,", "{xu2022twostream,\n  selected = {true},")
    assert edited.count("My Two-Stream Model") == 1
    path.write_text(edited, "utf-8")
    result = run("sync", "dblp", "123/4567", "--into", str(site))
    assert result.exit_code == 0, result.output
    assert path.read_text("utf-8") == edited
    assert "conflict in 'xu2022twostream' field title" in result.output


def test_sync_ignore_lines_keep_entries_out(services, site):
    (site / "publications.bib").write_text(
        "% sync-ignore: 2112.07198\n% sync-ignore: 10.18653/v1/2022.acl-short.58\n", "utf-8"
    )
    result = run("sync", "dblp", "123/4567", "--into", str(site))
    assert result.exit_code == 0, result.output
    assert set(entries(site)) == {"xu2022twostream"}
    assert "skipped: sync-ignore: 2112.07198" in result.output


def test_dblp_unknown_person_is_a_usage_error(services, site):
    result = run("sync", "dblp", "999/9999", "--into", str(site))
    assert result.exit_code == 2, result.output
    assert "/dblp/pid/999/9999.bib: error: HTTP 404" in result.output
    assert "dblp person 999/9999 was not found" in result.output
    assert not (site / "publications.bib").exists()


def test_malformed_dblp_id_is_refused_before_any_request(services, site):
    result = run("sync", "dblp", "Runxin Xu", "--into", str(site))
    assert result.exit_code == 2
    assert "'Runxin Xu' is not a dblp person id" in result.output
    assert services.seen == []


def test_sync_needs_a_site_folder(services, tmp_path):
    result = run("sync", "dblp", "123/4567", "--into", str(tmp_path))
    assert result.exit_code == 1
    assert "not a site folder (no site.yaml)" in result.output
    assert services.seen == []


# -- ORCID -----------------------------------------------------------------------------


def test_orcid_citation_then_doi_then_own_fields(services, site):
    result = run("sync", "orcid", f"https://orcid.org/{ORCID}", "--into", str(site))
    assert result.exit_code == 0, result.output
    paths = [p for p, _ in services.seen]
    assert paths[:2] == [f"/orcid/v3.0/{ORCID}/works", f"/orcid/v3.0/{ORCID}/works/1001,1002,1003"]
    assert "/crossref/works/10.1609/aaai.v36i10.21408" in paths
    headers = dict(services.seen[0][1])
    assert headers["Accept"] == "application/json"
    assert "mailto:ada@example.org" in headers["User-Agent"]  # from profile.email
    got = entries(site)
    # 1002: the work's own BibTeX citation (ACL Anthology style), rekeyed
    s4 = got["xu2022s4tuning"]
    assert s4["doi"] == "10.18653/v1/2022.acl-short.58" and s4["pages"] == "530--537"
    # 1001: no citation, so its DOI through Crossref
    aaai = got["xu2022dense"]
    assert aaai["journal"] == "Proceedings of the AAAI Conference on Artificial Intelligence"
    assert aaai["pages"] == "11547--11555" and aaai["volume"] == "36"
    assert aaai["author"].startswith("Xu, Runxin and Luo, Fuli")
    # 1003: neither, so ORCID's own fields (the editor is not an author)
    child = got["xu2021raise"]
    assert child["author"] == "Runxin Xu and Fuli Luo and Zhiyuan Zhang and Baobao Chang"
    assert child["eprint"] == "2109.05687" and child["year"] == "2021"
    assert child["booktitle"].startswith("Proceedings of the 2021 Conference on Empirical")


def test_orcid_bad_checksum_is_refused(services, site):
    result = run("sync", "orcid", "0000-0002-1825-0098", "--into", str(site))
    assert result.exit_code == 2
    assert "is not an ORCID iD" in result.output
    assert services.seen == []


def test_orcid_unknown_record(services, site):
    result = run("sync", "orcid", "0000-0001-5109-3700", "--into", str(site))
    assert result.exit_code == 2, result.output
    assert "HTTP 404" in result.output and "The resource was not found." in result.output


# -- DOIs ------------------------------------------------------------------------------


def test_dois_from_crossref_and_through_doi_org(services, site):
    result = run(
        "sync", "doi", "10.1609/AAAI.V36I10.21408", "https://doi.org/10.5281/zenodo.6418245",
        "--into", str(site),
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    got = entries(site)
    assert got["xu2022dense"]["doi"] == "10.1609/aaai.v36i10.21408"
    zenodo = got["xu2022tsar"]
    assert zenodo["doi"] == "10.5281/zenodo.6418245" and zenodo["publisher"] == "Zenodo"
    # the content-negotiation request kept its Accept header across the redirect
    redirected = [h for p, h in services.seen if p == "/datacite/zenodo"]
    assert redirected and redirected[0]["Accept"].startswith("application/x-bibtex")


def test_unknown_doi(services, site):
    result = run("sync", "doi", "10.9999/nowhere", "--into", str(site))
    assert result.exit_code == 2, result.output
    assert "DOI 10.9999/nowhere was not found" in result.output


def test_not_a_doi(services, site):
    result = run("sync", "doi", "nowhere", "--into", str(site))
    assert result.exit_code == 2 and "'nowhere' is not a DOI" in result.output


# -- arXiv -----------------------------------------------------------------------------


def test_arxiv_atom_entries(services, site):
    result = run(
        "sync",
        "arxiv",
        "arXiv:2112.07198v1",
        "https://arxiv.org/abs/2205.00241",
        "--into",
        str(site),
    )
    assert result.exit_code == 0, result.output
    got = entries(site)
    dense = got["xu2021dense"]
    assert dense["eprint"] == "2112.07198" and dense["archiveprefix"] == "arXiv"
    assert dense["primaryclass"] == "cs.CL" and dense["month"] == "dec"
    assert dense["title"].startswith(
        "From Dense to Sparse: Contrastive Pruning for Better Pre-trained Language"
    )
    assert "computation-intensive" in dense["abstract"]
    two = got["xu2022twostream"]
    assert two["doi"] == "10.18653/v1/2022.naacl-main.370"
    assert two["note"].startswith("NAACL 2022")


def test_arxiv_error_entry(services, site):
    result = run("sync", "arxiv", "1234.12345", "--into", str(site))
    assert result.exit_code == 2, result.output
    assert "arXiv: incorrect id format for 1234.12345" in result.output


def test_arxiv_doi_goes_to_arxiv(services, site):
    result = run("sync", "doi", "10.48550/arXiv.1234.12345", "--into", str(site))
    assert result.exit_code == 2
    assert any(p.startswith("/arxiv/api/query") for p, _ in services.seen)


# -- the HTTP client: timeouts, retries, politeness -------------------------------------

SOURCES = [
    ("dblp", ["123/4567"], dblp_mod, "BASE"),
    ("orcid", [ORCID], orcid_mod, "API"),
    ("doi", ["10.1609/aaai.v36i10.21408"], crossref_mod, "API"),
    ("arxiv", ["2112.07198"], arxiv_mod, "API"),
]


@pytest.mark.parametrize(("source", "ids", "module", "attr"), SOURCES)
def test_each_source_times_out_cleanly(services, site, monkeypatch, source, ids, module, attr):
    monkeypatch.setattr(module, attr, f"{services.url}/slow/{source}")
    http = quick(timeout=0.2, retries=1)
    with pytest.raises(FetchError) as info:
        sync_site(source, ids, site, http=http)
    assert info.value.exit_code == 3
    message = str(info.value)
    assert "no answer within 0.2 s (2 tries)" in message
    assert "--timeout" in message
    assert http.sleeps == [1.0]  # one backoff between the two tries
    assert not (site / "publications.bib").exists()


def test_retries_5xx_with_exponential_backoff(services):
    services.flaky = 2
    http = quick(retries=3)
    assert http.get(f"{services.url}/flaky").body == b"ok"
    assert http.sleeps == [1.0, 2.0]


def test_429_honours_retry_after_then_gives_up(services):
    http = quick(retries=2)
    with pytest.raises(FetchError) as info:
        http.get(f"{services.url}/busy")
    assert http.sleeps == [7.0, 7.0]
    assert info.value.exit_code == 3
    assert "HTTP 429" in str(info.value) and "after 3 tries" in str(info.value)
    assert "Rate exceeded." in str(info.value)


def test_connection_refused(unused_port):
    http = quick(retries=1, timeout=1)
    with pytest.raises(FetchError) as info:
        http.get(f"http://127.0.0.1:{unused_port}/x")
    assert info.value.exit_code == 3 and "cannot connect" in str(info.value)


def test_polite_user_agent_and_intervals(services):
    clock = iter([0.0, 1.0, 3.0]).__next__
    http = Http(mailto="ada@example.org", sleep=(waits := []).append, clock=clock)
    http.intervals = {"127.0.0.1": 3.0}
    http.get(f"{services.url}/arxiv/api/query?id_list=1234.12345&max_results=1")
    http.get(f"{services.url}/arxiv/api/query?id_list=1234.12345&max_results=1")
    assert waits == [2.0]  # 3 s between two requests to one host, 1 s had passed
    agent = services.seen[0][1]["User-Agent"]
    assert agent.startswith("scholarsite/") and "mailto:ada@example.org" in agent


@pytest.fixture
def unused_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


# -- identifiers -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "pid"),
    [
        ("140/6685", "140/6685"),
        ("https://dblp.org/pid/140/6685.html", "140/6685"),
        ("https://dblp.uni-trier.de/pid/h/GeoffreyEHinton.bib", "h/GeoffreyEHinton"),
        ("Runxin Xu", None),
    ],
)
def test_dblp_pid(text, pid):
    assert dblp_mod.pid_of(text) == pid


def test_identifier_forms():
    assert orcid_mod.orcid_of("https://orcid.org/0000-0002-1825-0097") == ORCID
    assert orcid_mod.orcid_of("0000-0002-1694-233X") == "0000-0002-1694-233X"
    assert orcid_mod.orcid_of("0000-0002-1825-0098") is None
    assert crossref_mod.doi_of("doi:10.1145/ABC.123") == "10.1145/abc.123"
    assert crossref_mod.doi_of("https://doi.org/10.1145/x") == "10.1145/x"
    assert crossref_mod.doi_of("1145/x") is None
    assert arxiv_mod.arxiv_id_of("https://arxiv.org/pdf/2112.07198v2.pdf") == "2112.07198"
    assert arxiv_mod.arxiv_id_of("hep-th/9901001") == "hep-th/9901001"
    assert arxiv_mod.arxiv_id_of("10.48550/arXiv.2205.00241") == "2205.00241"
    assert arxiv_mod.arxiv_id_of("21120.7198") is None


def test_an_unknown_host_is_not_retried():
    http = quick(retries=3, timeout=2)
    with pytest.raises(FetchError) as info:
        http.get("http://no-such-host.invalid/x")
    assert http.sleeps == [] and info.value.exit_code == 3
    assert "cannot be resolved" in str(info.value)
