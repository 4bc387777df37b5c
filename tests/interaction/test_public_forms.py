"""The public side of 互动交流 through Django's client: a reader sends a message from a channel's
page and a 纠错 from a page's footer, and looks the message up with its 查询码; every refusal
brings the form back filled in, in Chinese; what an attacker posts beyond the form is ignored;
attachments are checked like the document library's; lookups say the same for a wrong code and
an unknown number, and are limited."""

import io
import re
from pathlib import Path

import pytest
from captcha.models import CaptchaStore
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image as PillowImage

from interaction import abuse, workflow
from interaction.models import Kind, Message, Satisfaction, Status
from tests.factories import ArticlePageFactory
from tests.interaction.conftest import send

pytestmark = [pytest.mark.django_db, pytest.mark.engine_dependent]

HIDDEN = re.compile(r'<input type="hidden" name="(\w+)" value="([^"]*)"')


@pytest.fixture(autouse=True)
def quick_forms(settings):
    settings.INTERACTION_MIN_FILL_SECONDS = 0
    settings.INTERACTION_SEND_RATE = "100/h"
    settings.INTERACTION_LOOKUP_RATE = "100/h"
    settings.INTERACTION_NUMBER_LOOKUP_RATE = "100/h"


@pytest.fixture
def article(column):
    return ArticlePageFactory(parent=column, title="全市社会组织党建工作现场推进会召开")


def form_values(html):
    """The hidden fields of the form on the page, and the question's answer read from the
    captcha app's table, as the server sees it."""
    values = dict(HIDDEN.findall(html))
    values.pop("csrfmiddlewaretoken", None)
    store = CaptchaStore.objects.get(hashkey=values["captcha_key"])
    values["captcha_answer"] = store.response
    return values


def message_fields(**changes):
    return {
        "category": "suggestion",
        "title": "建议延长党群服务中心开放时间",
        "content": "建议周末也开放。\r\n谢谢！",
        "name": "李四",
        "phone": "13900000000",
        "email": "",
        "consent_public": "on",
        "agree_privacy": "on",
        "homepage": "",
        **changes,
    }


def post_message(reader, channel, **changes):
    html = reader.get(channel.url).content.decode()
    return reader.post(channel.url, {**form_values(html), **message_fields(**changes)})


def shown_code(html):
    return re.search(r'id="receipt-code">(\w{5}) (\w{5})<', html).group(1, 2)


def test_a_reader_sends_a_message_and_gets_a_number_and_a_code_shown_once(reader, channel):
    answer = post_message(reader, channel)
    html = answer.content.decode()
    assert answer.status_code == 200
    assert "no-store" in answer["Cache-Control"]
    message = Message.objects.get()
    assert message.number in html
    code = "".join(shown_code(html))
    assert message.code_hash and code not in message.code_hash
    assert (message.kind, message.channel_id, message.status) == (
        Kind.MESSAGE,
        channel.pk,
        Status.RECEIVED,
    )
    assert message.content == "建议周末也开放。\n谢谢！"
    assert message.consent_public and message.address == "127.0.0.1"
    assert "data-print" in html and "打印" in html


def test_the_form_page_is_never_kept_and_asks_its_question_in_words(reader, channel):
    answer = reader.get(channel.url)
    html = answer.content.decode()
    assert "no-store" in answer["Cache-Control"]
    assert re.search(r"验证题：\d+ [加减乘] \d+ 等于多少？", html)
    assert "<img" not in html.split('class="public-form"')[1].split("</form>")[0]
    assert "个人信息处理说明" in html and "保存期限" in html


def test_an_attacker_cannot_set_status_reply_flags_or_address(reader, channel):
    answer = post_message(
        reader,
        channel,
        status="replied",
        reply="已解决",
        reply_publishable="on",
        satisfaction="satisfied",
        address="8.8.8.8",
        unit="1",
        site="99",
        kind="correction",
        number="LY1",
        consent_public="",
    )
    assert answer.status_code == 200
    message = Message.objects.get()
    assert message.status == Status.RECEIVED and message.reply == ""
    assert not message.reply_publishable and not message.satisfaction
    assert message.address == "127.0.0.1" and message.kind == Kind.MESSAGE
    assert message.consent_public is False and message.unit_id is None


