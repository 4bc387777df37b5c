"""The 无障碍 toolbar, 分享 and the print view as readers meet them: Debian's Chromium under the
public site's own Content-Security-Policy, every control used with the mouse or the keyboard,
at 320 and 1280 pixels, with every policy violation and script error recorded. The speech API is
replaced by a recorder before the page's scripts run (the machine has no voices), so what would
be read aloud is checked word for word."""

import os
import re
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from playwright.sync_api import expect

from news.sharing import qr_svg
from tests.chromium import (
    AXE,
    CHROMIUM,
    RECORD_POLICY_VIOLATIONS,
    SCREENSHOTS,
    NetworkQuiet,
    axe_violations,
)
from tests.demo_site import load_demo_site, pages_to_check

pytestmark = [
    pytest.mark.skipif(
        not Path(CHROMIUM).exists(), reason="needs Debian's chromium (apt-get install chromium)"
    ),
    pytest.mark.django_db(transaction=True),
]

NO_CHINESE_VOICE = "此浏览器没有中文语音"
CLIP_TOP = {"x": 0, "y": 0, "width": 1280, "height": 420}

# A speech engine that says nothing and writes down what it was asked to say, at what rate.
SPEECH_RECORDER = """
window.__spoken = [];
window.__cancelled = 0;
let voices = %s;
const voiceListeners = [];
// As browsers do a moment after the page loads: the list of voices arrives, and is announced.
window.__loadVoices = list => { voices = list; voiceListeners.forEach(listener => listener()); };
class RecordedUtterance {
  constructor(text) { this.text = text; this.lang = ''; this.rate = 1; this.voice = null; }
}
Object.defineProperty(window, 'SpeechSynthesisUtterance', { value: RecordedUtterance });
Object.defineProperty(window, 'speechSynthesis', { value: {
  getVoices: () => voices,
  speak: utterance => {
    if (window.__speechRefused) {  // as browsers do before the reader has clicked or typed
      if (utterance.onerror) utterance.onerror({ error: 'not-allowed' });
      return;
    }
    window.__spoken.push({ text: utterance.text, rate: utterance.rate, lang: utterance.lang,
                           voice: utterance.voice && utterance.voice.lang });
    if (utterance.onstart) utterance.onstart();
  },
  cancel: () => { window.__cancelled += 1; },
  addEventListener: (type, listener) => type === 'voiceschanged' && voiceListeners.push(listener),
}});
"""
CHINESE_VOICE = "[{lang: 'en-US', name: 'English'}, {lang: 'zh-CN', name: '普通话'}]"
ENGLISH_ONLY = "[{lang: 'en-US', name: 'English'}]"


@pytest.fixture
def site_url(live_server):
    load_demo_site()
    return live_server.url


@pytest.fixture
def article():
    from news.models import ArticlePage

    return ArticlePage.objects.live().exclude(cover_image=None).first()


class Reader:
    """A browser tab with the policy's violations and the scripts' errors written down, and the
    speech recorder in place of the browser's voices (`voices=None`: the browser's own)."""

    def __init__(self, browser, base_url, width=1280, voices=CHINESE_VOICE, **options):
        self.context = browser.new_context(
            viewport={"width": width, "height": 900},
            locale="zh-CN",
            timezone_id="Asia/Shanghai",
            **options,
        )
        self.context.add_init_script(RECORD_POLICY_VIOLATIONS)
        if voices is not None:
            self.context.add_init_script(SPEECH_RECORDER % voices)
        self.page = self.context.new_page()
        self.network = NetworkQuiet(self.page)
        self.errors = []
        self.page.on("pageerror", lambda error: self.errors.append(f"script: {error}"))
        self.page.on(
            "console",
            lambda message: (
                message.type == "error"
                and self.errors.append(f"{message.text} {message.location.get('url')}")
            ),
        )
        self.base_url = base_url

    def goto(self, path, quiet=True):
        """The page loaded, and with `quiet` what it asks for after loading answered too."""
        self.page.goto(self.base_url + path, wait_until="load")
        if quiet:
            assert self.network.wait(), f"{path} kept talking to the server"

    def button(self, name):
        return self.page.locator("#a11y-toolbar").get_by_role("button", name=name, exact=True)

    def html_has(self, name):
        return self.page.evaluate(f"document.documentElement.classList.contains('{name}')")

    def spoken(self):
        return self.page.evaluate("window.__spoken")

    def problems(self):
        # The 404 page is answered with its status, as it should be; the browser notes that.
        expected = "404 (Not Found) " + self.base_url + "/no-such-page/"
        errors = [error for error in self.errors if not error.endswith(expected)]
        return errors + self.page.evaluate("window.__problems")

    def close(self):
        problems = self.problems()
        self.context.close()
        assert problems == []


