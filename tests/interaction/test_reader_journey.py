"""互动交流 as a reader meets it, in a real browser (Debian's Chromium) under the site's own
headers and Content-Security-Policy: on a phone a reader sends a message, answering the question
the page asks (read here from the captcha app's table, as the server reads it), gets the 受理编号
and the 查询码 and looks the message up; the same without JavaScript at 320 pixels; a 纠错 sent
from an article's footer carries the article's address and the words selected on it. Each new
page passes axe (every rule) and the Nu HTML Checker."""

import re
from pathlib import Path

import pytest
from captcha.models import CaptchaStore

from interaction.models import ChannelPage, Kind, Message
from tests.chromium import AXE, CHROMIUM, RECORD_POLICY_VIOLATIONS, axe_violations
from tests.demo_site import load_demo_site
from tests.nu_checker import nu_errors

pytestmark = [
    pytest.mark.skipif(
        not Path(CHROMIUM).exists(), reason="needs Debian's chromium (apt-get install chromium)"
    ),
    pytest.mark.django_db(transaction=True),
]

PHONE = {"width": 360, "height": 740}
CONTENT = "周末来办事的党员较多，建议开放到下午五点。😀"


@pytest.fixture
def site_url(live_server, settings):
    load_demo_site()
    settings.INTERACTION_MIN_FILL_SECONDS = 0
    return live_server.url


@pytest.fixture
def channel(site_url):
    return ChannelPage.objects.live().first()


def open_page(browser, **options):
    context = browser.new_context(locale="zh-CN", **options)
    page = context.new_page()
    page.add_init_script(RECORD_POLICY_VIOLATIONS)
    errors = []
    page.on("pageerror", lambda error: errors.append(f"script: {error}"))
    page.on("console", lambda message: message.type == "error" and errors.append(message.text))
    return context, page, errors


def problems_on(page, errors):
    found = list(errors)
    found += page.evaluate("window.__problems || []")
    if AXE.exists():
        found += [
            f"axe {violation['id']}: {violation['help']} — {violation['targets']}"
            for violation in axe_violations(page)
        ]
    return found


def answer_the_question(page):
    key = page.locator('input[name="captcha_key"]').get_attribute("value")
    return CaptchaStore.objects.get(hashkey=key).response


def fill_message(page):
    page.get_by_label("建议", exact=True).check()
    page.locator("#id_title").fill("建议延长党群服务中心周末开放时间")
    page.locator("#id_content").fill(CONTENT)
    page.locator("#id_name").fill("王五")
    page.locator("#id_phone").fill("13700000000")
    page.locator("#id_consent_public").check()
    page.locator("#id_agree_privacy").check()
    page.locator("#id_captcha_answer").fill(answer_the_question(page))


def fits(page, width):
    return page.evaluate("document.documentElement.scrollWidth") <= width


def sent_receipt(page):
    number = page.locator("#receipt-number").inner_text()
    code = page.locator("#receipt-code").inner_text().replace(" ", "")
    return number, code


def test_a_reader_on_a_phone_sends_a_message_and_looks_it_up(browser, site_url, channel, tmp_path):
    context, page, errors = open_page(browser, viewport=PHONE)
    problems, sources = [], {}
    first = page.goto(site_url + channel.url)
    sources["channel"] = first.text()
    assert fits(page, PHONE["width"])
    problems += [f"channel: {p}" for p in problems_on(page, errors)]
    # The 无障碍 toolbar's largest text still fits the phone.
    page.get_by_role("button", name="无障碍").click()
    page.get_by_role("button", name="大", exact=True).click()
    page.get_by_role("button", name="无障碍").click()
    assert fits(page, PHONE["width"])
    fill_message(page)
    # Counted as the server counts: the emoji is one character.
    assert page.locator("[data-count]").inner_text() == str(len(CONTENT))
    with page.expect_response(lambda answer: answer.request.method == "POST") as posted:
        page.get_by_role("button", name="提交留言").click()
    sources["sent"] = posted.value.text()
    page.wait_for_selector("#receipt-code")
    number, code = sent_receipt(page)
    assert len(code) == 10 and fits(page, PHONE["width"])
    assert page.get_by_role("button", name="打印").is_visible()
    problems += [f"sent: {p}" for p in problems_on(page, errors)]
    message = Message.objects.get(number=number)
    assert message.channel_id == channel.pk and message.title == "建议延长党群服务中心周末开放时间"

    answer = page.goto(site_url + "/hudong/chaxun/")
    sources["lookup"] = answer.text()
    problems += [f"lookup: {p}" for p in problems_on(page, errors)]
    page.get_by_label("受理编号").fill(number)
    page.get_by_label("查询码").fill(code.lower())
    with page.expect_response(lambda answer: answer.request.method == "POST") as posted:
        page.get_by_role("button", name="查询", exact=True).click()
    sources["lookup-result"] = posted.value.text()
    page.wait_for_selector(".lookup-result")
    assert "待受理" in page.locator(".lookup-status").inner_text()
    assert fits(page, PHONE["width"])
    problems += [f"lookup result: {p}" for p in problems_on(page, errors)]
    context.close()
    assert problems == [], "\n".join(problems)
    assert_valid_html(sources, tmp_path)


