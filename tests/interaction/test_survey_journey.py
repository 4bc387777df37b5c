"""A reader's 征集 in Debian's Chromium, under the public Content-Security-Policy the site sends
(no inline script or style): answering once, a second answer refused, and after the editors
publish the results, the chart and its table. The open form and the results pass axe with every
rule it runs by default and the Nu HTML Checker, and read at 320 px."""

from datetime import timedelta
from pathlib import Path

import pytest
from django.test import Client
from django.utils import timezone

from interaction.surveys import SurveyAnswer, SurveyPage
from news.sitetree import add_published
from stack.raw_http import CHROME_UA
from tests.chromium import AXE, CHROMIUM, RECORD_POLICY_VIOLATIONS, axe_violations
from tests.interaction.test_surveys import questions
from tests.nu_checker import nu_errors
from tests.site.test_admin_journeys import screenshot

pytestmark = [
    pytest.mark.skipif(
        not Path(CHROMIUM).exists(), reason="needs Debian's chromium (apt-get install chromium)"
    ),
    pytest.mark.skipif(not AXE.exists(), reason="needs `npm ci` (node_modules/axe-core)"),
    pytest.mark.django_db(transaction=True),
]


@pytest.fixture
def survey(site, settings):
    settings.INTERACTION_MIN_FILL_SECONDS = 0
    now = timezone.now()
    return add_published(
        site.root_page.specific,
        SurveyPage(
            title="学习形式意见征集",
            slug="survey",
            intro="<p>请花一分钟告诉我们您的想法。</p>",
            starts_at=now - timedelta(days=1),
            ends_at=now + timedelta(days=1),
            questions=questions(),
        ),
    )


def open_page(context, url):
    page = context.new_page()
    problems = []
    page.add_init_script(RECORD_POLICY_VIOLATIONS)
    page.on("console", lambda m: m.type == "error" and problems.append(f"console: {m.text}"))
    page.on("pageerror", lambda error: problems.append(f"script: {error}"))
    page.goto(url)
    return page, problems


def recorded(page, problems):
    return problems + page.evaluate("window.__problems || []")


def all_axe_violations(page):
    return [
        f"{violation['id']}: {violation['help']} — {violation['targets']}"
        for violation in axe_violations(page)
    ]


def test_a_survey_is_answered_once_per_reader_and_its_results_show_as_a_chart(
    browser, live_server, survey, tmp_path
):
    url = live_server.url + survey.url
    context = browser.new_context(locale="zh-CN", user_agent=CHROME_UA)
    page, problems = open_page(context, url)
    policy = page.evaluate(
        "() => fetch(location.href).then(r => r.headers.get('content-security-policy'))"
    )
    assert "style-src 'self'" in policy and "unsafe-inline" not in policy
    # A second tab holding the same form, to try again once the first is sent.
    second, second_problems = open_page(context, url)

    problems += [f"open form: {v}" for v in all_axe_violations(page)]
    page.get_by_label("线上学习").check()
    page.get_by_label("周一").check()
    page.get_by_label("周六").check()
    page.get_by_label("意见建议").fill("希望多安排周末的活动。")
    page.get_by_role("button", name="提交答卷").click()
    assert page.get_by_role("status").inner_text() == "感谢参与，您的答卷已提交。"
    assert SurveyAnswer.objects.get().answers["days"] == ["周一", "周六"]

    second.get_by_label("集中学习").check()
    second.get_by_role("button", name="提交答卷").click()
    assert "每位读者只能提交一次" in second.get_by_role("alert").inner_text()
    assert SurveyAnswer.objects.count() == 1
    # Another day, the same browser: the form is no longer offered.
    page.goto(url)
    assert "您已经提交过" in page.get_by_role("status").inner_text()
    assert page.get_by_role("button", name="提交答卷").count() == 0

    # The 征集 ends; the editors publish its results.
    survey.ends_at = timezone.now() - timedelta(minutes=1)
    survey.results_published = True
    survey.adoption = "<p>周末活动的建议已采纳。</p>"
    survey.save_revision().publish()
    phone = browser.new_context(locale="zh-CN", viewport={"width": 320, "height": 800})
    results, results_problems = open_page(phone, url)
    assert "已于" in results.locator(".survey-notice").inner_text()
    chart = results.get_by_role("img", name="您喜欢哪种学习形式？：各选项人数")
    assert chart.is_visible()
    assert chart.locator("rect.survey-chart__bar").count() == 3
    assert chart.locator("desc").text_content().startswith("共1人回答。")
    bar = chart.locator("rect.survey-chart__bar").nth(1)
    assert bar.evaluate("bar => getComputedStyle(bar).fill") == "rgb(166, 27, 27)"
    table = results.get_by_role("table", name="您喜欢哪种学习形式？（共1人回答）")
    assert table.get_by_role("row", name="线上学习 1 100%").is_visible()
    assert results.get_by_role("heading", name="采纳情况").is_visible()
    screenshot(results, "interaction-survey-results-phone", chart)
    assert results.evaluate("document.documentElement.scrollWidth") <= 320
    problems += [f"results: {v}" for v in all_axe_violations(results)]

    # The refused second answer is a 403, which Chromium's console reports as such.
    refused = "console: Failed to load resource: the server responded with a status of 403"
    second_problems = [p for p in second_problems if not p.startswith(refused)]
    problems += recorded(page, []) + recorded(second, second_problems)
    problems += recorded(results, results_problems)
    context.close()
    phone.close()
    assert problems == [], "\n".join(problems)


def test_the_open_survey_reads_at_320_pixels_without_javascript(browser, live_server, survey):
    context = browser.new_context(
        java_script_enabled=False, viewport={"width": 320, "height": 800}, locale="zh-CN"
    )
    page = context.new_page()
    page.goto(live_server.url + survey.url)
    assert page.evaluate("document.documentElement.scrollWidth") <= 320
    page.get_by_role("button", name="提交答卷").click()  # nothing chosen
    assert page.locator("#id_q-colour-error").inner_text() == "请回答此题。"
    context.close()


def test_the_open_form_and_the_results_are_valid_html(survey, tmp_path):
    reader = Client(HTTP_USER_AGENT=CHROME_UA)
    documents = {"open": reader.get(survey.url).content}
    documents["refused"] = reader.post(survey.url, {"q-advice": "x" * 2000}).content
    SurveyAnswer.objects.create(
        site=survey.get_site(), survey=survey, reader_key="a", answers={"colour": "线上学习"}
    )
    survey.ends_at = timezone.now() - timedelta(minutes=1)
    survey.results_published = True
    survey.adoption = "<p>已采纳。</p>"
    survey.save_revision().publish()
    documents["results"] = Client().get(survey.url).content
    assert nu_errors(documents, tmp_path) == []
