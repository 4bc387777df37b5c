"""征集调查 (interaction/surveys.py, survey_forms.py, survey_admin.py): one answer per reader,
closed outside its dates, what an attacker posts refused in Chinese and never a 500, the results
counted and drawn, the page cache kept off the open form, and the exports safe to open in Excel."""

import csv
import io
from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone
from openpyxl import load_workbook

from core.keyed import keyed_hash
from interaction import survey_forms
from interaction.demo_survey import DEMO_SLUG, TOPIC_COUNTS, ensure_demo_survey
from interaction.surveys import SurveyAnswer, SurveyPage
from news.serving.pagecache import is_cacheable
from news.sitetree import add_published
from stack.raw_http import CHROME_UA

pytestmark = [pytest.mark.django_db, pytest.mark.engine_dependent]

FIREFOX_UA = "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0"


def questions():
    return [
        {
            "type": "question",
            "id": "colour",
            "value": {
                "kind": "single",
                "question": "您喜欢哪种学习形式？",
                "options": ["集中学习", "线上学习", "实地参观"],
                "required": True,
            },
        },
        {
            "type": "question",
            "id": "days",
            "value": {
                "kind": "multiple",
                "question": "哪些时间方便参加？",
                "options": ["周一", "周三", "周六"],
                "required": False,
            },
        },
        {
            "type": "question",
            "id": "advice",
            "value": {"kind": "text", "question": "意见建议", "options": [], "required": False},
        },
    ]


def make_survey(home, starts=-1, ends=1, **fields):
    now = timezone.now()
    fields.setdefault("slug", "survey")
    return add_published(
        home,
        SurveyPage(
            title="学习形式意见征集",
            starts_at=now + timedelta(days=starts),
            ends_at=now + timedelta(days=ends),
            questions=questions(),
            **fields,
        ),
    )


@pytest.fixture(autouse=True)
def _no_minimum_fill_time(settings):
    settings.INTERACTION_MIN_FILL_SECONDS = 0


@pytest.fixture
def survey(home):
    return make_survey(home)


def answer(client, survey, **fields):
    data = {"shown": survey_forms.shown_token(survey), **fields}
    return client.post(survey.url, data, REMOTE_ADDR="203.0.113.7")


def good(**extra):
    return {"q-colour": "线上学习", "q-days": ["周六", "周一"], "q-advice": "很好", **extra}


def page_text(response):
    return response.content.decode()


def test_a_reader_answers_once_and_a_second_answer_is_refused_in_chinese(survey):
    reader = Client(HTTP_USER_AGENT=CHROME_UA)
    response = answer(reader, survey, **good())
    assert response.status_code == 302 and response["Location"].endswith("?submitted=1")
    assert "感谢参与" in page_text(reader.get(response["Location"]))
    kept = SurveyAnswer.objects.get()
    assert kept.answers == {"colour": "线上学习", "days": ["周一", "周六"], "advice": "很好"}
    assert kept.site_id == survey.get_site().pk
    assert "203.0.113" not in kept.reader_key and len(kept.reader_key) == 40

    again = answer(reader, survey, **good(**{"q-colour": "集中学习"}))
    assert again.status_code == 403
    assert survey_forms.ALREADY_ANSWERED in page_text(again)
    assert SurveyAnswer.objects.count() == 1
    assert SurveyAnswer.objects.get().answers["colour"] == "线上学习"


def test_the_same_reader_without_the_cookie_is_still_known_by_the_keyed_hash(survey):
    answer(Client(HTTP_USER_AGENT=CHROME_UA), survey, **good())
    fresh = Client(HTTP_USER_AGENT=CHROME_UA)  # cookies cleared
    assert answer(fresh, survey, **good()).status_code == 403
    # The form is not offered again on the page either.
    shown = fresh.get(survey.url, REMOTE_ADDR="203.0.113.7")
    assert survey_forms.ALREADY_ANSWERED in page_text(shown)
    assert 'name="q-colour"' not in page_text(shown)
    # Another browser at the same address is another reader.
    assert answer(Client(HTTP_USER_AGENT=FIREFOX_UA), survey, **good()).status_code == 302
    assert SurveyAnswer.objects.count() == 2