def test_without_javascript_at_320_pixels_a_refused_form_keeps_what_was_typed(
    browser, site_url, channel
):
    context = browser.new_context(
        java_script_enabled=False, viewport={"width": 320, "height": 700}, locale="zh-CN"
    )
    page = context.new_page()
    page.goto(site_url + channel.url)
    assert fits(page, 320)
    fill_message(page)
    page.locator("#id_captcha_answer").fill("999")
    page.get_by_role("button", name="提交留言").click()
    page.wait_for_selector(".form-alert")
    assert "验证题的答案不对" in page.locator(".form-alert").inner_text()
    assert page.locator("#id_title").input_value() == "建议延长党群服务中心周末开放时间"
    assert fits(page, 320)
    page.locator("#id_agree_privacy").check()
    page.locator("#id_captcha_answer").fill(answer_the_question(page))
    page.get_by_role("button", name="提交留言").click()
    page.wait_for_selector("#receipt-code")
    assert Message.objects.filter(number=sent_receipt(page)[0]).exists()
    assert fits(page, 320)
    context.close()


def test_a_correction_from_an_article_footer_carries_its_address_and_selection(
    browser, site_url, tmp_path
):
    from news.models import ArticlePage

    article = ArticlePage.objects.live().first()
    context, page, errors = open_page(browser, viewport=PHONE)
    page.goto(site_url + article.url)
    page.evaluate(
        "() => window.getSelection().selectAllChildren(document.querySelector('main h1'))"
    )
    link = page.locator("[data-correction-link]")
    page.wait_for_function(
        "() => document.querySelector('[data-correction-link]').href.includes('text=')"
    )
    with page.expect_response(lambda answer: "/hudong/jiucuo/" in answer.url) as opened:
        link.click()
    sources = {"correction": opened.value.text()}
    page.wait_for_selector("#id_page_url")
    assert page.locator("#id_page_url").input_value() == article.url
    selected = page.locator("#id_selected_text").input_value()
    assert selected == article.title
    problems = [f"correction: {p}" for p in problems_on(page, errors)]
    page.get_by_label("错别字", exact=True).check()
    page.locator("#id_content").fill("标题中有错别字。")
    page.locator("#id_captcha_answer").fill(answer_the_question(page))
    page.get_by_role("button", name="提交纠错").click()
    page.wait_for_selector("#receipt-code")
    message = Message.objects.get(number=sent_receipt(page)[0])
    assert message.kind == Kind.CORRECTION
    assert (message.page_url, message.selected_text) == (article.url, article.title)
    context.close()
    assert problems == [], "\n".join(problems)
    assert_valid_html(sources, tmp_path)


def assert_valid_html(sources, folder):
    errors = nu_errors(sources, folder)
    assert errors == [], "\n".join(errors)
    assert re.search(r"<h1>", sources[next(iter(sources))])


def test_refused_forms_and_a_replied_message_pass_axe_and_the_checker(
    browser, site_url, channel, tmp_path, django_user_model
):
    from wagtail.models import Site

    from interaction import workflow
    from tests.interaction.conftest import send

    staff = django_user_model.objects.create_superuser("banli", password="pw-for-tests")
    message, code = send(Site.objects.get(is_default_site=True), channel)
    workflow.accept(message, staff)
    workflow.submit_reply(message, staff, "周末开放，时间为9:00至17:00。", "组织部")
    workflow.approve(message, staff, publishable=True)

    context, page, errors = open_page(browser, viewport=PHONE)
    sources, problems = {}, []

    def posted_by(button, name):
        with page.expect_response(lambda answer: answer.request.method == "POST") as posted:
            page.get_by_role("button", name=button, exact=True).click()
        sources[name] = posted.value.text()
        page.wait_for_load_state()
        assert fits(page, PHONE["width"]), name
        problems.extend(f"{name}: {p}" for p in problems_on(page, errors))

    page.goto(site_url + channel.url)
    posted_by("提交留言", "refused-message")
    assert page.locator(".form-alert").is_visible()
    page.goto(site_url + "/hudong/jiucuo/")
    posted_by("提交纠错", "refused-correction")
    page.goto(site_url + "/hudong/chaxun/")
    posted_by("查询", "refused-lookup")
    page.locator("#id_number").fill(message.number)
    page.locator("#id_code").fill(code)
    posted_by("查询", "replied")
    assert "组织部" in page.locator(".lookup-reply").inner_text()
    posted_by("提交评价", "refused-rating")
    assert "请选择满意度" in page.locator(".form-alert").inner_text()
    page.get_by_label("满意", exact=True).check()
    posted_by("提交评价", "rated")
    assert "感谢您的评价" in page.locator("main").inner_text()
    context.close()
    assert problems == [], "\n".join(problems)
    assert_valid_html(sources, tmp_path)
