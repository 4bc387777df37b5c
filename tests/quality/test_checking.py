"""The 错敏词 check: what it finds, where, and what blocks publishing."""

import pytest
from wagtail.models import ModelLogEntry, PageLogEntry

from core import content_gate
from core.content_gate import BANNED, STANDARD, TYPO
from quality import checking
from quality.overrides import LET_THROUGH, let_through
from quality.word_lists import AllowedPhrase, ListedWord, lists_changed
from tests.factories import ArticlePageFactory, library_document, make_contact, section

pytestmark = pytest.mark.django_db


@pytest.fixture
def lists(site):
    ListedWord.objects.create(site=site, kind=BANNED, word="示例禁用词")
    ListedWord.objects.create(site=site, kind=STANDARD, word="党支部书记记", right="党支部书记")
    ListedWord.objects.create(site=site, kind=TYPO, word="既使", right="即使")
    return site


def texts(*pairs):
    return [("正文", "body", text) for text in pairs]


def found(verdict):
    return [(finding.kind, finding.word) for finding in verdict.findings]


def test_a_banned_word_blocks_and_is_quoted_in_its_context(lists):
    text = "前面有十五个字的文字在这里出现了，示例禁用词，后面也有十五个字的文字在这里出现了"
    verdict = checking.check_texts(lists, texts(text))
    [finding] = verdict.findings
    assert finding.kind == BANNED and finding.blocks and not verdict
    assert (
        finding.context == "有十五个字的文字在这里出现了，示例禁用词，后面也有十五个字的文字在这里"
    )
    assert len(finding.context) == 15 + len("示例禁用词") + 15


def test_a_standard_form_blocks_and_a_typo_only_warns(lists):
    verdict = checking.check_texts(lists, texts("党支部书记记讲话。", "既使下雨也要去。"))
    assert [(f.kind, f.right, f.blocks) for f in verdict.findings] == [
        (STANDARD, "党支部书记", True),
        (TYPO, "即使", False),
    ]
    assert len(verdict.blocking) == 1 and len(verdict.warnings) == 1


def test_a_typo_alone_lets_the_text_through(lists):
    verdict = checking.check_texts(lists, texts("既使下雨也要去。"))
    assert verdict and verdict.warnings


def test_full_width_letters_and_digits_are_found_as_written(site):
    ListedWord.objects.create(site=site, kind=BANNED, word="ABC123")
    verdict = checking.check_texts(site, texts("全角的ＡＢＣ１２３在句中。"))
    assert found(verdict) == [(BANNED, "ＡＢＣ１２３")]
    assert "ＡＢＣ１２３" in verdict.findings[0].context


def test_a_word_typed_full_width_in_the_list_finds_the_half_width_form(site):
    word = ListedWord(site=site, kind=BANNED, word="ＸＹ２")
    word.full_clean()
    word.save()
    assert word.word == "XY2"
    assert found(checking.check_texts(site, texts("型号XY2停产"))) == [(BANNED, "XY2")]


def test_characters_that_fold_into_several_keep_the_context_in_place(site):
    ListedWord.objects.create(site=site, kind=BANNED, word="示例禁用词")
    verdict = checking.check_texts(site, texts("㈠①示例禁用词后"))
    assert found(verdict) == [(BANNED, "示例禁用词")]
    assert verdict.findings[0].context == "㈠①示例禁用词后"


def test_traditional_forms_are_found_only_for_words_that_ask_for_it(site):
    ListedWord.objects.create(site=site, kind=BANNED, word="后台发现", traditional=True)
    ListedWord.objects.create(site=site, kind=BANNED, word="头发乱了")
    verdict = checking.check_texts(site, texts("他在後臺發現了問題，頭髮亂了。"))
    assert found(verdict) == [(BANNED, "後臺發現")]


def test_a_word_in_two_lists_counts_in_the_stricter(site):
    ListedWord.objects.create(site=site, kind=TYPO, word="示例词", right="示范词")
    ListedWord.objects.create(site=site, kind=BANNED, word="示例词")
    [finding] = checking.check_texts(site, texts("一个示例词。")).findings
    assert finding.kind == BANNED and finding.blocks


def test_the_context_is_one_line(site):
    ListedWord.objects.create(site=site, kind=BANNED, word="示例禁用词")
    [finding] = checking.check_texts(site, texts("上一段。\n\n示例禁用词在下一段")).findings
    assert finding.context == "上一段。 示例禁用词在下一段"


def test_the_longest_listed_word_wins(site):
    ListedWord.objects.create(site=site, kind=TYPO, word="示例")
    ListedWord.objects.create(site=site, kind=BANNED, word="示例禁用词")
    verdict = checking.check_texts(site, texts("一个示例禁用词和一个示例。"))
    assert found(verdict) == [(BANNED, "示例禁用词"), (TYPO, "示例")]