@pytest.mark.parametrize(
    ("changes", "error"),
    [
        ({"title": "短"}, "标题"),
        ({"title": "长" * 41}, "标题"),
        ({"content": "长" * 2001}, "内容"),
        ({"content": "x" * 100_000}, "内容"),
        ({"phone": "", "email": ""}, "电话或邮箱"),
        ({"phone": "abc"}, "电话号码"),
        ({"email": "not-an-address"}, "邮箱"),
        ({"category": "status"}, "请选择类型"),
        ({"agree_privacy": ""}, "个人信息处理说明"),
        ({"captcha_answer": "999"}, "验证题的答案不对"),
        ({"homepage": "http://spam.example/"}, "请勿填写"),
        ({"started": "forged"}, "提交过快"),
        ({"title": "标题\x00带空字符"}, "标题"),
    ],
)
def test_a_refused_form_comes_back_filled_in_with_a_chinese_message(
    reader, channel, changes, error
):
    answer = post_message(reader, channel, **changes)
    html = answer.content.decode()
    assert answer.status_code == 200
    assert Message.objects.count() == 0
    assert "提交未成功" in html and error in html
    assert ("李四" in html and "13900000000" in html) or "phone" in changes
    assert 'name="captcha_answer"' in html and 'class="form-alert"' in html
    # A new question to answer, and the old one no longer good.
    values = dict(HIDDEN.findall(html))
    assert CaptchaStore.objects.filter(hashkey=values["captcha_key"]).exists()


def test_the_title_typed_comes_back_escaped(reader, channel):
    answer = post_message(reader, channel, title="<script>alert(1)</script>", phone="")
    html = answer.content.decode()
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_a_form_sent_too_soon_is_refused(reader, channel, settings):
    settings.INTERACTION_MIN_FILL_SECONDS = 30
    answer = post_message(reader, channel)
    assert "提交过快" in answer.content.decode() and Message.objects.count() == 0


def test_each_question_is_good_once(reader, channel):
    html = reader.get(channel.url).content.decode()
    values = form_values(html)
    assert reader.post(channel.url, {**values, **message_fields()}).status_code == 200
    again = reader.post(channel.url, {**values, **message_fields()})
    assert "验证题的答案不对" in again.content.decode()
    assert Message.objects.count() == 1


def test_over_the_sending_limit_the_form_comes_back_with_429(reader, channel, settings):
    settings.INTERACTION_SEND_RATE = "2/h"
    assert post_message(reader, channel).status_code == 200
    assert post_message(reader, channel).status_code == 200
    answer = post_message(reader, channel, title="第三封来信的标题")
    html = answer.content.decode()
    assert answer.status_code == 429
    assert "太频繁" in html and "第三封来信的标题" in html
    # Nothing was checked: no field is marked wrong, and the new question is still good.
    assert 'class="form-error"' not in html and "aria-invalid" not in html
    assert CaptchaStore.objects.filter(hashkey=dict(HIDDEN.findall(html))["captcha_key"]).exists()
    assert Message.objects.count() == 2


def test_the_limit_counts_an_ipv6_block_as_one_address(reader, channel, settings):
    settings.INTERACTION_SEND_RATE = "1/h"
    first = reader.get(channel.url, REMOTE_ADDR="2001:db8:1:2::1").content.decode()
    reader.post(
        channel.url, {**form_values(first), **message_fields()}, REMOTE_ADDR="2001:db8:1:2::1"
    )
    second = reader.get(channel.url).content.decode()
    answer = reader.post(
        channel.url,
        {**form_values(second), **message_fields()},
        REMOTE_ADDR="2001:db8:1:2:ffff::9",
    )
    assert answer.status_code == 429


def test_a_post_without_its_csrf_token_is_refused_in_chinese(channel):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    answer = client.post(channel.url, message_fields())
    assert answer.status_code == 403
    assert "安全验证" in answer.content.decode()


