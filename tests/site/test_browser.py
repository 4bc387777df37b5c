"""The public site in a real browser (Debian's Chromium through Playwright): accessibility by
axe-core in normal and 适老化 mode, reading at 320 and 1280 pixels, the header on a phone, and
remembered reader settings."""

import os
from pathlib import Path

import pytest

from tests.chromium import (
    AXE,
    CHROMIUM,
    RECORD_POLICY_VIOLATIONS,
    SCREENSHOTS,
    NetworkQuiet,
    axe_violations,
)
from tests.demo_site import fill_in_site_identity, load_demo_site, pages_to_check

WCAG_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]

pytestmark = [
    pytest.mark.skipif(
        not Path(CHROMIUM).exists(), reason="needs Debian's chromium (apt-get install chromium)"
    ),
    pytest.mark.django_db(transaction=True),
]


@pytest.fixture
def site_url(live_server):
    load_demo_site()
    return live_server.url


def wcag_aa_violations(page):
    return [
        f"{violation['id']}: {violation['help']} — {violation['targets']}"
        for violation in axe_violations(page, runOnly={"type": "tag", "values": WCAG_AA})
    ]


@pytest.mark.skipif(not AXE.exists(), reason="needs `npm ci` (node_modules/axe-core)")
def test_every_kind_of_page_passes_axe_in_normal_and_elder_mode(browser, site_url):
    context = browser.new_context(locale="zh-CN")
    page = context.new_page()
    problems = []
    for mode in ["normal", "elder"]:
        for name, url in pages_to_check():
            page.goto(site_url + url)
            if mode == "elder":
                page.evaluate("document.documentElement.classList.add('elder-mode')")
            problems += [f"{mode} {name}: {violation}" for violation in wcag_aa_violations(page)]
    # Text over a picture, which axe leaves unjudged: the carousel's captions in 适老化 mode.
    page.goto(site_url + "/")
    page.evaluate("document.documentElement.classList.add('elder-mode')")
    caption = page.locator(".carousel__slide a").first
    assert caption.evaluate("link => getComputedStyle(link).color") == "rgb(255, 255, 255)"
    # The footer once staff have filled in the site's identity.
    fill_in_site_identity()
    page.goto(site_url + "/")
    badge = page.locator(".conac-badge img").bounding_box()
    middle = page.viewport_size["width"] / 2
    assert abs(badge["x"] + badge["width"] / 2 - middle) < 2, "the badge hangs at the bottom centre"
    problems += [f"site identity: {violation}" for violation in wcag_aa_violations(page)]
    context.close()
    assert problems == [], "\n".join(problems)


def test_public_pages_break_no_content_security_policy_rule(browser, site_url):
    """Every page's own scripts, styles and pictures load under the strict policy, including
    what the reader's buttons change."""
    context = browser.new_context(locale="zh-CN")
    page = context.new_page()
    network = NetworkQuiet(page)
    page.add_init_script(
        "window.__cspViolations = [];"
        "document.addEventListener('securitypolicyviolation', event =>"
        " window.__cspViolations.push(event.violatedDirective + ' ' + event.blockedURI));"
    )
    refused = []
    for name, url in pages_to_check():
        page.goto(site_url + url)
        assert network.wait(), f"{name} kept talking to the server"
        page.get_by_role("button", name="大", exact=True).click()
        page.get_by_role("button", name="适老化").click()
        refused += [f"{name}: {text}" for text in page.evaluate("window.__cspViolations || []")]
    context.close()
    assert refused == []