def test_a_word_inside_an_allowed_phrase_is_no_finding(site):
    ListedWord.objects.create(site=site, kind=BANNED, word="禁山")
    AllowedPhrase.objects.create(site=site, kind=BANNED, phrase="禁山镇")
    verdict = checking.check_texts(site, texts("来自禁山镇的代表说：禁山不可取。"))
    assert found(verdict) == [(BANNED, "禁山")]
    assert verdict.findings[0].context.endswith("禁山不可取。")


def test_an_allowed_phrase_covers_only_its_own_list(site):
    ListedWord.objects.create(site=site, kind=BANNED, word="禁山")
    AllowedPhrase.objects.create(site=site, kind=TYPO, phrase="禁山镇")
    assert found(checking.check_texts(site, texts("禁山镇"))) == [(BANNED, "禁山")]


def test_another_sites_lists_do_not_apply(site, other_site):
    ListedWord.objects.create(site=other_site, kind=BANNED, word="示例禁用词")
    assert checking.check_texts(site, texts("示例禁用词")).findings == []
    assert checking.check_texts(other_site, texts("示例禁用词")).findings


def test_a_change_to_the_lists_is_seen_at_the_next_check(site):
    assert checking.check_texts(site, texts("新增的示例禁用词")).findings == []
    word = ListedWord.objects.create(site=site, kind=BANNED, word="示例禁用词")
    assert checking.check_texts(site, texts("新增的示例禁用词")).findings
    AllowedPhrase.objects.create(site=site, kind=BANNED, phrase="新增的示例禁用词")
    assert checking.check_texts(site, texts("新增的示例禁用词")).findings == []
    AllowedPhrase.objects.all().delete()
    word.delete()
    assert checking.check_texts(site, texts("新增的示例禁用词")).findings == []


def test_a_change_made_by_another_process_is_seen_here(site):
    word = ListedWord.objects.create(site=site, kind=BANNED, word="旧的词")
    assert checking.check_texts(site, texts("新的词")).findings == []
    # Another process's change: rows written without this process's signals, and the version
    # it raised in the same transaction.
    ListedWord.objects.filter(pk=word.pk).update(word="新的词")
    lists_changed(site.pk)
    assert found(checking.check_texts(site, texts("新的词"))) == [(BANNED, "新的词")]


def test_the_matcher_is_built_once_per_version_of_the_lists(lists, django_assert_num_queries):
    checking.check_texts(lists, texts("示例"))
    with django_assert_num_queries(1):  # the version only
        checking.check_texts(lists, texts("示例禁用词"))


def test_the_gate_uses_the_checker_by_default(lists, column):
    article = ArticlePageFactory(parent=column, title="含有示例禁用词的标题")
    with pytest.raises(content_gate.ContentBlocked, match="示例禁用词"):
        content_gate.refuse_if_blocked(article)


def article_with_everything(column, image):
    attachment_file = library_document("附件里有示例禁用词", "a.pdf")
    body_file = library_document("正文附件的示例禁用词", "b.pdf")
    image.title = "替代文字中的示例禁用词"
    image.save()
    body = [
        {
            "type": "paragraph",
            "value": "<p>导语<b>没</b>有问题。</p><p>第二段是示例</p><p>禁用词。</p>",
        },
        section("议程一", "实地观摩", "观摩。", ("嘉莲街道", ["小节段落里的示例禁用词。"])),
        {
            "type": "section",
            "value": {
                "label": "议程二",
                "title": "座谈会",
                "body": [
                    {"type": "subsection", "value": {"heading": "示例禁用词中心", "body": []}},
                    {"type": "image", "value": {"image": image.pk, "caption": ""}},
                    {"type": "attachment", "value": {"document": body_file.pk, "title": ""}},
                ],
            },
        },
        {"type": "image", "value": {"image": image.pk, "caption": "说明里的示例禁用词"}},
        {
            "type": "table",
            "value": {
                "caption": "表题",
                "columns": [
                    {"type": "text", "heading": "单位"},
                    {"type": "rich_text", "heading": "示例禁用词列"},
                ],
                "rows": [{"values": ["示例禁用词单位", "<p>格式<b>示例禁用词</b></p>"]}],
            },
        },
    ]
    article = ArticlePageFactory(
        parent=column,
        title="标题",
        summary="摘要有示例禁用词",
        source="示例禁用词报",
        body=body,
    )
    article.attachments.create(document=attachment_file, title="")
    return article


