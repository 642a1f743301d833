"""What the pages do in the browser: dark mode, embeds, images, languages, CJK glyphs."""

from __future__ import annotations

from .conftest import ARTIFACTS, fonts_for, need

#: Records the theme the document has when <body> first exists (before the first paint).
FIRST_PAINT_THEME = """
window.__firstTheme = 'unset';
new MutationObserver((_, obs) => {
  if (document.body) {
    window.__firstTheme = document.documentElement.getAttribute('data-theme') || 'system';
    window.__firstBg = getComputedStyle(document.documentElement).getPropertyValue('--bg');
    obs.disconnect();
  }
}).observe(document, {childList: true, subtree: true});
"""


def test_dark_mode_follows_the_system(sites, visit):
    for scheme, want in (("light", "rgb(255, 255, 255)"), ("dark", "rgb(20, 23, 28)")):
        v = visit(sites["default"].url("/"), scheme=scheme)
        assert v.page.evaluate("getComputedStyle(document.body).backgroundColor") == want


def test_toggle_remembers_the_choice_and_never_flashes(sites, visit):
    v = visit(sites["default"].url("/publications/"), scheme="light", init=FIRST_PAINT_THEME)
    page = v.page
    toggle = page.locator(".theme-toggle")
    assert toggle.is_visible() and toggle.get_attribute("aria-pressed") == "false"
    toggle.click()
    assert page.evaluate("document.documentElement.dataset.theme") == "dark"
    assert toggle.get_attribute("aria-pressed") == "true"
    assert page.evaluate("localStorage.getItem('theme')") == "dark"
    assert page.evaluate("getComputedStyle(document.body).backgroundColor") == "rgb(20, 23, 28)"
    page.goto(sites["default"].url("/"))  # another page, same origin: the choice holds
    assert page.evaluate("window.__firstTheme") == "dark"  # set before <body> existed
    assert page.evaluate("getComputedStyle(document.body).backgroundColor") == "rgb(20, 23, 28)"
    page.locator(".theme-toggle").click()
    page.reload()
    assert page.evaluate("window.__firstTheme") == "light"
    assert v.errors == [] and v.outside == []


def test_without_javascript_the_toggle_is_hidden_and_email_is_text(browser, sites):
    ctx = browser.new_context(java_script_enabled=False)
    try:
        page = ctx.new_page()
        page.goto(sites["default"].url("/"))
        assert page.locator(".theme-toggle").is_hidden()
        assert "runxinxu AT gmail DOT com" in page.locator(".email-line").inner_text()
    finally:
        ctx.close()


def test_embeds_make_no_request_until_clicked(sites, visit):
    v = visit(sites["features"].url("/notes/"))
    page = v.page
    assert page.locator("iframe").count() == 0
    assert v.outside == []  # nothing left the site while the page loaded
    video = page.locator("figure.embed-video .embed-open")
    assert video.get_attribute("href") == "https://www.youtube.com/watch?v=zNfaj_DV6-E"
    video.focus()
    page.keyboard.press("Enter")
    frame = page.locator("figure.embed-video iframe")
    frame.wait_for(state="attached")
    assert frame.get_attribute("src").startswith("https://www.youtube-nocookie.com/embed/")
    page.wait_for_timeout(300)
    assert any("youtube-nocookie.com" in u for u in v.outside)  # only now (and refused here)


def test_math_and_code_render(sites, visit):
    page = visit(sites["features"].url("/notes/")).page
    assert page.locator("math").count() >= 2
    block = page.locator(".math-display math")
    assert block.get_attribute("display") == "block"
    assert block.bounding_box()["height"] > 20  # laid out as MathML, not as raw TeX
    assert "$5 or $10" in page.locator("article").inner_text()
    keyword = page.locator("pre code .k").first
    assert keyword.inner_text() == "def"
    light = keyword.evaluate("el => getComputedStyle(el).color")
    page.locator(".theme-toggle").click()
    dark = keyword.evaluate("el => getComputedStyle(el).color")
    assert light != dark  # each colour scheme has its own palette


