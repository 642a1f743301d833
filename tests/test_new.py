"""`scholarsite new`: a complete starter site that builds, with a GitHub Pages workflow."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from scholarsite import cli
from scholarsite.build import build
from scholarsite.project import DEFAULT_REF, REPOSITORY

from .conftest import SEED

WORKFLOW = ".github/workflows/deploy.yml"


def new(*args: str, input: str | None = None):
    return CliRunner().invoke(cli.main, ["new", *args], input=input)


def steps_by_name(job: dict) -> dict[str, dict]:
    return {s.get("name") or s.get("uses", "").split("@")[0]: s for s in job["steps"]}


@pytest.fixture
def made(tmp_path: Path) -> Path:
    root = tmp_path / "mysite"
    result = new(str(root), "--name", "Ada Lovelace", "--email", "ada@example.org")
    assert result.exit_code == 0, result.output
    return root


def test_new_site_builds(made: Path, tmp_path: Path):
    for rel in ("site.yaml", "publications.bib", "content/about.md", "data/education.yaml",
                "README.md", ".gitignore", WORKFLOW):  # fmt: skip
        assert (made / rel).is_file(), rel
    report = build(made, tmp_path / "out")
    assert not [w for w in report.warnings if "base_url" not in w.message]
    home = (tmp_path / "out" / "index.html").read_text("utf-8")
    assert "Ada Lovelace" in home and "ada AT example DOT org" in home
    pubs = (tmp_path / "out" / "publications" / "index.html").read_text("utf-8")
    assert '<strong class="owner">Ada Lovelace</strong>' in pubs
    assert '<sup class="role role-equal">*</sup>' in pubs


def test_new_prints_next_steps(tmp_path: Path):
    result = new(str(tmp_path / "s"), "--name", "Ada", "--no-input")
    assert "scholarsite serve" in result.output and "README.md" in result.output


def test_gitignore_keeps_build_output_out(made: Path):
    ignored = (made / ".gitignore").read_text("utf-8").split()
    assert "_site/" in ignored and ".scholarsite-cache/" in ignored


def test_workflow_deploys_to_github_pages(made: Path):
    wf = yaml.safe_load((made / WORKFLOW).read_text("utf-8"))
    triggers = wf.get("on", wf.get(True))  # YAML 1.1 reads a bare `on` as true
    assert "main" in triggers["push"]["branches"] and "workflow_dispatch" in triggers
    assert wf["permissions"] == {"contents": "read", "pages": "write", "id-token": "write"}
    assert wf["concurrency"]["group"] == "pages"
    build_job, deploy_job = wf["jobs"]["build"], wf["jobs"]["deploy"]
    uses = [s.get("uses", "") for s in build_job["steps"]]
    assert uses[0].startswith("actions/checkout@")
    assert any(u.startswith("actions/setup-python@") for u in uses)
    assert any(u.startswith("actions/configure-pages@") for u in uses)
    steps = steps_by_name(build_job)
    assert wf["env"]["SCHOLARSITE"] == f"scholarsite @ git+{REPOSITORY}@{DEFAULT_REF}"
    assert steps["Install scholarsite"]["run"] == 'python -m pip install "$SCHOLARSITE"'
    assert steps["Build"]["run"].startswith("scholarsite build")
    upload = steps["Upload"]
    assert upload["uses"].startswith("actions/upload-pages-artifact@")
    assert upload["with"]["path"] == "_site"
    # the steps run in this order: install, configure, check, build, upload
    names = [s.get("name") for s in build_job["steps"]]
    order = ["Install scholarsite", "Configure Pages", "Check base_url", "Build", "Upload"]
    assert [n for n in names if n in order] == order
    assert deploy_job["needs"] == "build"
    assert deploy_job["environment"]["name"] == "github-pages"
    assert deploy_job["environment"]["url"] == "${{ steps.deployment.outputs.page_url }}"
    deploy = deploy_job["steps"][0]
    assert deploy["uses"].startswith("actions/deploy-pages@") and deploy["id"] == "deployment"


def test_workflow_pins_the_given_repository_and_commit(tmp_path: Path):
    sha = "0123456789abcdef0123456789abcdef01234567"
    root = tmp_path / "s"
    result = new(str(root), "--name", "Ada", "--source-repo", "https://git.example.org/me/ss.git",
                 "--source-ref", sha)  # fmt: skip
    assert result.exit_code == 0, result.output
    wf = yaml.safe_load((root / WORKFLOW).read_text("utf-8"))
    assert wf["env"]["SCHOLARSITE"] == f"scholarsite @ git+https://git.example.org/me/ss.git@{sha}"


def _check_script(root: Path) -> str:
    wf = yaml.safe_load((root / WORKFLOW).read_text("utf-8"))
    run = steps_by_name(wf["jobs"]["build"])["Check base_url"]["run"]
    body = run.split("<<'PY'\n", 1)[1]
    return body[: body.rindex("\nPY")]


@pytest.mark.parametrize(
    ("base_url", "pages_url", "ok", "says"),
    [
        ("https://ada.github.io/", "https://ada.github.io", True, ""),
        ("https://ada.github.io/site/", "https://ada.github.io/site", True, ""),
        ("/", "https://ada.github.io", True, "::notice file=site.yaml::set base_url"),
        ("/", "https://ada.github.io/site", False, "::error file=site.yaml::base_url is /"),
        ("https://ada.github.io/", "https://ada.github.io/site", False, "::error"),
    ],
)
def test_workflow_checks_base_url_against_pages(tmp_path, base_url, pages_url, ok, says):
    root = tmp_path / "s"
    assert new(str(root), "--name", "Ada", "--base-url", base_url).exit_code == 0
    env = {**os.environ, "PAGES_URL": pages_url}
    done = subprocess.run([sys.executable, "-c", _check_script(root)], cwd=root, env=env,
                          capture_output=True, text=True, check=False)  # fmt: skip
    assert (done.returncode == 0) is ok, done.stdout + done.stderr
    assert says in done.stdout


def test_refuses_a_folder_that_is_not_empty(tmp_path: Path):
    root = tmp_path / "busy"
    root.mkdir()
    (root / "thesis.tex").write_text("keep me", "utf-8")
    result = new(str(root), "--name", "Ada")
    assert result.exit_code == 2
    assert "folder is not empty" in result.output
    assert [p.name for p in root.iterdir()] == ["thesis.tex"]


def test_an_empty_folder_is_fine(tmp_path: Path):
    (tmp_path / "empty").mkdir()
    assert new(str(tmp_path / "empty"), "--name", "Ada").exit_code == 0


def test_never_asks_without_a_terminal(tmp_path: Path):
    result = new(str(tmp_path / "s"))  # CliRunner's stdin is not a terminal
    assert result.exit_code == 0, result.output
    assert "Your name" not in result.output.split("note:")[0]
    assert "no name given: edit 'Your Name' in site.yaml" in result.output
    assert "name: Your Name" in (tmp_path / "s" / "site.yaml").read_text("utf-8")


def test_asks_on_a_terminal(tmp_path: Path, monkeypatch):
    monkeypatch.setattr(cli, "_stdin_is_terminal", lambda: True)
    root = tmp_path / "s"
    result = new(str(root), input="Grace Hopper\ngrace@example.org\nhttps://grace.github.io/\n\n")
    assert result.exit_code == 0, result.output
    assert "Your name" in result.output and "Email" in result.output
    config = yaml.safe_load((root / "site.yaml").read_text("utf-8"))
    assert config["profile"]["name"] == "Grace Hopper"
    assert config["profile"]["email"] == "grace@example.org"
    assert config["base_url"] == "https://grace.github.io/"
    assert config["owner_names"] == ["Grace Hopper"]


def test_no_input_asks_nothing_even_on_a_terminal(tmp_path: Path, monkeypatch):
    monkeypatch.setattr(cli, "_stdin_is_terminal", lambda: True)
    result = new(str(tmp_path / "s"), "--no-input")
    assert result.exit_code == 0 and "Your name:" not in result.output


def test_names_that_need_quoting(tmp_path: Path):
    root = tmp_path / "s"
    name = "Zoë O'Brien: yes"
    assert new(str(root), "--name", name, "--email", "z@example.org").exit_code == 0
    config = yaml.safe_load((root / "site.yaml").read_text("utf-8"))
    assert config["profile"]["name"] == name and config["owner_names"] == [name]
    build(root, tmp_path / "out")


def test_bad_options_are_usage_errors(tmp_path: Path):
    result = new(str(tmp_path / "a"), "--theme", "no-such-theme")
    assert result.exit_code == 2 and "unknown theme 'no-such-theme'" in result.output
    result = new(str(tmp_path / "b"), "--base-url", "ada.github.io")
    assert result.exit_code == 2 and "is not an address" in result.output
    result = new(str(tmp_path / "c"), "--email", "ada")
    assert result.exit_code == 2
    assert not any((tmp_path / d).exists() for d in "abc")


def test_from_bibtex_uses_the_file_and_guesses_the_owner(tmp_path: Path):
    bib = tmp_path / "scholar.bib"
    bib.write_text(
        "@article{a, title={First Paper}, author={Lovelace, Ada and Babbage, Charles},\n"
        " journal={J}, year={1843}, timestamp={Mon, 01 Jan 2024}}\n"
        "@article{b, title={Second Paper}, author={Lovelace, Ada}, journal={J}, year={1844}}\n",
        "utf-8",
    )
    root = tmp_path / "s"
    result = new(str(root), "--from-bibtex", str(bib))
    assert result.exit_code == 0, result.output
    assert "owner guessed from the publications: Ada Lovelace" in result.output
    text = (root / "publications.bib").read_text("utf-8")
    assert "First Paper" in text and "sample" not in text.lower() and "timestamp" not in text
    build(root, tmp_path / "out")
    pubs = (tmp_path / "out" / "publications" / "index.html").read_text("utf-8")
    assert '<strong class="owner">Ada Lovelace</strong>' in pubs


def test_from_bibtex_with_errors_writes_nothing(tmp_path: Path):
    bib = tmp_path / "bad.bib"
    bib.write_text("@article{a, title = {Unclosed\n", "utf-8")
    result = new(str(tmp_path / "s"), "--from-bibtex", str(bib), "--name", "Ada")
    assert result.exit_code == 1
    assert "bad.bib:1:" in result.output
    assert not (tmp_path / "s").exists()


def test_from_jekyll_imports_the_page(tmp_path: Path):
    root = tmp_path / "s"
    result = new(str(root), "--from-jekyll", str(SEED), "--base-url", "https://ada.github.io/",
                 "--email", "someone@example.org")  # fmt: skip
    assert result.exit_code == 0, result.output
    assert (root / WORKFLOW).is_file() and (root / ".gitignore").is_file()
    config = yaml.safe_load((root / "site.yaml").read_text("utf-8"))
    assert config["base_url"] == "https://ada.github.io/"
    assert config["profile"]["email"] == "runxinxu@gmail.com"  # the page's own wins
    assert "kept profile.email from the imported page" in result.output
    build(root, tmp_path / "out")
    pubs = (tmp_path / "out" / "publications" / "index.html").read_text("utf-8")
    assert '<strong class="owner">Runxin Xu</strong>' in pubs
