"""站内搜索's 排序 and 时间范围 as a reader on a phone meets them: Debian's Chromium at 320 pixels
under the public site's Content-Security-Policy, the form filled in through its labels and
submitted with its button, with JavaScript and again without; every policy violation, violation
report and script error recorded and failing the test, and axe-core's WCAG AA checks run on the
results and on the error message."""

import re
from datetime import date
from pathlib import Path

import pytest

from tests.chromium import CHROMIUM, RECORD_POLICY_VIOLATIONS, NetworkQuiet, axe_violations
from tests.demo_site import load_demo_site
from tests.site.test_admin_journeys import screenshot

pytestmark = [
    pytest.mark.skipif(
        not Path(CHROMIUM).exists(), reason="needs Debian's chromium (apt-get install chromium)"
    ),
    pytest.mark.django_db(transaction=True),
]

WIDTH = 320
WCAG_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
# WCAG 2.5.5's target size, which the site keeps for its older readers.
TAP_TARGET_PX = 44
FIRST_DAY, LAST_DAY = "2024-01-01", "2026-12-31"


@pytest.fixture
def site_url(live_server):
    load_demo_site()
    return live_server.url


class Reader:
    """A 320-pixel tab with its problems written down: policy violations (as the page sees them,
    when it runs scripts), reports sent to the site's report address, and console errors."""

    def __init__(self, browser, base_url, javascript):
        self.context = browser.new_context(
            viewport={"width": WIDTH, "height": 800},
            locale="zh-CN",
            timezone_id="Asia/Shanghai",
            java_script_enabled=javascript,
        )
        self.javascript = javascript
        self.context.add_init_script(RECORD_POLICY_VIOLATIONS)
        self.page = self.context.new_page()
        self.network = NetworkQuiet(self.page)
        self.problems = []
        self.page.on("pageerror", lambda error: self.problems.append(f"script: {error}"))
        self.page.on(
            "console",
            lambda message: message.type == "error" and self.problems.append(message.text),
        )
        self.page.on(
            "request",
            lambda request: "csp" in request.url and self.problems.append(f"report: {request.url}"),
        )
        self.base_url = base_url

    def goto(self, path):
        self.page.goto(self.base_url + path, wait_until="load")
        assert self.network.wait()

    def search(self):
        with self.page.expect_navigation(wait_until="load"):
            self.page.locator("form.search-filters").get_by_role("button", name="搜索").click()
        assert self.network.wait()

    def check(self):
        """No problem recorded, the page no wider than the phone, every control a finger's
        width tall, and nothing axe-core finds against WCAG AA."""
        page = self.page
        if self.javascript:
            self.problems += page.evaluate("window.__problems")
        assert self.problems == []
        assert page.evaluate("document.documentElement.scrollWidth") <= WIDTH
        form = page.locator("form.search-filters")
        for control in form.locator("input:not([type=radio]), select, button, label").all():
            box = control.bounding_box()
            assert box["height"] >= TAP_TARGET_PX or control.evaluate(
                "element => element.tagName === 'LABEL' && !!element.htmlFor"
            ), control.evaluate("element => element.outerHTML")
            assert box["x"] >= 0 and box["x"] + box["width"] <= WIDTH
        if self.javascript:
            found = axe_violations(page, runOnly={"type": "tag", "values": WCAG_AA})
            assert found == []

    def result_days(self):
        return [
            date.fromisoformat(value[:10])
            for value in self.page.locator(".search-results time").evaluate_all(
                "times => times.map(time => time.getAttribute('datetime'))"
            )
        ]

    def close(self):
        self.context.close()


