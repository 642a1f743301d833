"""The template environment's shortcuts print exactly what plain Jinja2 prints."""

from __future__ import annotations

import jinja2
import pytest
from hypothesis import given
from hypothesis import strategies as st
from markupsafe import Markup, escape

from scholarsite.build import load_site
from scholarsite.outputs.environment import escape_text, make_environment

from .conftest import EXAMPLE


@given(st.one_of(st.text(), st.integers(), st.floats(allow_nan=False), st.none()))
def test_escape_text_is_markupsafe_escape(value):
    assert escape_text(value) == str(escape(value))
    assert type(escape_text(value)) is str


def test_escape_text_keeps_markup_and_html_objects():
    class Html:
        def __html__(self) -> str:
            return "<b>ok</b>"

    assert escape_text(Markup("<i>x</i>")) == "<i>x</i>"
    assert escape_text(Html()) == "<b>ok</b>"
    assert escape_text("<script>&\"'") == "&lt;script&gt;&amp;&#34;&#39;"


@pytest.fixture(scope="module")
def env():
    _, theme, _ = load_site(EXAMPLE)
    return make_environment(theme)


SOURCE = (
    "{{ v.title }}|{{ v['items'] | length }}|{{ v.keys() | list | length }}|{{ v.html }}|"
    "{{ v.n }}|{% autoescape false %}{{ v.title }}{% endautoescape %}"
)


def test_templates_print_what_plain_jinja_prints(env):
    plain = jinja2.Environment(autoescape=True, undefined=jinja2.StrictUndefined)
    view = {"title": "<Tom & Jerry>", "items": [1, 2, 3], "html": Markup("<em>x</em>"), "n": 4}
    ours = env.from_string(SOURCE).render(v=view)
    assert ours == plain.from_string(SOURCE).render(v=view)
    # `v.items` is the dict's method before its key, as in Jinja (its length fails)
    assert env.getattr(view, "items") == view.items
    assert env.getattr(view, "title") == "<Tom & Jerry>"


def test_a_missing_key_is_still_an_error(env):
    with pytest.raises(jinja2.UndefinedError):
        env.from_string("{{ v.nope }}").render(v={"title": "x"})