def press(page, button):
    """A button pressed from the keyboard: reached (as Tab would), then Enter."""
    button.focus()
    page.keyboard.press("Enter")


@pytest.mark.parametrize("width", [320, 1280])
def test_the_toolbar_opens_from_the_keyboard_and_each_display_control_works_and_is_remembered(
    browser, site_url, article, width
):
    reader = Reader(browser, site_url, width=width)
    page = reader.page
    reader.goto(article.url)
    toolbar = page.locator("#a11y-toolbar")
    assert toolbar.is_hidden()

    # Keyboard alone: Tab from the top of the page reaches 无障碍; Enter opens the toolbar and
    # puts the focus in it; Escape closes it and gives the focus back.
    opener = page.get_by_role("button", name="无障碍")
    for _ in range(6):
        page.keyboard.press("Tab")
        if opener.evaluate("button => button === document.activeElement"):
            break
    page.keyboard.press("Enter")
    assert toolbar.is_visible()
    assert opener.get_attribute("aria-expanded") == "true"
    assert page.evaluate("document.activeElement.closest('#a11y-toolbar') !== null")
    page.keyboard.press("Escape")
    assert toolbar.is_hidden()
    assert opener.evaluate("button => button === document.activeElement")
    page.keyboard.press("Enter")

    # 页面缩放 to 200%, by the keyboard: the text doubles and the phone never scrolls sideways.
    normal = page.evaluate("parseFloat(getComputedStyle(document.documentElement).fontSize)")
    reader.button("放大").focus()
    for _ in range(4):
        page.keyboard.press("Enter")
    assert page.locator("[data-a11y-zoom-value]").inner_text() == "200%"
    assert reader.button("放大").is_disabled()
    zoomed = page.evaluate("parseFloat(getComputedStyle(document.documentElement).fontSize)")
    assert zoomed == pytest.approx(normal * 2, rel=0.01)
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    # Focus went on to 缩小 when 放大 could go no further.
    assert reader.button("缩小").evaluate("button => button === document.activeElement")

    # 大鼠标: the large pointer over text, its own hand over links.
    press(page, reader.button("大鼠标"))
    assert reader.button("大鼠标").get_attribute("aria-pressed") == "true"
    link = page.locator(".breadcrumbs a").first
    for element, image in ((page.locator("h1"), "cursor-arrow"), (link, "cursor-hand")):
        cursor = element.evaluate("element => getComputedStyle(element).cursor")
        address = re.search(r'url\("([^"]+)"\)', cursor).group(1)
        assert image in address and page.request.get(address).ok, cursor

    # 十字线: a line across and a line down through the pointer.
    press(page, reader.button("十字线"))
    page.mouse.move(150, 400)
    across = page.locator(".a11y-guide--across").bounding_box()
    down = page.locator(".a11y-guide--down").bounding_box()
    assert abs(across["y"] - 400) <= 2 and across["width"] >= 300
    assert abs(down["x"] - 150) <= 2 and down["height"] >= 800

    # 大字幕: what the pointer is on, large, in the bar at the bottom.
    press(page, reader.button("大字幕"))
    page.mouse.move(0, 0)  # off the heading (the guide's point may be on it), then onto it
    page.locator("h1#article-title").hover()
    caption = page.locator(".a11y-caption")
    expect(caption).to_have_text(article.title)
    assert float(caption.evaluate("bar => parseFloat(getComputedStyle(bar).fontSize)")) >= 32

    # 高对比 is the site's 适老化 mode, the same switch as the header's button.
    press(page, reader.button("高对比"))
    assert reader.html_has("elder-mode")
    assert page.get_by_role("button", name="适老化").get_attribute("aria-pressed") == "true"

    # 纯文本: no pictures, one column, still no sideways scrolling.
    press(page, reader.button("纯文本"))
    assert page.locator("main img").first.is_hidden()
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    if os.environ.get("SAVE_SCREENSHOTS") == "1" and width == 320:
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SCREENSHOTS / "toolbar-phone.png"))

    # Remembered on the next page, before anything is drawn. The toolbar itself opens again where
    # it is a strip above the page; on a phone it would fill the first screen before the article,
    # so there it waits for 无障碍.
    reader.goto("/")
    if width == 320:
        assert toolbar.is_hidden()
        page.get_by_role("button", name="无障碍").click()
    assert toolbar.is_visible()
    for name in ("a11y-big-cursor", "a11y-guide-on", "a11y-text-only", "a11y-caption-on"):
        assert reader.html_has(name), name
    assert reader.html_has("elder-mode")
    assert page.locator("[data-a11y-zoom-value]").inner_text() == "200%"
    assert reader.button("十字线").get_attribute("aria-pressed") == "true"

    # Esc is heard with the focus anywhere on the page: it closes the toolbar and leaves the focus
    # where the reader had it.
    link = page.locator("main a").first
    link.focus()
    page.keyboard.press("Escape")
    assert toolbar.is_hidden()
    assert link.evaluate("link => link === document.activeElement")
    page.get_by_role("button", name="无障碍").click()

    # 重置: everything back as it was, the toolbar still open.
    press(page, reader.button("重置"))
    for name in ("a11y-big-cursor", "a11y-guide-on", "a11y-text-only", "a11y-caption-on"):
        assert not reader.html_has(name), name
    assert not reader.html_has("elder-mode")
    assert page.evaluate(
        "parseFloat(getComputedStyle(document.documentElement).fontSize)"
    ) == pytest.approx(normal, rel=0.01)
    status = page.locator("[data-a11y-status]")
    assert status.inner_text() == "已恢复默认设置。"
    # The status says what the last button did, 高对比 (site.js's switch) included.
    press(page, reader.button("高对比"))
    assert status.inner_text() == "已开启高对比。"
    press(page, reader.button("大鼠标"))
    assert status.inner_text() == "已开启大鼠标。"
    press(page, reader.button("大鼠标"))
    press(page, reader.button("高对比"))
    assert status.inner_text() == "已关闭高对比。"
    assert not reader.html_has("elder-mode")
    reader.button("关闭").click()
    reader.goto("/")
    assert toolbar.is_hidden()
    reader.close()