def test_article_reads_at_320_and_1280_pixels_and_font_size_is_remembered(browser, site_url):
    from news.models import ArticlePage

    article = ArticlePage.objects.live().exclude(cover_image=None).first()
    for width in (320, 375, 1280):
        context = browser.new_context(viewport={"width": width, "height": 900}, locale="zh-CN")
        page = context.new_page()
        page.goto(site_url + article.url)
        assert page.locator("h1#article-title").inner_text() == article.title
        # Nothing wider than the screen: no sideways scrolling on a phone.
        assert page.evaluate("document.documentElement.scrollWidth") <= width
        assert page.locator(".article__meta").is_visible()
        # The footer's labels are words, never broken inside ("邮" ending one line, "编:" the next).
        for label in page.locator(".site-footer .contact-block__label").all():
            assert len(label.evaluate("label => [...label.getClientRects()]")) == 1, (
                width,
                label.inner_text(),
            )
        context.close()

    # On a phone 字号 is in the 无障碍 toolbar (the compact header leaves it out).
    context = browser.new_context(viewport={"width": 390, "height": 844}, locale="zh-CN")
    page = context.new_page()
    page.goto(site_url + article.url)
    normal = page.evaluate("parseFloat(getComputedStyle(document.documentElement).fontSize)")
    page.get_by_role("button", name="无障碍").click()
    page.get_by_role("button", name="大", exact=True).click()
    page.reload()
    assert page.evaluate("document.documentElement.classList.contains('font-large')")
    assert page.evaluate("parseFloat(getComputedStyle(document.documentElement).fontSize)") > normal
    page.get_by_role("button", name="无障碍").click()
    assert page.get_by_role("button", name="大", exact=True).get_attribute("aria-pressed") == "true"
    page.get_by_role("button", name="适老化").click()
    page.goto(site_url + "/")
    assert page.evaluate("document.documentElement.classList.contains('elder-mode')")
    context.close()


def test_pages_work_without_javascript(browser, site_url):
    context = browser.new_context(java_script_enabled=False, viewport={"width": 320, "height": 800})
    page = context.new_page()
    page.goto(site_url + "/")
    assert page.locator(".carousel__slide").count() >= 1
    page.fill("#header-search", "党建")
    page.press("#header-search", "Enter")
    page.wait_for_url("**/search/**")
    assert page.locator(".search-results li").count() >= 1
    assert page.evaluate("document.documentElement.scrollWidth") <= 320
    context.close()


def test_every_kind_of_page_reads_at_320_pixels_without_javascript(browser, site_url):
    """The 专题, the notice with its table and 附件, the video article, the site map …: each
    shows its heading and never scrolls sideways on a small phone, also with scripts off."""
    context = browser.new_context(
        java_script_enabled=False, viewport={"width": 320, "height": 800}, locale="zh-CN"
    )
    page = context.new_page()
    problems = []
    for name, url in pages_to_check():
        page.goto(site_url + url)
        if page.locator("main h1").count() != 1:
            problems.append(f"{name}: no heading")
        if (width := page.evaluate("document.documentElement.scrollWidth")) > 320:
            problems.append(f"{name}: {width} px wide")
    context.close()
    assert problems == []


def test_screenshots_of_home_and_article(browser, site_url):
    """The pictures in the README. Saved to docs/screenshots when SAVE_SCREENSHOTS=1."""
    from news.models import ArticlePage

    article = ArticlePage.objects.live().exclude(cover_image=None).first()
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN")
    page = context.new_page()
    shots = {}
    for name, url in [("home", "/"), ("article", article.url)]:
        page.goto(site_url + url)
        shots[name] = page.screenshot(full_page=False)
        assert len(shots[name]) > 10_000
    context.close()
    if os.environ.get("SAVE_SCREENSHOTS") == "1":
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        for name, png in shots.items():
            (SCREENSHOTS / f"{name}.png").write_bytes(png)


def test_a_notice_with_a_table_and_attachments_reads_at_320_pixels(browser, site_url):
    """The table scrolls inside its own region; the page itself never scrolls sideways."""
    from news.importing.demo_documents import NOTICE_TITLE
    from news.models import ArticlePage

    notice = ArticlePage.objects.live().get(title=NOTICE_TITLE)
    context = browser.new_context(viewport={"width": 320, "height": 800}, locale="zh-CN")
    page = context.new_page()
    page.goto(site_url + notice.url)
    assert page.evaluate("document.documentElement.scrollWidth") <= 320
    region = page.get_by_role("region", name="述职评议工作安排")
    assert region.locator("caption").inner_text() == "述职评议工作安排"
    region.focus()  # keyboard users reach the table and scroll it with the arrow keys
    page.keyboard.press("ArrowRight")
    assert page.get_by_role("heading", name="附件").is_visible()
    assert page.get_by_role("link", name="附件2：参会回执表").get_attribute("download") is not None
    context.close()