def test_the_signed_cookie_recognises_a_reader_whose_address_changed(survey):
    reader = Client(HTTP_USER_AGENT=CHROME_UA)
    answer(reader, survey, **good())
    moved = reader.post(
        survey.url,
        {"shown": survey_forms.shown_token(survey), **good()},
        REMOTE_ADDR="198.51.100.20",
    )
    assert moved.status_code == 403 and SurveyAnswer.objects.count() == 1


def test_the_reader_key_is_the_shared_keyed_hash_of_the_address_block(survey, rf):
    request = rf.get("/", REMOTE_ADDR="2001:db8:1:2::5", HTTP_USER_AGENT=CHROME_UA)
    neighbour = rf.get("/", REMOTE_ADDR="2001:db8:1:2::99", HTTP_USER_AGENT=CHROME_UA)
    key = survey_forms.reader_key(request, survey)
    assert key == survey_forms.reader_key(neighbour, survey)  # one /64, one subscriber
    assert key == keyed_hash("survey", str(survey.pk), "2001:db8:1:2::/64", CHROME_UA)


@pytest.mark.parametrize(
    ("starts", "ends", "words"),
    [(1, 2, "本次征集尚未开始，将于"), (-2, -1, "本次征集已结束，已于")],
)
def test_outside_its_dates_a_survey_says_so_and_a_post_changes_nothing(home, starts, ends, words):
    survey = make_survey(home, starts, ends)
    reader = Client(HTTP_USER_AGENT=CHROME_UA)
    shown = reader.get(survey.url)
    assert shown.status_code == 200 and words in page_text(shown)
    assert 'name="q-colour"' not in page_text(shown)
    refused = answer(reader, survey, **good())
    assert refused.status_code == 403
    assert words in page_text(refused) and 'role="alert"' in page_text(refused)
    assert not SurveyAnswer.objects.exists()


def test_a_missing_required_answer_comes_back_filled_in_with_a_chinese_message(survey):
    response = answer(Client(), survey, **{"q-days": ["周三"], "q-advice": "保留这段话"})
    text = page_text(response)
    assert response.status_code == 400
    assert survey_forms.REQUIRED in text
    assert 'aria-describedby="id_q-colour-error"' in text and 'id="id_q-colour-error"' in text
    assert 'value="周三" checked' in text and "保留这段话" in text
    assert not SurveyAnswer.objects.exists()


@pytest.mark.parametrize(
    "fields",
    [
        {"q-colour": "不存在的选项"},
        {"q-colour": "线上学习", "q-days": ["周日"]},
        {"q-colour": ["线上学习", "集中学习", {"x": 1}]},
        {"q-colour": "线上学习", "q-advice": "长" * 5000},
        {"q-colour": "线上学习", "q-advice": "a\x00b"},
        {"q-colour": "<script>alert(1)</script>"},
    ],
)
def test_what_the_form_does_not_offer_is_refused_in_chinese_never_a_500(survey, fields):
    response = answer(Client(), survey, **fields)
    assert response.status_code == 400
    assert "请" in page_text(response)
    assert "<script>alert(1)</script>" not in page_text(response)
    assert not SurveyAnswer.objects.exists()


def test_a_multiple_choice_posted_twice_over_counts_each_option_once(survey):
    answer(Client(), survey, **{"q-colour": "集中学习", "q-days": ["周六", "周六", "周一"]})
    assert SurveyAnswer.objects.get().answers["days"] == ["周一", "周六"]


def test_fields_the_reader_cannot_set_are_ignored(survey, home):
    other = make_survey(home, slug="other")
    hidden = {"site": 999, "survey": other.pk, "reader_key": "x" * 40, "created_at": "2000-01-01"}
    Client().post(survey.url, {"shown": survey_forms.shown_token(survey), **good(), **hidden})
    kept = SurveyAnswer.objects.get()
    assert kept.survey_id == survey.pk and kept.site_id == survey.get_site().pk
    assert kept.reader_key != "x" * 40 and kept.created_at.year > 2000


