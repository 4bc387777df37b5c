"""The admin: in Chinese, editors can write articles, staff can keep the contact details."""

import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from django.utils.timezone import localtime
from wagtail.test.utils.form_data import inline_formset

from contact.models import ContactDetails
from core.admin_forms import UNREADABLE
from news.models import ArticlePage
from tests.admin_forms import article_form, contact_form
from tests.factories import ArticlePageFactory


def test_admin_speaks_chinese(client, column_publisher):
    client.force_login(column_publisher)
    html = client.get(reverse("wagtailadmin_home")).content.decode()
    assert 'lang="zh-hans"' in html or 'lang="zh-Hans"' in html
    # Every tab says whose admin it is, the sign-in page's too.
    assert "<title>控制面板 - 青溪党建网管理后台</title>" in html
    client.logout()
    login = client.get(reverse("wagtailadmin_login")).content.decode()
    assert re.search(r"<title>\s*\S+ - 青溪党建网管理后台</title>", login), login[:500]


def test_editor_creates_and_publishes_an_article_through_the_admin_form(
    client, column_publisher, column
):
    client.force_login(column_publisher)
    url = reverse("wagtailadmin_pages:add", args=("news", "articlepage", column.pk))
    assert client.get(url).status_code == 200
    response = client.post(url, {**article_form(), "action-publish": "publish"})
    assert response.status_code == 302, response.content.decode()[:2000]
    page = ArticlePage.objects.get(title="后台创建的文章")
    assert page.live
    assert page.slug.startswith("20240501-")
    assert page.editor == "王五"
    section = next(block for block in page.body if block.block_type == "section")
    assert section.value["title"] == "实地观摩"
    assert section.value["body"][1].value["heading"] == "睦邻服务站"
    public = client.get(page.url)
    assert public.status_code == 200
    assert "<h3>睦邻服务站</h3>" in public.content.decode()


def test_editor_saves_a_draft_that_readers_cannot_see(client, column_publisher, column):
    client.force_login(column_publisher)
    url = reverse("wagtailadmin_pages:add", args=("news", "articlepage", column.pk))
    assert client.post(url, article_form()).status_code == 302
    page = ArticlePage.objects.get(title="后台创建的文章")
    assert not page.live
    client.logout()
    assert client.get(f"/news/2024/0501/{page.pk}/").status_code == 404


def test_article_form_errors_are_shown_and_nothing_is_created(client, column_publisher, column):
    client.force_login(column_publisher)
    url = reverse("wagtailadmin_pages:add", args=("news", "articlepage", column.pk))
    response = client.post(url, article_form(title="", published_at="不是日期"))
    assert response.status_code == 200
    assert "必需字段" in response.content.decode()
    assert not ArticlePage.objects.exists()


def test_staff_publish_contact_details_in_the_admin(admin_client, site):
    url = reverse("wagtailsnippets_contact_contactdetails:add")
    response = admin_client.post(url, {**contact_form(site), "action-publish": "publish"})
    assert response.status_code == 302, response.content.decode()[:3000]
    contact = ContactDetails.objects.get()
    assert contact.live
    assert [phone.label for phone in contact.phones.all()] == ["办公室"]
    assert "0599-1234567" in admin_client.get("/").content.decode()