def test_every_text_a_reader_sees_is_checked_and_placed(column, image):
    article = article_with_everything(column, image)
    ListedWord.objects.create(site=column.get_site(), kind=BANNED, word="示例禁用词")
    verdict = content_gate.check_object(article)
    placed = [(finding.where, finding.field) for finding in verdict.findings]
    assert placed == [
        ("来源", "source"),
        ("摘要", "summary"),
        (
            "正文 › 议程一：实地观摩 › 小节 1：嘉莲街道 › 段落 1",
            "body-1-value-body-1-value-body-0-value",
        ),
        ("正文 › 议程二：座谈会 › 小节 1 标题", "body-2-value-body-0-value-heading"),
        ("正文 › 议程二：座谈会 › 图片 1 替代文字", "body-2-value-body-1-value-image"),
        ("正文 › 议程二：座谈会 › 附件 1 名称", "body-2-value-body-2-value-title"),
        ("正文 › 图片 1 说明", "body-3-value-caption"),
        ("正文 › 表格 1 第 2 列标题", "body-4-value-column-1-heading"),
        ("正文 › 表格 1 第 1 行第 1 列", "body-4-value-cell-0-0"),
        ("正文 › 表格 1 第 1 行第 2 列", "body-4-value-cell-0-1"),
        ("附件 1 名称", "attachments-0-title"),
    ]
    # Paragraphs are lines of their own: no word is made across two of them.
    assert "段落 1" not in verdict.findings[0].where


def test_a_revision_is_checked_as_it_stands(column):
    article = ArticlePageFactory(parent=column, title="干净的标题")
    ListedWord.objects.create(site=column.get_site(), kind=BANNED, word="示例禁用词")
    article.title = "改成示例禁用词"
    revision = article.save_revision()
    article.refresh_from_db()
    assert content_gate.check_object(article).findings == []
    assert found(content_gate.check_object(article, revision=revision)) == [(BANNED, "示例禁用词")]


def test_a_topic_is_checked(home):
    from news.models import TopicPage

    topic = home.add_child(
        instance=TopicPage(
            title="专题", slug="zhuanti", tag="标签", intro="<p>介绍里的示例禁用词</p>"
        )
    )
    ListedWord.objects.create(site=home.get_site(), kind=BANNED, word="示例禁用词")
    assert [f.field for f in content_gate.check_object(topic).findings] == ["intro"]


def test_contact_details_are_read_field_by_field(site):
    contact = make_contact(site)
    contact.office_hours = "周一示例禁用词"
    contact.save()
    phone = contact.phones.first()
    phone.label = "示例禁用词办公室"
    phone.save()
    ListedWord.objects.create(site=site, kind=BANNED, word="示例禁用词")
    verdict = content_gate.check_object(contact)
    assert [(f.where, f.field) for f in verdict.findings] == [
        ("办公时间", "office_hours"),
        ("电话 1 说明", "phones-0-label"),
    ]


def test_an_override_lets_a_standard_finding_through_on_that_page_only(
    lists, column, django_user_model
):
    reviewer = django_user_model.objects.create_user("reviewer-x")
    article = ArticlePageFactory(parent=column, title="党支部书记记讲话")
    other = ArticlePageFactory(parent=column, title="党支部书记记讲话")
    [finding] = content_gate.check_object(article).findings
    let_through(article, finding, "原文引用，保留", reviewer)
    [after] = content_gate.check_object(article.specific).findings
    assert after.kind == STANDARD and not after.blocks
    assert content_gate.check_object(article)
    assert not content_gate.check_object(other)
    entry = PageLogEntry.objects.get(action=LET_THROUGH)
    assert entry.page_id == article.pk and entry.user == reviewer
    assert entry.data["reason"] == "原文引用，保留" and entry.data["word"] == "党支部书记记"


def test_an_override_covers_the_words_it_was_given_for(lists, column, django_user_model):
    article = ArticlePageFactory(parent=column, title="党支部书记记讲话")
    [finding] = content_gate.check_object(article).findings
    let_through(article, finding, "原文引用", None)
    article.title = "另一个党支部书记记的讲话"
    article.save()
    assert not content_gate.check_object(article)


def test_an_override_needs_a_reason_and_a_standard_finding(lists, column):
    from django.core.exceptions import ValidationError

    article = ArticlePageFactory(parent=column, title="示例禁用词，党支部书记记")
    banned, standard = content_gate.check_object(article).findings
    with pytest.raises(ValidationError):
        let_through(article, banned, "理由", None)
    with pytest.raises(ValidationError):
        let_through(article, standard, "  ", None)


def test_an_override_on_contact_details_is_logged_on_them(lists, site):
    contact = make_contact(site)
    contact.address = "党支部书记记办公楼"
    contact.save()
    [finding] = content_gate.check_object(contact).findings
    let_through(contact, finding, "楼名如此", None)
    assert content_gate.check_object(contact)
    assert ModelLogEntry.objects.filter(action=LET_THROUGH).exists()