def test_robots_are_refused_by_the_trap_field_the_fill_time_and_a_forged_time(survey, settings):
    reader = Client()
    trapped = answer(reader, survey, website="http://spam.example", **good())
    assert trapped.status_code == 400 and survey_forms.TOO_FAST in page_text(trapped)
    settings.INTERACTION_MIN_FILL_SECONDS = 60
    quick = answer(reader, survey, **good())
    assert survey_forms.TOO_FAST in page_text(quick)
    assert 'value="线上学习" checked' in page_text(quick)  # filled in again
    settings.INTERACTION_MIN_FILL_SECONDS = 0
    forged = reader.post(survey.url, {"shown": "1000", **good()})
    assert forged.status_code == 400 and survey_forms.EXPIRED in page_text(forged)
    assert not SurveyAnswer.objects.exists()


def test_one_address_may_send_only_so_many_answers(survey, settings):
    settings.INTERACTION_SURVEY_RATE = "2/h"
    statuses = [
        answer(Client(HTTP_USER_AGENT=f"{CHROME_UA} {n}"), survey, **good()).status_code
        for n in range(3)
    ]
    assert statuses == [302, 302, 429]


def test_a_reader_over_the_limit_gets_the_form_back_filled_in_with_why(survey, settings):
    settings.INTERACTION_SURVEY_RATE = "1/h"
    answer(Client(HTTP_USER_AGENT=CHROME_UA), survey, **good())
    limited = answer(Client(HTTP_USER_AGENT=FIREFOX_UA), survey, **good(**{"q-advice": "别丢"}))
    text = page_text(limited)
    assert limited.status_code == 429 and limited["Retry-After"] == "3600"
    assert survey_forms.TOO_OFTEN in text
    assert 'value="线上学习" checked' in text and "别丢" in text
    assert SurveyAnswer.objects.count() == 1


def test_a_new_user_agent_for_each_answer_gets_only_so_many_answers_from_one_address(
    survey, settings
):
    settings.INTERACTION_SURVEY_PER_ADDRESS = 3
    statuses = [
        answer(Client(HTTP_USER_AGENT=f"curl/8.{n}"), survey, **good()).status_code
        for n in range(5)
    ]
    assert statuses == [302, 302, 302, 403, 403]
    assert SurveyAnswer.objects.count() == 3
    refused = answer(Client(HTTP_USER_AGENT="curl/9"), survey, **good())
    assert survey_forms.ADDRESS_FULL in page_text(refused)
    assert 'value="线上学习" checked' in page_text(refused)  # what was chosen, kept
    shown = Client(HTTP_USER_AGENT="curl/10").get(survey.url, REMOTE_ADDR="203.0.113.7")
    assert survey_forms.ADDRESS_FULL in page_text(shown)
    # Neither an address nor a browser is kept; another address answers as usual.
    kept = SurveyAnswer.objects.first()
    assert len(kept.address_key) == 40 and "203.0.113" not in kept.address_key
    other = Client(HTTP_USER_AGENT="curl/8.0")
    data = {"shown": survey_forms.shown_token(survey), **good()}
    assert other.post(survey.url, data, REMOTE_ADDR="198.51.100.20").status_code == 302


def test_the_open_form_is_never_kept_by_the_page_cache_and_the_results_may_be(home):
    open_survey = make_survey(home)
    not_yet = make_survey(home, 1, 2, slug="later")
    ended = make_survey(home, -2, -1, slug="ended", results_published=True)
    reader = Client(HTTP_USER_AGENT=CHROME_UA)
    assert not is_cacheable(reader.get(open_survey.url))
    assert not is_cacheable(reader.get(not_yet.url))
    assert is_cacheable(reader.get(ended.url))