@pytest.mark.parametrize(
    "data",
    [
        {},
        {"title": ["a", "b"], "category": ["x", "y"]},
        {"captcha_key": "\x00" * 50, "captcha_answer": "\x00", "started": "\x00"},
        {"captcha_key": "k" * 100_000, "started": "s" * 100_000, "homepage": ""},
        {"title": "😀" * 40, "content": "😀" * 2000, "name": "😀"},
    ],
)
def test_malformed_posts_are_refused_without_an_error(reader, channel, data):
    answer = reader.post(channel.url, data)
    assert answer.status_code == 200
    assert "提交未成功" in answer.content.decode()


def test_emoji_count_as_one_character_each(reader, channel):
    answer = post_message(reader, channel, title="😀" * 40, content="👍" * 2000)
    assert answer.status_code == 200 and Message.objects.get().title == "😀" * 40


# Attachments ----------------------------------------------------------------------------------


def png_bytes():
    buffer = io.BytesIO()
    PillowImage.new("RGB", (40, 30), "red").save(buffer, "PNG")
    return buffer.getvalue()


def send_with(reader, channel, upload):
    html = reader.get(channel.url).content.decode()
    return reader.post(channel.url, {**form_values(html), **message_fields(), "attachment": upload})


def test_a_picture_is_kept_under_a_new_name_where_no_url_reaches(reader, channel, settings):
    answer = send_with(reader, channel, SimpleUploadedFile("现场照片.png", png_bytes()))
    assert answer.status_code == 200
    message = Message.objects.get()
    assert message.attachment_name == "现场照片.png"
    assert "现场照片" not in message.attachment.name
    path = Path(message.attachment.path)
    assert path.is_relative_to(settings.INTERACTION_FILES_DIR) and path.exists()
    assert not path.is_relative_to(settings.MEDIA_ROOT)
    assert reader.get(f"/media/{message.attachment.name}").status_code == 404
    path.unlink()


def test_a_pdf_is_accepted(reader, channel):
    pdf = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
    answer = send_with(reader, channel, SimpleUploadedFile("材料.pdf", pdf))
    assert answer.status_code == 200 and Message.objects.get().attachment_name == "材料.pdf"


@pytest.mark.parametrize(
    ("name", "content", "words"),
    [
        ("材料.pdf", b"MZ\x90\x00\x03\x00\x00\x00\x04\x00" + b"\x00" * 200, "程序"),
        ("照片.png", b"%PDF-1.4 not a picture", "不是"),
        ("照片.png", png_bytes()[:60], "损坏"),
        ("照片.jpg", png_bytes(), "不是"),
        ("说明.html", b"<html><script>alert(1)</script></html>", "只能上传图片"),
        ("无扩展名", b"%PDF-1.4", "只能上传图片"),
        ("图.svg", b'<svg xmlns="http://www.w3.org/2000/svg"></svg>', "只能上传图片"),
        ("大.pdf", b"%PDF-1.4" + b"0" * (5 * 1024 * 1024 + 1), "超过了上限"),
    ],
)
def test_a_crafted_attachment_is_refused_and_the_rest_kept(
    reader, channel, settings, name, content, words
):
    before = set(Path(settings.INTERACTION_FILES_DIR).rglob("*"))
    answer = send_with(reader, channel, SimpleUploadedFile(name, content))
    html = answer.content.decode()
    assert answer.status_code == 200 and Message.objects.count() == 0
    assert words in html and "建议延长党群服务中心开放时间" in html
    assert set(Path(settings.INTERACTION_FILES_DIR).rglob("*")) == before


# 纠错 -----------------------------------------------------------------------------------------


def test_the_footer_links_to_the_correction_form_with_the_page_address(reader, article):
    html = reader.get(article.url).content.decode()
    link = re.search(r'href="(/hudong/jiucuo/\?url=[^"]+)"', html).group(1)
    assert link.endswith(article.url.replace("/", "/"))
    form = reader.get(link.replace("&amp;", "&") + "&text=错别字在这里")
    page = form.content.decode()
    assert f'value="{article.url}"' in page and "错别字在这里" in page
    assert "no-store" in form["Cache-Control"]