@pytest.mark.parametrize("width", [320, 1280])
def test_speech_reads_what_is_pointed_at_or_focused_and_the_article_from_the_top(
    browser, site_url, article, width
):
    reader = Reader(browser, site_url, width=width)
    page = reader.page
    reader.goto(article.url)
    page.get_by_role("button", name="无障碍").click()

    if os.environ.get("SAVE_SCREENSHOTS") == "1" and width == 1280:
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SCREENSHOTS / "toolbar.png"), clip=CLIP_TOP)

    # 指读: the title under the pointer, then a link reached with the keyboard, named as a link.
    reader.button("指读").click()
    page.locator("h1#article-title").hover()
    for _tick in range(50):  # the pointer rests a moment before anything is read
        if reader.spoken() and reader.spoken()[-1]["text"] == article.title:
            break
        page.wait_for_timeout(100)
    assert reader.spoken()[-1] == {
        "text": article.title,
        "rate": 1,
        "lang": "zh-CN",
        "voice": "zh-CN",
    }
    breadcrumb = page.locator(".breadcrumbs a").first
    breadcrumb.focus()
    assert reader.spoken()[-1]["text"] == "链接：" + breadcrumb.inner_text()
    reader.button("指读").focus()
    assert reader.spoken()[-1]["text"] == "按钮：指读（已开启）"
    # A picture is read by its alt text.
    picture = page.locator(".article__body img").first
    picture.scroll_into_view_if_needed()
    picture.hover()
    said = "图片：" + picture.get_attribute("alt")
    for _tick in range(50):
        if reader.spoken()[-1]["text"] == said:
            break
        page.wait_for_timeout(100)
    assert reader.spoken()[-1]["text"] == said
    # Something drawn that has no words of its own is read by its aria-label: the share QR code.
    page.get_by_text("分享", exact=True).click()
    code = page.get_by_role("img", name=f"《{article.title}》的二维码")
    code.hover()
    for _tick in range(50):
        if reader.spoken()[-1]["text"] == f"《{article.title}》的二维码":
            break
        page.wait_for_timeout(100)
    assert reader.spoken()[-1]["text"] == f"《{article.title}》的二维码"
    page.get_by_text("分享", exact=True).click()

    # 慢, then 连读: the article from its title on, paragraph by paragraph, slowly, and never the
    # page's buttons or navigation.
    reader.button("慢").click()
    before = len(reader.spoken())
    reader.button("连读").click()
    read = [entry["text"] for entry in reader.spoken()[before:]]
    # With 指读 on, the button the focus lands on is named first.
    assert read[:2] == ["按钮：连读", article.title]
    first_paragraph = page.locator(".article__body p").first.inner_text().strip()
    assert first_paragraph[:20] in " ".join(read)
    assert not any("打印本页" in text or text == "分享" for text in read)
    assert {entry["rate"] for entry in reader.spoken()[before + 1 :]} == {0.75}
    assert "正在从头朗读" in page.locator("[data-a11y-status]").inner_text()
    assert page.locator(".a11y-reading").count() >= 1
    # The marks of what is being read break no accessibility rule.
    assert [violation["id"] for violation in axe_violations(page)] == []
    # Pointing at something meanwhile does not break off the reading.
    reading = len(reader.spoken())
    page.locator(".breadcrumbs a").first.hover()
    page.wait_for_timeout(600)  # longer than the pointer's rest before it reads
    assert len(reader.spoken()) == reading

    # 停止 silences it and clears the marks.
    cancelled = page.evaluate("window.__cancelled")
    reader.button("停止").click()
    assert page.evaluate("window.__cancelled") > cancelled
    assert page.locator(".a11y-reading").count() == 0

    # So does Esc, with the focus anywhere on the page; the toolbar stays open for a second Esc.
    reader.button("连读").click()
    assert page.locator(".a11y-reading").count() >= 1
    page.locator(".breadcrumbs a").first.focus()
    cancelled = page.evaluate("window.__cancelled")
    page.keyboard.press("Escape")
    assert page.evaluate("window.__cancelled") > cancelled
    assert page.locator(".a11y-reading").count() == 0
    assert page.locator("[data-a11y-status]").inner_text() == "已停止朗读。"
    assert page.locator("#a11y-toolbar").is_visible()

    # A browser that will not speak yet (no click or key on this page) says what to do.
    page.evaluate("window.__speechRefused = true")
    reader.button("连读").click()
    assert "请先在页面上任意处点击一下" in page.locator("[data-a11y-status]").inner_text()
    reader.close()