def test_published_results_show_counts_per_option_as_a_chart_and_a_table(home):
    survey = make_survey(
        home, -2, -1, results_published=True, adoption="<p>已采纳线上学习的建议。</p>"
    )
    for number, (colour, days) in enumerate(
        [("线上学习", ["周一"]), ("线上学习", ["周一", "周六"]), ("实地参观", [])]
    ):
        SurveyAnswer.objects.create(
            site=survey.get_site(),
            survey=survey,
            reader_key=str(number),
            answers={"colour": colour, "days": days, "advice": "写的意见"},
        )
    results = {result.id: result for result in survey.results}
    assert results["colour"].rows == [("集中学习", 0, 0), ("线上学习", 2, 67), ("实地参观", 1, 33)]
    assert results["days"].answered == 2
    assert results["days"].rows == [("周一", 2, 100), ("周三", 0, 0), ("周六", 1, 50)]
    assert results["advice"].written == 3

    text = page_text(Client().get(survey.url))
    assert text.count('<svg class="survey-chart" role="img"') == 2
    assert 'aria-labelledby="chart-1-title chart-1-desc"' in text
    assert "线上学习：2人，占67%" in text  # the chart's <desc>
    assert '<th scope="row">线上学习</th><td>2</td><td>67%</td>' in text
    assert "采纳情况" in text and "已采纳线上学习的建议。" in text
    assert "写的意见" not in text  # written answers are for the editors
    assert "style=" not in text.split('<svg class="survey-chart"', 1)[1].split("</svg>")[0]


def test_an_ended_surveys_results_are_counted_once_whatever_the_query_string(home):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    survey = make_survey(home, -2, -1, results_published=True)
    SurveyAnswer.objects.create(
        site=survey.get_site(), survey=survey, reader_key="a", answers={"colour": "线上学习"}
    )
    reader = Client()
    assert "线上学习：1人，占100%" in page_text(reader.get(f"{survey.url}?x=1"))
    with CaptureQueriesContext(connection) as queries:
        again = reader.get(f"{survey.url}?x=2")
    assert "线上学习：1人，占100%" in page_text(again)
    table = SurveyAnswer._meta.db_table
    assert not [query for query in queries if table in query["sql"]]


def test_results_ticked_early_stay_hidden_while_the_survey_is_open(survey):
    survey.results_published = True
    survey.adoption = "<p>提前写好的采纳情况</p>"
    survey.save_revision().publish()
    SurveyAnswer.objects.create(
        site=survey.get_site(), survey=survey, reader_key="a", answers={"colour": "线上学习"}
    )
    text = page_text(Client().get(survey.url))
    assert 'name="q-colour"' in text
    assert (
        "征集结果" not in text and "提前写好的采纳情况" not in text and "survey-chart" not in text
    )


def test_results_stay_hidden_until_published(home):
    survey = make_survey(home, -2, -1, adoption="<p>尚未公布的采纳情况</p>")
    text = page_text(Client().get(survey.url))
    assert "征集结果" not in text and "尚未公布的采纳情况" not in text


def test_the_editor_sees_the_counts_and_exports_neutralised_csv_and_xlsx(survey, superuser_client):
    editor_client = superuser_client
    SurveyAnswer.objects.create(
        site=survey.get_site(),
        survey=survey,
        reader_key="a",
        answers={"colour": "线上学习", "days": ["周一", "周六"], "advice": "=cmd|' /C calc'!A0"},
    )
    listing = editor_client.get(f"/admin/surveys/{survey.pk}/answers/")
    assert listing.status_code == 200
    assert "共收到答卷 1 份" in page_text(listing) and "线上学习" in page_text(listing)

    exported = editor_client.get(f"/admin/surveys/{survey.pk}/export/csv/")
    assert exported.content.startswith("\ufeff".encode())
    rows = list(csv.reader(io.StringIO(exported.content.decode("utf-8-sig"))))
    assert rows[0] == ["序号", "提交时间", "您喜欢哪种学习形式？", "哪些时间方便参加？", "意见建议"]
    assert rows[1][2:] == ["线上学习", "周一；周六", "'=cmd|' /C calc'!A0"]

    workbook = editor_client.get(f"/admin/surveys/{survey.pk}/export/xlsx/")
    sheet = load_workbook(io.BytesIO(workbook.content)).active
    assert sheet["E2"].value == "'=cmd|' /C calc'!A0" and sheet["E2"].data_type == "s"
    assert editor_client.get(f"/admin/surveys/{survey.pk}/export/pdf/").status_code == 404
    for huge in ("99999999999999999999999", "9223372036854775808"):
        assert editor_client.get(f"/admin/surveys/{huge}/answers/").status_code == 404
        assert editor_client.get(f"/admin/surveys/{huge}/export/csv/").status_code == 404