def test_a_correction_arrives_with_the_page_address_routed_as_a_correction(reader, article):
    page = reader.get(f"/hudong/jiucuo/?url={article.url}&text=党建工做").content.decode()
    values = form_values(page)
    answer = reader.post(
        "/hudong/jiucuo/",
        {
            **values,
            "page_url": article.url,
            "error_type": "typo",
            "selected_text": "党建工做",
            "content": "“工做”应为“工作”。",
            "status": "replied",
        },
    )
    assert answer.status_code == 200
    message = Message.objects.get()
    assert message.kind == Kind.CORRECTION and message.channel is None
    assert message.page_url == article.url and message.selected_text == "党建工做"
    assert message.error_type == "typo" and message.status == Status.RECEIVED
    assert message.number.startswith("JC") and message.number in answer.content.decode()


@pytest.mark.parametrize("address", ["https://evil.example/", "//evil.example/", "javascript:x"])
def test_a_correction_names_only_pages_of_this_site(reader, address):
    page = reader.get(f"/hudong/jiucuo/?url={address}").content.decode()
    assert "evil.example" not in page and "javascript:" not in page


# 查询 and 满意度 ----------------------------------------------------------------------------


def lookup(reader, number, code, **extra):
    return reader.post("/hudong/chaxun/", {"number": number, "code": code, **extra})


def test_the_writer_sees_status_and_reply_with_the_code_public_or_not(
    reader, site, channel, receiver, reviewer_client
):
    message, code = send(site, channel, consent_public=False)
    workflow.accept(message, receiver.user)
    workflow.submit_reply(message, receiver.user, "周末<b>开放</b>。", "党建办")
    workflow.approve(message, reviewer_client.user, publishable=False)
    answer = lookup(reader, message.number.lower(), f"{code[:5]} {code[5:].lower()}")
    html = answer.content.decode()
    assert "no-store" in answer["Cache-Control"]
    assert "已答复" in html and "周末&lt;b&gt;开放&lt;/b&gt;。" in html and "党建办" in html
    assert channel.title in html and 'name="satisfaction"' in html


def test_a_wrong_code_and_an_unknown_number_get_the_same_answer(reader, sent):
    message, code = sent
    wrong = lookup(reader, message.number, "ABCDEFGHJK")
    unknown = lookup(reader, "LY20000101-99999", code)
    assert wrong.status_code == unknown.status_code == 200
    strip = re.compile(r'value="[^"]*"')
    assert strip.sub("", wrong.content.decode()) == strip.sub("", unknown.content.decode())
    assert "受理编号或查询码不正确" in wrong.content.decode()


def test_a_rejection_shows_its_reason(reader, sent, receiver):
    message, code = sent
    workflow.reject(message, receiver.user, "not_ours", "请向区政务服务中心咨询")
    html = lookup(reader, message.number, code).content.decode()
    assert "不予受理" in html and "非本单位职责范围" in html and "区政务服务中心" in html


def test_lookups_are_limited_per_address(reader, sent, settings):
    settings.INTERACTION_LOOKUP_RATE = "3/h"
    message, code = sent
    for _ in range(3):
        assert lookup(reader, message.number, "WRONGCODE2").status_code == 200
    limited = lookup(reader, message.number, code)
    assert limited.status_code == 429 and "查询次数过多" in limited.content.decode()


def test_wrong_codes_for_one_number_are_limited_from_all_addresses(reader, sent, settings):
    settings.INTERACTION_NUMBER_LOOKUP_RATE = "3/h"
    message, _ = sent
    for number in range(3):
        lookup(reader, message.number, "WRONGCODE2", REMOTE_ADDR=f"198.51.100.{number}")
    guess = lookup(reader, message.number, "WRONGCODE3", REMOTE_ADDR="198.51.100.77")
    assert guess.status_code == 429


def test_nobody_can_lock_the_writer_out_of_their_reply_with_wrong_codes(reader, sent, settings):
    settings.INTERACTION_NUMBER_LOOKUP_RATE = "3/h"
    message, code = sent
    for number in range(10):
        lookup(reader, message.number, "WRONGCODE2", REMOTE_ADDR=f"198.51.100.{number}")
    found = lookup(reader, message.number, code, REMOTE_ADDR="203.0.113.200")
    assert found.status_code == 200 and "待受理" in found.content.decode()


