"""相关阅读 as a reader on a phone meets it: under the demo's 述职评议 notice at 320 pixels, a
labelled region of links with their dates, nothing scrolling sideways, nothing axe-core finds
wrong, no policy violation and no console error."""

from pathlib import Path

import pytest

from tests.chromium import AXE, CHROMIUM, RECORD_POLICY_VIOLATIONS, axe_violations
from tests.demo_site import load_demo_site
from tests.site.test_admin_journeys import screenshot

pytestmark = [
    pytest.mark.skipif(
        not Path(CHROMIUM).exists(), reason="needs Debian's chromium (apt-get install chromium)"
    ),
    pytest.mark.skipif(not AXE.exists(), reason="needs `npm ci` (node_modules/axe-core)"),
    pytest.mark.django_db(transaction=True),
]


def test_related_reading_reads_at_320_pixels(browser, live_server):
    from news.importing.demo_documents import NOTICE_TITLE
    from news.models import ArticlePage
    from news.related.reading import related_articles

    load_demo_site()
    notice = ArticlePage.objects.live().get(title=NOTICE_TITLE)
    related = related_articles(notice)
    assert related, "the demo's notice shares its 专题 with other articles"
    context = browser.new_context(viewport={"width": 320, "height": 800}, locale="zh-CN")
    page = context.new_page()
    page.add_init_script(RECORD_POLICY_VIOLATIONS)
    errors = []
    page.on("console", lambda message: message.type == "error" and errors.append(message.text))
    page.goto(live_server.url + notice.url)
    region = page.get_by_role("region", name="相关阅读")
    region.scroll_into_view_if_needed()
    assert region.is_visible()
    links = region.get_by_role("link")
    assert links.all_inner_texts() == [link["title"] for link in related]
    assert region.locator("time").count() == len(related)
    assert page.evaluate("document.documentElement.scrollWidth") <= 320
    screenshot(page, "related-reading-phone", showing=region)
    for link in links.all():
        assert link.bounding_box()["width"] <= 320
    assert axe_violations(page) == []
    assert page.evaluate("window.__problems") == []
    assert errors == []
    context.close()