def test_on_a_phone_the_search_forms_labels_stay_with_their_fields(browser, site_url):
    # Each label directly above its field, at the field's left edge (templates/news/search.html):
    # never left at the end of one line with its field on the next.
    fields = ("#search-q", "#search-column", "#search-period", "#search-from", "#search-to")
    for width in (320, 375, 414):
        context = browser.new_context(viewport={"width": width, "height": 800}, locale="zh-CN")
        page = context.new_page()
        page.goto(site_url + "/search/?q=%E5%85%9A%E5%BB%BA")
        for field in fields:
            label = page.locator(f"label[for={field[1:]}]").bounding_box()
            control = page.locator(field).bounding_box()
            gap = control["y"] - (label["y"] + label["height"])
            assert 0 <= gap <= 8, (width, field, gap)
            assert abs(label["x"] - control["x"]) <= 1, (width, field)
        assert page.evaluate("document.documentElement.scrollWidth") <= width
        context.close()


# How much of the page moves after it is first drawn (the browser's cumulative layout shift).
RECORD_LAYOUT_SHIFTS = """
window.__layoutShift = 0;
new PerformanceObserver(list => list.getEntries().forEach(shift => {
  if (!shift.hadRecentInput) window.__layoutShift += shift.value;
})).observe({type: 'layout-shift', buffered: true});
"""


def title_top(page):
    """How far down the page the heading starts, and how tall its first line is."""
    return page.evaluate(
        """() => { const title = document.querySelector('main h1');
                   return [title.getBoundingClientRect().top + window.scrollY,
                           parseFloat(getComputedStyle(title).lineHeight)]; }"""
    )