def test_a_browser_without_a_chinese_voice_says_so_instead_of_reading(browser, site_url, article):
    reader = Reader(browser, site_url, voices=ENGLISH_ONLY)
    page = reader.page
    reader.goto(article.url)
    page.get_by_role("button", name="无障碍").click()
    reader.button("连读").click()
    assert NO_CHINESE_VOICE in page.locator("[data-a11y-status]").inner_text()
    assert reader.spoken() == []
    reader.close()


def test_point_reading_shows_on_only_where_a_chinese_voice_can_read(browser, site_url, article):
    """指读 waits for the browser's list of voices, which comes a moment after the page loads, and
    shows pressed only once a Chinese voice is in it. Where none comes (this machine's Chromium
    has no voice at all), it says so and stays off, also on a page where it was left on."""
    reader = Reader(browser, site_url, voices="[]")
    page = reader.page
    status = page.locator("[data-a11y-status]")
    reader.goto(article.url)
    page.get_by_role("button", name="无障碍").click()
    point = reader.button("指读")
    point.click()
    assert point.get_attribute("aria-pressed") == "false"
    page.evaluate(f"window.__loadVoices({CHINESE_VOICE})")
    assert point.get_attribute("aria-pressed") == "true"
    assert status.inner_text().startswith("已开启指读")
    point.click()
    assert point.get_attribute("aria-pressed") == "false"
    assert status.inner_text() == "已关闭指读。"
    reader.close()

    reader = Reader(browser, site_url, voices=None)
    page = reader.page
    status = page.locator("[data-a11y-status]")
    reader.goto(article.url)
    page.get_by_role("button", name="无障碍").click()
    point = reader.button("指读")
    point.click()
    expect(status).to_contain_text(NO_CHINESE_VOICE)
    assert point.get_attribute("aria-pressed") == "false"
    # Left on where a voice could read, and then on a browser where none can.
    page.evaluate("localStorage.setItem('a11y-toolbar', JSON.stringify({open: true, point: true}))")
    reader.goto("/")
    expect(status).to_contain_text(NO_CHINESE_VOICE)
    assert point.get_attribute("aria-pressed") == "false"
    reader.close()