def test_the_writer_rates_the_reply_once(reader, site, channel, receiver, reviewer_client):
    message, code = send(site, channel)
    workflow.accept(message, receiver.user)
    workflow.submit_reply(message, receiver.user, "已安排。")
    workflow.approve(message, reviewer_client.user, publishable=True)
    empty = lookup(reader, message.number, code, rate="1")
    assert "请选择满意度" in empty.content.decode()
    rated = lookup(reader, message.number, code, rate="1", satisfaction="fairly")
    assert "感谢您的评价" in rated.content.decode()
    again = lookup(reader, message.number, code, rate="1", satisfaction="unsatisfied")
    assert "已经评价过了" in again.content.decode()
    message.refresh_from_db()
    assert message.satisfaction == Satisfaction.FAIRLY


def test_no_rating_before_the_reply(reader, sent):
    message, code = sent
    html = lookup(reader, message.number, code, rate="1", satisfaction="satisfied").content
    assert "答复之后才能评价" in html.decode()
    message.refresh_from_db()
    assert not message.satisfaction


def test_the_fill_time_is_signed_and_goes_with_its_question_alone(settings):
    token = abuse.started_token("key-one")
    assert abuse.fill_seconds(token, "key-one") < 5
    assert abuse.fill_seconds(token + "x", "key-one") is None
    assert abuse.fill_seconds("", "key-one") is None
    assert abuse.fill_seconds(token, "key-two") is None


def test_a_start_time_taken_once_does_not_start_another_forms_clock(reader, channel):
    old = form_values(reader.get(channel.url).content.decode())
    fresh = form_values(reader.get(channel.url).content.decode())
    reused = reader.post(channel.url, {**fresh, "started": old["started"], **message_fields()})
    assert "表单已过期或提交过快" in reused.content.decode()
    assert not Message.objects.exists()


def test_the_question_is_read_out_in_words():
    assert abuse.question_in_words("7×3=") == "7 乘 3 等于多少？"
    assert abuse.question_in_words("9-2=") == "9 减 2 等于多少？"
    assert abuse.question_in_words("1+10=") == "1 加 10 等于多少？"


def test_the_page_cache_keeps_neither_the_form_nor_the_answer(reader, channel, settings):
    settings.PAGE_CACHE = "django"
    keys = {dict(HIDDEN.findall(reader.get(channel.url).content.decode()))["captcha_key"]}
    keys.add(dict(HIDDEN.findall(reader.get(channel.url).content.decode()))["captcha_key"])
    assert len(keys) == 2
    lookup_page = reader.get("/hudong/chaxun/")
    assert "no-store" in lookup_page["Cache-Control"]


def test_a_channel_page_takes_post_but_other_pages_still_refuse_it(reader, channel, article):
    assert reader.post(article.url, {}).status_code == 405
    assert reader.put(channel.url).status_code == 405
    options = reader.options(channel.url)
    assert "POST" in options["Allow"]


def test_a_question_is_used_up_whatever_else_refused_the_form(reader, channel):
    html = reader.get(channel.url).content.decode()
    values = form_values(html)
    reader.post(channel.url, {**values, **message_fields(homepage="spam")})
    assert not CaptchaStore.objects.filter(hashkey=values["captcha_key"]).exists()


def test_the_notice_says_how_long_contact_details_are_kept(reader, channel, settings):
    settings.INTERACTION_KEEP_CONTACT_DAYS = 180
    assert "办结 180 天后删除" in reader.get(channel.url).content.decode()
    settings.INTERACTION_KEEP_CONTACT_DAYS = 0
    html = reader.get(channel.url).content.decode()
    assert "办结 0 天" not in html and "可按下条要求删除" in html


def test_a_nul_character_is_refused_in_plain_chinese(reader, channel):
    answer = post_message(reader, channel, title="标题\x00含空字符")
    assert "内容中含有无效的空字符" in answer.content.decode()
    assert not Message.objects.exists()