def test_a_question_that_reads_as_a_formula_is_neutralised_in_the_xlsx_header(
    home, superuser_client
):
    asked = questions()
    asked[0]["value"]["question"] = '=HYPERLINK("http://evil.example")'
    survey = make_survey(home, slug="formula")
    survey.questions = asked
    survey.save_revision().publish()
    workbook = superuser_client.get(f"/admin/surveys/{survey.pk}/export/xlsx/")
    sheet = load_workbook(io.BytesIO(workbook.content)).active
    assert sheet["C1"].value.startswith("'=") and sheet["C1"].data_type == "s"


def test_staff_who_may_not_edit_the_survey_see_no_answers(survey, staff_client, editor_client):
    for client in (staff_client, editor_client):  # contact staff; editors of the columns
        assert client.get(f"/admin/surveys/{survey.pk}/answers/").status_code in (302, 403)
        assert client.get(f"/admin/surveys/{survey.pk}/export/csv/").status_code in (302, 403)


def test_the_demo_survey_has_ended_with_its_results_published(site):
    survey = ensure_demo_survey(site)
    assert ensure_demo_survey(site) is None
    assert survey.slug == DEMO_SLUG and survey.state() == "ended" and survey.results_published
    topic = next(result for result in survey.results if result.id == "demo-topic")
    assert [count for _option, count, _percent in topic.rows] == list(TOPIC_COUNTS.values())
    days = next(result for result in survey.results if result.id == "demo-times")
    assert all(count > 0 for _option, count, _percent in days.rows)
    text = page_text(Client().get(survey.url))
    assert "征集结果" in text and "采纳情况" in text


def test_with_the_page_cache_on_every_reader_gets_a_fresh_form(survey, settings):
    settings.PAGE_CACHE = "django"
    reader = Client(HTTP_USER_AGENT=CHROME_UA)
    first, second = (reader.get(survey.url).content for _ in range(2))
    assert b'name="shown"' in first and first != second


def test_only_a_page_that_takes_a_form_accepts_a_post(survey, home):
    column = home.get_children().live().exclude(pk=survey.pk).first()
    assert Client().post(column.url, {}).status_code == 405
    allowed = Client().options(survey.url)["Allow"]
    assert allowed == "GET, HEAD, POST, OPTIONS"
    assert Client().put(survey.url).status_code == 405


def test_editors_are_told_in_chinese_what_a_survey_needs(home):
    from django.core.exceptions import ValidationError

    from interaction.surveys import QuestionBlock

    with pytest.raises(ValidationError) as error:
        make_survey(home, 2, 1)
    assert "结束时间要晚于开始时间" in str(error.value)
    block = QuestionBlock()
    for options, message in [(["只有一个"], "至少要有两个选项"), (["是", "是"], "选项不能重复")]:
        value = block.to_python(
            {"kind": "single", "question": "问题", "options": options, "required": True}
        )
        with pytest.raises(ValidationError) as error:
            block.clean(value)
        assert message in str(error.value.block_errors)


def test_the_admin_offers_the_answers_from_the_survey_and_makes_new_ones(
    survey, home, superuser_client
):
    edit = superuser_client.get(f"/admin/pages/{survey.pk}/edit/")
    assert f"/admin/surveys/{survey.pk}/answers/".encode() in edit.content
    assert "答卷与统计" in edit.content.decode()
    new = superuser_client.get(f"/admin/pages/add/interaction/surveypage/{home.pk}/")
    assert new.status_code == 200 and "征集时间" in new.content.decode()