def test_contact_form_rejects_bad_postcode_and_email_in_chinese(admin_client, site):
    url = reverse("wagtailsnippets_contact_contactdetails:add")
    form = contact_form(
        site,
        postcode="12345",
        emails=inline_formset([{"label": "", "address": "not-an-email"}]),
    )
    response = admin_client.post(url, {**form, "action-publish": "publish"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "邮政编码必须是6位数字" in html
    assert "请输入有效的电子邮箱地址" in html
    assert not ContactDetails.objects.exists()


def test_contact_preview_renders_the_footer_block(admin_client, site):
    url = reverse("wagtailsnippets_contact_contactdetails:preview_on_add")
    response = admin_client.post(url, contact_form(site))
    assert response.json()["is_valid"]
    html = admin_client.get(url).content.decode()
    assert "青溪市云岭区溪山路88号" in html
    assert 'href="tel:05991234567"' in html


def test_editor_previews_a_new_article_before_saving(client, column_publisher, column):
    client.force_login(column_publisher)
    url = reverse("wagtailadmin_pages:preview_on_add", args=("news", "articlepage", column.pk))
    response = client.post(url, article_form())
    assert response.json()["is_valid"]
    html = client.get(url).content.decode()
    assert '<h1 id="article-title">后台创建的文章</h1>' in html
    assert "<h3>睦邻服务站</h3>" in html
    assert not ArticlePage.objects.exists()


def test_editor_previews_changes_to_a_published_article(client, column_publisher, column):
    from tests.factories import ArticlePageFactory

    page = ArticlePageFactory(parent=column, title="原标题")
    client.force_login(column_publisher)
    url = reverse("wagtailadmin_pages:preview_on_edit", args=(page.pk,))
    response = client.post(url, article_form(title="预览中的新标题"))
    assert response.json()["is_valid"]
    html = client.get(url).content.decode()
    assert "预览中的新标题" in html
    assert client.get(page.url).content.decode().count("预览中的新标题") == 0


def test_agenda_section_block_previews_in_the_editor(admin_client):
    from news.models import ArticlePage

    section_block = ArticlePage.body.field.stream_block.child_blocks["section"]
    response = admin_client.get(
        reverse("wagtailadmin_block_preview"), {"id": section_block.definition_prefix}
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "议程一" in html and "实地观摩" in html and "<h3>云岭区睦邻服务站</h3>" in html


def test_listings_show_when_a_page_was_updated_as_a_date_not_only_how_long_ago(
    admin_client, column
):
    article = ArticlePageFactory(parent=column, title="列表里的文章")
    article.save_revision().publish()
    updated = localtime(article.get_latest_revision().created_at)
    html = admin_client.get(reverse("wagtailadmin_explore", args=(column.pk,))).content.decode()
    shown = re.findall(
        r'<time class="w-human-readable-date__date"[^>]*>\s*([^<]+?)\s*</time>', html
    )
    assert f"{updated:%Y-%m-%d %H:%M}" in shown, shown
    # How long ago is still there, in the date's tooltip.
    assert 'data-w-tooltip-content-value="刚刚"' in html


def test_page_search_counts_its_results_as_pages(admin_client, column):
    for title in ["党建工作会议", "党建工作推进会"]:
        ArticlePageFactory(parent=column, title=title).save_revision().publish()
    html = admin_client.get(reverse("wagtailadmin_pages:search"), {"q": "党建"}).content.decode()
    # The home page (青溪党建网) is found too.
    counts = re.findall(r"第 1-3 个，共 3 个\s*([^<\s]*)", html)
    assert counts == ["页面"], counts


def test_the_aging_pages_report_shows_a_dash_for_a_page_no_one_published(admin_client, column):
    ArticlePageFactory(parent=column, title="系统发布的文章").save_revision().publish()
    html = admin_client.get(reverse("wagtailadmin_reports:aging_pages")).content.decode()
    row = re.sub(r"\s+", " ", html.split("系统发布的文章")[1].split("</tr>")[0])
    assert "None" not in row and "—" in row, row


def test_the_page_types_report_names_types_and_language_in_chinese(admin_client, column):
    ArticlePageFactory(parent=column).save_revision().publish()
    html = admin_client.get(reverse("wagtailadmin_reports:page_types_usage")).content.decode()
    assert "Simplified Chinese" not in html
    assert "文章" in html


@pytest.mark.parametrize("bad", ["not json", "{", '{"blocks": 5}', "[1, 2]", "[" * 3000])
def test_a_rich_text_field_that_is_not_the_editors_json_gets_a_form_error(
    superuser_client, column, bad
):
    """Draftail posts JSON; a hand-made post with anything else is told so and saves nothing."""
    column.intro = "<p>原来的栏目介绍。</p>"
    column.save_revision().publish()
    url = reverse("wagtailadmin_pages:edit", args=(column.pk,))
    response = superuser_client.post(
        url, {"title": "改过的标题", "slug": column.slug, "intro": bad, "action-publish": "1"}
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "提交的内容格式有误" in html
    assert "原来的栏目介绍" in response.context["form"]["intro"].value()  # shown as it was
    column.refresh_from_db()
    assert column.title != "改过的标题" and "原来的栏目介绍" in column.intro


def test_a_body_paragraph_that_is_not_the_editors_json_gets_a_form_error(superuser_client, column):
    article = ArticlePageFactory(parent=column, title="正文有误的文章")
    url = reverse("wagtailadmin_pages:edit", args=(article.pk,))
    data = article_form(title="正文有误的文章")
    paragraph = next(key for key in data if key.endswith("-value") and "body-0" in key)
    data[paragraph] = "<p>not the editor's JSON</p>"
    response = superuser_client.post(url, data)
    assert response.status_code == 200
    # The stream's own errors are shown beside it by the editor's script.
    assert response.context["form"].errors["body"] == [UNREADABLE]
    assert not article.revisions.exists()  # nothing saved


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("cover_image", "abc", "提交的内容格式有误"),
        ("published_at", "0001-01-01 00:00", "日期超出范围"),
        ("published_at", "9999-12-31 23:59", "日期超出范围"),
        ("go_live_at", "0001-01-01 00:00", "日期超出范围"),
    ],
)
def test_a_hand_made_chooser_id_or_date_gets_a_form_error(
    superuser_client, column, field, value, message
):
    article = ArticlePageFactory(parent=column, title="手工提交的表单", live=False)
    url = reverse("wagtailadmin_pages:edit", args=(article.pk,))
    data = {**article_form(title="手工提交的表单"), field: value, "action-publish": "1"}
    response = superuser_client.post(url, data)
    assert response.status_code == 200
    assert message in " ".join(response.context["form"].errors[field])
    assert not article.revisions.exists()


def test_rows_whose_ids_cannot_be_read_get_a_chinese_page_and_save_nothing(
    superuser_client, column, site, caplog
):
    article = ArticlePageFactory(parent=column, title="附件行有误", live=False)
    url = reverse("wagtailadmin_pages:edit", args=(article.pk,))
    rows = {
        "attachments-TOTAL_FORMS": "1",
        "attachments-INITIAL_FORMS": "1",
        "attachments-0-id": "abc",
        "attachments-0-document": "1",
        "attachments-0-ORDER": "1",
    }
    response = superuser_client.post(url, {**article_form(title="附件行有误"), **rows})
    assert response.status_code == 400
    assert "什么也没有保存" in response.content.decode()
    assert not article.revisions.exists()
    contact = superuser_client.post(
        reverse("wagtailsnippets_contact_contactdetails:add"),
        {**contact_form(site), "phones-0-id": "abc", "phones-INITIAL_FORMS": "1"},
    )
    assert contact.status_code == 400
    assert not ContactDetails.objects.exists()
    assert not [record for record in caplog.records if record.exc_info]


def test_the_article_listing_shows_the_newest_first(admin_client, column):
    now = timezone.now()
    for days, title in [(3, "三天前的文章"), (1, "昨天的文章"), (2, "前天的文章")]:
        ArticlePageFactory(parent=column, title=title, published_at=now - timedelta(days=days))
    # The oldest edited last: Wagtail's own default would put it first.
    older = ArticlePage.objects.get(title="三天前的文章")
    older.save_revision()
    html = admin_client.get(reverse("articles:index")).content.decode()
    positions = [html.index(title) for title in ["昨天的文章", "前天的文章", "三天前的文章"]]
    assert positions == sorted(positions)