CLS_JS = """() => new Promise(done => {
  let total = 0;
  new PerformanceObserver(list => {
    for (const e of list.getEntries()) if (!e.hadRecentInput) total += e.value;
  }).observe({type: 'layout-shift', buffered: true});
  setTimeout(() => done(total), 500);
})"""


def test_responsive_images_have_sizes_and_no_layout_shift(sites, visit):
    for site, width in (("default", 1280), ("features", 375)):
        page = visit(sites[site].url("/"), width=width).page
        photo = page.locator("img.photo")
        assert photo.get_attribute("width") and photo.get_attribute("height")
        assert photo.get_attribute("loading") is None  # above the fold: fetched at once
        assert photo.get_attribute("fetchpriority") == "high"
        assert " 480w" in photo.get_attribute("srcset")
        current = photo.evaluate("img => img.currentSrc")
        assert current.endswith((".avif", ".webp")), current
        assert page.evaluate(CLS_JS) < 0.01
    for width in (1280, 375):  # search box, filters and theme toggle appear in their room
        page = visit(sites["default"].url("/publications/"), width=width).page
        page.wait_for_load_state("networkidle")
        assert page.locator(".pub-search input").is_visible()
        assert page.locator("form.pub-filter").count() == 1
        assert page.evaluate(CLS_JS) < 0.01
    page = visit(sites["features"].url("/publications/")).page
    thumbs = page.locator(".pub-media img")
    assert thumbs.count() == 2
    for i in range(2):
        thumb = thumbs.nth(i)
        assert thumb.get_attribute("loading") == "lazy"
        assert thumb.get_attribute("width") and thumb.get_attribute("height")
    assert page.locator(".pub-media source[type='image/avif']").count() == 2


def test_languages_switch_with_hreflang_and_lang(sites, visit):
    page = visit(sites["default"].url("/publications/")).page
    assert page.evaluate("document.documentElement.lang") == "en"
    alternates = page.eval_on_selector_all(
        "link[rel=alternate][hreflang]", "ls => ls.map(l => [l.hreflang, l.getAttribute('href')])"
    )
    base = "https://runxinxu.github.io"  # the example's base_url: alternates are absolute
    assert ["zh", f"{base}/zh/publications/"] in alternates
    assert ["x-default", f"{base}/publications/"] in alternates
    switch = page.locator(".langs a[hreflang=zh]")
    assert switch.get_attribute("lang") == "zh" and switch.inner_text() == "中文"
    switch.click()
    page.wait_for_url("**/zh/publications/")
    assert page.evaluate("document.documentElement.lang") == "zh"
    assert page.locator("h1").inner_text() == "论文"
    assert page.locator("nav .nav-links").inner_text().startswith("首页")
    page.goto(sites["default"].url("/zh/"))
    assert page.locator(".name").inner_text().startswith("罗巍耀")
    assert page.locator(".native-name").get_attribute("lang") == "en"  # "Weiyai Luo"
    assert "计算语言学研究所" in page.locator(".bio").inner_text()


def test_chinese_page_draws_cjk_glyphs(sites, visit):
    need("a font with Chinese glyphs", fonts_for("zh"), "apt-get install fonts-noto-cjk")
    page = visit(sites["default"].url("/zh/"), width=375).page
    # A CJK glyph is about one em wide; a missing glyph box ("tofu") or a fallback is not
    # drawn with a CJK font: ask the browser which fonts it used for the name.
    cdp = page.context.new_cdp_session(page)
    cdp.send("DOM.enable")
    cdp.send("CSS.enable")
    doc = cdp.send("DOM.getDocument")
    node = cdp.send("DOM.querySelector", {"nodeId": doc["root"]["nodeId"], "selector": ".bio p"})
    fonts = cdp.send("CSS.getPlatformFontsForNode", {"nodeId": node["nodeId"]})["fonts"]
    families = {f["familyName"] for f in fonts}
    assert any("CJK" in f or "Hei" in f or "Song" in f for f in families), families
    page.screenshot(path=str(ARTIFACTS / "default-home-zh-375-cjk-check.png"))