@pytest.mark.skipif(not AXE.exists(), reason="needs `npm ci` (node_modules/axe-core)")
def test_axe_with_every_rule_finds_nothing_with_the_toolbar_in_each_mode(browser, site_url):
    # The switches that only add to the page are checked together on every kind of page, with
    # the largest font size, and plain text, which takes the layout away, on its own. 高对比 is
    # the site's 适老化 mode, remembered on its own, as is the font size.
    modes = [
        (
            "open, large font, zoom 200%, large cursor, guide, captions and high contrast",
            {"open": True, "zoom": 2, "cursor": True, "guide": True, "caption": True},
            None,
        ),
        ("open, plain text", {"open": True, "text": True}, None),
    ]
    problems = []
    for width in (320, 1280):
        reader = Reader(browser, site_url, width=width)
        page = reader.page
        reader.goto("/")
        for mode, choices, only in modes:
            page.evaluate(
                "choices => localStorage.setItem('a11y-toolbar', JSON.stringify(choices))", choices
            )
            elder = "on" if "high contrast" in mode else "off"
            page.evaluate("elder => localStorage.setItem('elder-mode', elder)", elder)
            size = "large" if "large font" in mode else "medium"
            page.evaluate("size => localStorage.setItem('font-size', size)", size)
            for name, url in pages_to_check():
                if only and name not in only:
                    continue
                # Loaded is enough for axe: what still comes over the network after it (the
                # click count's answer) changes a number, not what the page is made of.
                reader.goto(url, quiet=False)
                in_elder_mode = "document.documentElement.classList.contains('elder-mode')"
                assert page.evaluate(in_elder_mode) == (elder == "on")
                if width == 320:
                    # On a phone the toolbar waits for 无障碍, and the compact header folds the
                    # menu and the search form behind 菜单 and 搜索: all open, as a reader may.
                    page.get_by_role("button", name="无障碍").click()
                    page.get_by_role("button", name="菜单").click()
                    page.get_by_role("button", name="搜索", exact=True).first.click()
                if (wide := page.evaluate("document.documentElement.scrollWidth")) > width:
                    problems.append(f"{width}px {mode} {name}: {wide} px wide")
                problems += [
                    f"{width}px {mode} {name}: {violation['id']} {violation['targets']}"
                    for violation in axe_violations(page)
                ]
        reader.close()
    assert problems == [], "\n".join(problems)


def test_share_offers_the_articles_address_as_a_qr_code_and_copies_it(browser, site_url, article):
    reader = Reader(browser, site_url, width=320)
    reader.context.grant_permissions(["clipboard-read", "clipboard-write"])
    page = reader.page
    reader.goto(article.url)
    address = site_url + article.url
    page.get_by_text("分享", exact=True).click()
    code = page.get_by_role("img", name=f"《{article.title}》的二维码")
    assert code.is_visible()
    # The very code segno draws for the article's address (the scanner's view of it).
    drawn = code.locator("path.qrline").get_attribute("d")
    expected = str(qr_svg(address, "")).split('class="qrline" stroke="#000" d="')[1].split('"')[0]
    assert drawn == expected
    assert page.input_value("#share-url") == address
    page.get_by_role("button", name="复制链接").click()
    expect(page.locator("[data-copy-status]")).to_have_text("已复制本文地址。")
    assert page.evaluate("navigator.clipboard.readText()") == address
    assert page.evaluate("document.documentElement.scrollWidth") <= 320
    reader.close()


def test_share_works_without_javascript_and_the_print_view_names_the_site_address_and_day(
    browser, site_url, article
):
    context = browser.new_context(java_script_enabled=False, viewport={"width": 320, "height": 800})
    page = context.new_page()
    page.goto(site_url + article.url)
    page.get_by_text("分享", exact=True).click()
    assert page.get_by_role("img", name=re.compile("二维码")).is_visible()
    assert page.input_value("#share-url") == site_url + article.url
    assert page.get_by_role("button", name="复制链接").is_hidden()
    context.close()

    reader = Reader(browser, site_url)
    page = reader.page
    # The reader's clock says another day than the server's: the printed date is the reader's,
    # taken when printing.
    page.clock.install(time=datetime(2030, 1, 2, 9, 0, tzinfo=ZoneInfo("Asia/Shanghai")))
    reader.goto(article.url)
    page.get_by_role("button", name="无障碍").click()
    page.clock.set_system_time(datetime(2030, 1, 3, 9, 0, tzinfo=ZoneInfo("Asia/Shanghai")))
    page.emulate_media(media="print")
    page.evaluate("window.dispatchEvent(new Event('beforeprint'))")
    source = page.locator(".print-source")
    assert source.is_visible()
    text = source.inner_text()
    assert page.title().split(" - ")[-1] in text  # the site's name
    assert site_url + article.url in text
    assert "打印日期：2030-01-03" in text
    for hidden in ("#a11y-toolbar", ".share", ".print-button", ".site-header"):
        assert page.locator(hidden).first.is_hidden(), hidden
    reader.close()