def test_on_a_phone_the_header_folds_into_two_rows_and_the_article_comes_first(browser, site_url):
    """The site's name, 搜索, 无障碍, 适老化 and 菜单 in a compact header, so that an article's title
    starts in the first half-screen at 375 px, and on the first screen at 375×812 and 320×568
    for a reader with 字号 大, 适老化 and the toolbar's 200 % (before: 3,543 and 3,798 px down).
    菜单 and 搜索 open what they fold away, from the keyboard too; without JavaScript both stay
    open and the title still starts in the first half-screen. All under the site's policy."""
    from news.models import ArticlePage

    article = ArticlePage.objects.live().exclude(cover_image=None).first()
    context = browser.new_context(viewport={"width": 375, "height": 812}, locale="zh-CN")
    context.add_init_script(RECORD_POLICY_VIOLATIONS)
    context.add_init_script(RECORD_LAYOUT_SHIFTS)
    page = context.new_page()
    problems = []
    page.on("pageerror", lambda error: problems.append(str(error)))

    def leave():
        """The policy's violations on this page, written down before the next is loaded."""
        problems.extend(page.evaluate("window.__problems"))

    page.goto(site_url + article.url)
    top, line = title_top(page)
    assert top + line <= 812 / 2, top
    # Folded before it is drawn: nothing appears or folds after the first paint.
    assert page.evaluate("window.__layoutShift") < 0.01
    # One row for the name with 搜索, one for 无障碍, 适老化 and 菜单, with room above and below.
    header = page.locator(".site-header__inner").bounding_box()
    assert header["height"] < 2 * 60, header
    padding = page.evaluate(
        "parseFloat(getComputedStyle(document.querySelector('.site-header__inner')).paddingTop)"
    )
    assert padding >= 8

    # 菜单, from the keyboard: the navigation opens under the header; Esc folds it again.
    menu = page.get_by_role("button", name="菜单")
    navigation = page.get_by_role("navigation", name="主导航")
    assert navigation.is_hidden() and menu.get_attribute("aria-expanded") == "false"
    menu.focus()
    page.keyboard.press("Enter")
    assert navigation.is_visible() and menu.get_attribute("aria-expanded") == "true"
    first_link = navigation.get_by_role("link", name="首页").bounding_box()
    assert first_link["y"] >= header["y"] + header["height"] - 1
    page.keyboard.press("Tab")
    page.keyboard.press("Escape")
    assert navigation.is_hidden()
    assert menu.evaluate("button => button === document.activeElement")

    # 搜索 opens the search form with the cursor in its field.
    page.get_by_role("button", name="搜索", exact=True).click()
    assert page.evaluate("document.activeElement.id") == "header-search"
    page.keyboard.type("党建")
    leave()
    page.keyboard.press("Enter")
    page.wait_for_url("**/search/**")
    assert page.locator(".search-results li").count() >= 1

    # The older reader: 字号 大 and 放大 to 200 % in the toolbar, 适老化 in the header.
    leave()
    page.goto(site_url + article.url)
    page.get_by_role("button", name="无障碍").click()
    toolbar = page.get_by_role("region", name="无障碍工具条")
    toolbar.get_by_role("button", name="大", exact=True).click()
    for _ in range(4):
        toolbar.get_by_role("button", name="放大").click()
    page.get_by_role("button", name="适老化").click()
    toolbar.get_by_role("button", name="关闭").click()
    for width, height in ((375, 812), (320, 568)):
        leave()
        page.set_viewport_size({"width": width, "height": height})
        page.reload()
        top, line = title_top(page)
        assert top + line <= height, (width, height, top)
        assert page.evaluate("document.documentElement.scrollWidth") <= width
        if os.environ.get("SAVE_SCREENSHOTS") == "1" and width == 375:
            SCREENSHOTS.mkdir(parents=True, exist_ok=True)
            page.screenshot(path=str(SCREENSHOTS / "header-phone-large-text.png"))
    leave()
    assert problems == []
    context.close()

    # Without JavaScript nothing folds: the form and the menu stay open, and the title still
    # starts in the first half-screen.
    context = browser.new_context(
        java_script_enabled=False, viewport={"width": 375, "height": 812}, locale="zh-CN"
    )
    page = context.new_page()
    page.goto(site_url + article.url)
    assert page.get_by_role("navigation", name="主导航").get_by_role("link").count() >= 2
    assert page.locator("#header-search").is_visible()
    assert page.get_by_role("button", name="菜单").count() == 0
    assert page.get_by_role("button", name="无障碍").count() == 0
    top, line = title_top(page)
    assert top + line <= 812 / 2, top
    context.close()


def test_a_reader_who_taps_subscribe_reads_what_rss_is_and_the_columns_address(browser, site_url):
    """订阅本栏目（RSS） on a phone opens a Chinese page that says what RSS is, with this column's
    feed address marked, under the site's policy: no raw XML, no policy violation, no script
    error. (An XSLT stylesheet would put Chromium's English XSLT warning over the feed.)"""
    context = browser.new_context(viewport={"width": 375, "height": 812}, locale="zh-CN")
    context.add_init_script(
        "window.__cspViolations = [];"
        "document.addEventListener('securitypolicyviolation', event =>"
        " window.__cspViolations.push(event.violatedDirective + ' ' + event.blockedURI));"
    )
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda error: errors.append(f"script: {error}"))
    page.on("console", lambda message: message.type == "error" and errors.append(message.text))
    page.goto(site_url + "/news/")
    page.get_by_role("link", name="订阅本栏目（RSS）").click()
    page.wait_for_url("**/rss/#feed-news")
    assert page.get_by_role("heading", level=1).inner_text() == "RSS 订阅"
    assert "RSS 阅读器" in page.locator(".feed-guide").inner_text()
    column = page.locator("#feed-news")
    address = column.locator("code").inner_text()
    assert address == f"{site_url}/news/feed/"
    # The column's own address is marked (its :target border), and nothing scrolls sideways.
    marked = column.evaluate("entry => getComputedStyle(entry).borderLeftColor")
    assert marked != page.locator("#feed-site").evaluate(
        "entry => getComputedStyle(entry).borderLeftColor"
    )
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    assert page.request.get(address).headers["content-type"].startswith("application/rss+xml")
    violations = page.evaluate("window.__cspViolations")
    context.close()
    assert violations == [] and errors == []