@pytest.mark.parametrize("javascript", [True, False], ids=["javascript", "no-javascript"])
def test_sort_by_date_within_a_custom_range_at_320_pixels(browser, site_url, javascript):
    reader = Reader(browser, site_url, javascript)
    page = reader.page
    reader.goto("/search/")

    page.get_by_label("关键词").fill("党建")
    page.get_by_label("时间", exact=True).check()  # the 排序 radio button, by its label
    if javascript:
        # Picking a day chooses 自定义 (static/js/site.js).
        page.get_by_label("开始日期").fill(FIRST_DAY)
        assert page.get_by_label("时间范围").input_value() == "custom"
    else:
        # Without the script the reader chooses 自定义 (or not: a date alone is a range too).
        page.get_by_label("开始日期").fill(FIRST_DAY)
    page.get_by_label("结束日期").fill(LAST_DAY)
    reader.search()

    assert f"from={FIRST_DAY}" in page.url and f"to={LAST_DAY}" in page.url
    assert "sort=date" in page.url
    count = page.locator(".search-count").inner_text()
    total = int(re.search(r"共找到 (\d+) 篇", count).group(1))
    assert f"{FIRST_DAY} 至 {LAST_DAY}" in count and "按时间排序" in count
    days = reader.result_days()
    assert total > len(days) == 10  # more than a page: the next page must keep the filters
    assert days == sorted(days, reverse=True)
    assert all(date(2024, 1, 1) <= day <= date(2026, 12, 31) for day in days)
    # The results mark the words, and the form shows what was chosen.
    assert page.locator(".search-results h2 mark").first.inner_text() == "党建"
    assert page.get_by_label("时间", exact=True).is_checked()
    assert page.get_by_label("时间范围").input_value() == "custom"
    assert page.get_by_label("开始日期").input_value() == FIRST_DAY
    reader.check()
    if javascript:
        screenshot(page, "search-filters-phone", showing=page.locator(".search-count"))

    # 下一页 keeps every choice.
    with page.expect_navigation(wait_until="load"):
        page.get_by_role("link", name="下一页").click()
    assert reader.network.wait()
    assert "page=2" in page.url
    more = reader.result_days()
    assert more and more == sorted(more, reverse=True) and more[0] <= days[-1]
    assert all(date(2024, 1, 1) <= day for day in more)
    assert f"共找到 {total} 篇" in page.locator(".search-count").inner_text()
    assert page.get_by_label("结束日期").input_value() == LAST_DAY
    assert page.get_by_label("时间", exact=True).is_checked()

    # 近一年, sorted by 相关度: the preset replaces the dates.
    page.get_by_label("相关度").check()
    page.get_by_label("时间范围").select_option(label="近一年")
    if javascript:
        page.get_by_label("开始日期").fill("")
        page.get_by_label("结束日期").fill("")
    reader.search()
    assert "period=year" in page.url and "sort=relevance" in page.url
    assert page.get_by_label("相关度").is_checked()
    assert page.get_by_label("时间范围").input_value() == "year"
    if not javascript:
        assert "已按“近一年”筛选，未使用填写的日期" in page.get_by_role("alert").inner_text()
    reader.check()
    reader.close()


@pytest.mark.parametrize("javascript", [True, False], ids=["javascript", "no-javascript"])
def test_a_reversed_range_is_explained_and_the_search_still_runs(browser, site_url, javascript):
    reader = Reader(browser, site_url, javascript)
    page = reader.page
    reader.goto("/search/")
    page.get_by_label("关键词").fill("党建")
    page.get_by_label("时间范围").select_option(label="自定义")
    page.get_by_label("开始日期").fill("2026-01-01")
    page.get_by_label("结束日期").fill("2025-01-01")
    reader.search()
    alert = page.get_by_role("alert")
    assert alert.inner_text().strip() == (
        "开始日期（2026-01-01）晚于结束日期（2025-01-01），请重新选择；本次搜索不限时间。"
    )
    # Above the form, where a phone's first screen shows it; the dates kept to be corrected.
    form_box = page.locator("form.search-filters").bounding_box()
    assert alert.bounding_box()["y"] < form_box["y"] and alert.is_visible()
    assert page.get_by_label("开始日期").input_value() == "2026-01-01"
    assert page.get_by_label("结束日期").input_value() == "2025-01-01"
    assert page.locator(".search-results li").count() == 10
    reader.check()
    reader.close()
