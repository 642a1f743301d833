"""Every page type of the example (both themes) and of a feature site, at 1280 and 375 px,
light and dark: a screenshot, no console or page error, no request leaving 127.0.0.1, zero
axe-core violations (WCAG 2.1 AA), and every link reachable by Tab with a visible focus ring."""

from __future__ import annotations

import pytest

from .conftest import ARTIFACTS, SCHEMES, WCAG_TAGS, WIDTHS, page_kinds

SITES = ("default", "classic", "features")
#: Page types each site must have (more may appear: every type found is checked).
EXPECTED = {
    "default": {"home", "publications", "publication", "404", "home-zh", "publications-zh"},
    "classic": {"home", "publications", "publication", "404", "home-zh", "publications-zh"},
    "features": {"home", "publications", "publication", "page", "post", "news", "home-de"},
}


def axe_violations(page) -> list[str]:
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(
        page, options={"runOnly": {"type": "tag", "values": WCAG_TAGS}, "resultTypes": []}
    )
    out = []
    for v in results.response["violations"]:
        targets = "; ".join(", ".join(n["target"]) for n in v["nodes"][:5])
        out.append(f"{v['id']} ({v['impact']}): {v['help']} -- {targets}")
    return out


@pytest.mark.parametrize("scheme", SCHEMES)
@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("site", SITES)
def test_every_page_type_renders_clean(sites, visit, site: str, width: int, scheme: str):
    served = sites[site]
    kinds = page_kinds(served.out)
    assert EXPECTED[site] <= set(kinds), f"missing page types: {EXPECTED[site] - set(kinds)}"
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    problems: list[str] = []
    for kind, path in sorted(kinds.items()):
        v = visit(served.url(path), width=width, scheme=scheme)
        page = v.page
        page.screenshot(path=str(ARTIFACTS / f"{site}-{kind}-{width}-{scheme}.png"),
                        full_page=True)
        dark = page.evaluate(
            "matchMedia('(prefers-color-scheme: dark)').matches"
        )
        assert dark == (scheme == "dark")
        problems += [f"{kind} {path}: {e}" for e in v.errors]
        problems += [f"{kind} {path}: request left 127.0.0.1: {u}" for u in v.outside]
        problems += [f"{kind} {path}: axe {a}" for a in axe_violations(page)]
        overflow = page.evaluate("document.documentElement.scrollWidth - innerWidth")
        if overflow > 0:
            problems.append(f"{kind} {path}: page is {overflow}px wider than the viewport")
    if problems:
        pytest.fail("\n".join(problems), pytrace=False)


KEYBOARD_JS = """() => {
  const visible = el => el.getClientRects().length > 0 &&
    getComputedStyle(el).visibility !== 'hidden';
  const links = [...document.querySelectorAll('a[href]')].filter(visible);
  links.forEach((a, i) => a.dataset.kb = String(i));
  return links.length;
}"""
FOCUS_JS = """() => {
  const el = document.activeElement;
  if (!el || el === document.body) return null;
  const s = getComputedStyle(el);
  const ring = s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) >= 2 &&
    s.outlineColor !== 'rgba(0, 0, 0, 0)' && s.outlineColor !== 'transparent';
  return {kb: el.dataset.kb ?? null, tag: el.tagName, ring,
          text: (el.textContent || el.getAttribute('aria-label') || '').trim().slice(0, 40)};
}"""


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("site", SITES)
def test_keyboard_reaches_every_link_with_a_visible_focus_ring(sites, visit, site, width):
    served = sites[site]
    problems: list[str] = []
    for kind, path in sorted(page_kinds(served.out).items()):
        v = visit(served.url(path), width=width)
        page = v.page
        count = page.evaluate(KEYBOARD_JS)
        reached: set[str] = set()
        for _ in range(count + 15):
            page.keyboard.press("Tab")
            focus = page.evaluate(FOCUS_JS)
            if focus is None:
                continue
            if not focus["ring"]:
                problems.append(f"{kind}: no visible focus ring on {focus['tag']} "
                                f"{focus['text']!r}")
            if focus["kb"] is not None:
                reached.add(focus["kb"])
        missing = count - len(reached)
        if missing:
            names = page.evaluate(
                "r => [...document.querySelectorAll('a[data-kb]')].filter(a => "
                "!r.includes(a.dataset.kb)).map(a => a.textContent.trim()).slice(0, 5)",
                sorted(reached),
            )
            problems.append(f"{kind}: {missing} of {count} links not reached by Tab: {names}")
    if problems:
        pytest.fail("\n".join(problems), pytrace=False)
