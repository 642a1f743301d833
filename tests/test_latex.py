"""LaTeX in BibTeX values -> Unicode text with inline Markdown."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from scholarsite.latex import _convert, latex_to_text, subscript, superscript


@pytest.mark.parametrize(
    ("latex", "text"),
    [
        # accents, every spelling
        (r"M{\"u}ller", "Müller"),
        (r"M\"{u}ller", "Müller"),
        (r"M\"uller", "Müller"),
        (r"Caf\'e", "Café"),
        (r"Caf\'{e}", "Café"),
        (r"{\'\i}ndice", "índice"),
        (r"Mart\'{\i}nez", "Martínez"),
        (r"Ma\"{\i}a", "Maïa"),
        (r"Gar\c{c}on", "Garçon"),
        (r"Fran\c cois", "François"),
        (r"\v{S}koda", "Škoda"),
        (r"Dvo\v{r}\'ak", "Dvořák"),
        (r"Espa\~na", "España"),
        (r"Espa\~{n}a", "España"),
        (r"\`a la", "à la"),
        (r"h\^otel", "hôtel"),
        (r"Erd\H{o}s", "Erdős"),
        (r"\k{a}", "ą"),
        (r"\r{u}", "ů"),
        (r"\u{g}", "ğ"),
        (r"\={a}", "ā"),
        (r"\.{z}", "ż"),
        (r"\d{s}", "ṣ"),
        (r"\'{E}cole", "École"),
        (r"{\"O}zt{\"u}rk", "Öztürk"),
        (r"Brand{\~a}o", "Brandão"),
        # special letters
        (r"Stra\ss e", "Straße"),
        (r"{\ss}", "ß"),
        (r"Bj{\o}rn", "Bjørn"),
        (r"Bj\o rn", "Bjørn"),
        (r"{\O}sterby", "Østerby"),
        (r"{\aa}ngstr{\"o}m", "ångström"),
        (r"\AA{}ngstr\"om", "Ångström"),
        (r"{\l}{\'o}d{\'z}", "łódź"),
        (r"\L{}ukasz", "Łukasz"),
        (r"{\ae}on {\OE}uvre", "æon Œuvre"),
        # escapes, ties, dashes, quotes
        (r"Q\&A: 50\% off \$5 \#1 snake\_case", "Q&A: 50% off $5 #1 snake_case"),
        ("Fig.~1", "Fig.\xa01"),
        ("pages 1--10", "pages 1–10"),
        ("word---word", "word—word"),
        ("a-b", "a-b"),
        ("``quoted''", "“quoted”"),
        (r"{\LaTeX} and \TeX{} and {\BibTeX}", "LaTeX and TeX and BibTeX"),
        # styles as inline Markdown
        (r"\textit{Deep} learning", "*Deep* learning"),
        (r"\emph{very} good", "*very* good"),
        (r"\emph{ spaced }x", " *spaced* x"),
        (r"\textbf{Bold} move", "**Bold** move"),
        (r"\textbf{\emph{both}}", "***both***"),
        (r"{\em old style} and {\bf bold}", "*old style* and **bold**"),
        (r"\textsc{Bert}", "Bert"),
        (r"\texttt{code}", "code"),
        (r"\emph{}", ""),
        # super/subscripts
        (r"S$^4$-Tuning", "S⁴-Tuning"),
        (r"S$^{4}$-Tuning", "S⁴-Tuning"),
        (r"S\textsuperscript{4}-Tuning", "S⁴-Tuning"),
        (r"$10^{-3}$", "10⁻³"),
        (r"CO$_2$ emissions", "CO₂ emissions"),
        (r"H$_{2}$O", "H₂O"),
        (r"x\textsubscript{i}", "xᵢ"),
        (r"$^q$", "^q"),
        (r"\textsuperscript{Q}", "^Q"),
        (r"$_{y}$", "_y"),
        (r"$^*$", "*"),
        (r"$^\dagger$", "†"),
        (r"$\alpha$-divergence", "α-divergence"),
        (r"$O(n \log n)$", "O(n log n)"),
        (r"$\mathbb{R}^n$", "ℝⁿ"),
        (r"\dag\ddag", "†‡"),
        # URLs, protective braces, others
        (r"\url{https://x.org/~me/a_b}", "https://x.org/~me/a_b"),
        (r"\url{https://x.org/a\_b}", "https://x.org/a_b"),
        (r"\href{https://x.org}{the site}", "the site"),
        (
            r"{BERT}: Pre-training of {Deep} Bidirectional",
            "BERT: Pre-training of Deep Bidirectional",
        ),
        (r"{{Nested} {braces}}", "Nested braces"),
        (r"Seen in \cite{x} before", "Seen in  before"),
        (r"{\noopsort{a}}Alpha", "Alpha"),
        (r"\unknownmacro{kept}", "kept"),
        (r"\ldots", "…"),
        ("trailing backslash \\", "trailing backslash "),
        ("{unbalanced", "unbalanced"),
        ("unbalanced}", "unbalanced"),
        ("lone $ dollar", "lone $ dollar"),
        ("$$display$$", "display"),
    ],
)
def test_latex_to_text(latex: str, text: str) -> None:
    assert latex_to_text(latex) == text


@pytest.mark.parametrize(
    "plain",
    ["Plain title", "A: B (C) [D] 100% e-mail", "", "Zürich 北京 ✓", "x^2 and a_b", "don't"],
)
def test_fast_path_returns_the_same_object(plain: str) -> None:
    assert latex_to_text(plain) is plain


def test_results_are_cached() -> None:
    value = r"Cached M{\"u}ller " + "x" * 50
    assert latex_to_text(value) is latex_to_text(value)


def test_deep_nesting_does_not_raise() -> None:
    assert latex_to_text("{" * 5000 + "x" + "}" * 5000) == "x"


def test_superscript_and_subscript_helpers() -> None:
    assert superscript("2") == "²"
    assert superscript("n+1") == "ⁿ⁺¹"
    assert superscript("q") == "^q"
    assert superscript("*†") == "*†"
    assert subscript("12") == "₁₂"
    assert subscript("b") == "_b"


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("\\{}$~^_-`'\"abcuvHtij LaTeX&%")), max_size=60))
def test_never_raises_on_random_latex(value: str) -> None:
    assert isinstance(latex_to_text(value), str)


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=80))
def test_never_raises_on_random_text(value: str) -> None:
    assert isinstance(latex_to_text(value), str)


@pytest.mark.parametrize(
    ("latex", "text"),
    [
        ("pages 1--10", "pages 1–10"),
        ("a---b a----b a-----b", "a—b a—-b a—–b"),
        ("-{}- stays two hyphens", "-- stays two hyphens"),
        ("{PULSE}: Fast {BERT}", "PULSE: Fast BERT"),
        (r"50\% of \#1 \& co\_x", "50% of #1 & co_x"),
        (r"{50\%}--{60\%} isn't x^2", "50%–60% isn't x^2"),
        (r"a\%''b", "a%”b"),  # quotes: the converter's
    ],
)
def test_values_with_only_braces_dashes_and_escapes(latex: str, text: str) -> None:
    assert latex_to_text(latex) == text


@settings(max_examples=500, deadline=None)
@given(
    st.lists(
        st.sampled_from(
            [
                *("a", "é", " ", "-", "--", "{", "}", "\\%", "\\&", "\\_", "\\#", "'", "''", "^"),
                *("_", "\\", "\\\\", "\\-", "\\{", "$", "~", "`", "\\em ", "\\'e", "\\ss "),
            ]
        ),
        max_size=25,
    ).map("".join)
)
def test_fast_paths_agree_with_the_converter(value: str) -> None:
    """Values that look like LaTeX read the same whichever path they take."""
    if any(mark in value for mark in ("\\", "{", "}", "$", "~", "--", "`")):
        assert latex_to_text(value) == _convert(value)
