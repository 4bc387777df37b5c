"""The admin's words as staff read them: names family name first (张三), the user form asking
姓 before 名, Chinese punctuation in its messages, and no English on the screens the browser
journeys cannot reach cheaply."""

import json
import re
from datetime import datetime
from pathlib import Path

import django
import polib
import pytest
from django.apps import apps
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.messages import get_messages
from django.urls import reverse
from django.utils import timezone, translation
from django.views.i18n import JSONCatalog
from wagtail.log_actions import registry
from wagtail.models import PageLogEntry

from tests.admin_forms import article_form, submit_article
from tests.factories import ArticlePageFactory

pytestmark = pytest.mark.django_db


def test_chinese_names_read_family_name_first_and_latin_names_keep_their_order():
    User = get_user_model()
    assert User(first_name="三", last_name="张").get_full_name() == "张三"
    assert User(first_name="审核", last_name="李").get_full_name() == "李审核"
    assert User(first_name="王编辑").get_full_name() == "王编辑"
    assert User(first_name="John", last_name="Smith").get_full_name() == "John Smith"


def test_the_users_list_shows_names_family_name_first(admin_client, django_user_model):
    django_user_model.objects.create_user("editor1", first_name="编辑", last_name="张")
    html = admin_client.get(reverse("wagtailusers_users:index")).content.decode()
    assert "张编辑" in html
    assert "编辑 张" not in html


@pytest.mark.parametrize("view", ["add", "edit"])
def test_the_user_form_asks_the_family_name_first(admin_client, django_user_model, view):
    args = () if view == "add" else (django_user_model.objects.get(username="admin").pk,)
    html = admin_client.get(reverse(f"wagtailusers_users:{view}", args=args)).content.decode()
    assert html.index('name="last_name"') < html.index('name="first_name"')


HAN = "\u4e00-\u9fff"
# ASCII punctuation touching Chinese, or ASCII quotes around a placeholder: 用户 'editor1' 已创建.
ASCII_IN_CHINESE = re.compile(
    rf"""[{HAN}”]\s*[,.:;!?](?![\w/%])|[,:;!?]\s*[{HAN}“]|(?<!=)['"](%\(\w+\)s|%s|\{{\w+\}})['"]"""
)
# The same in code, where quotes around a placeholder are often SQL's or a script's own.
ASCII_PUNCTUATION_IN_CHINESE = re.compile(rf"[{HAN}”]\s*[,.:;!?](?![\w/%])|[,:;!?]\s*[{HAN}“]")
# Django's yesno filter splits its Chinese default on these commas.
MEANT_ASCII = {"yes,no,maybe"}


def catalogues(domain):
    """The zh_Hans catalogues Django reads for the site: its own, every installed app's and the
    project's."""
    folders = [Path(django.__file__).parent / "conf" / "locale", *map(Path, settings.LOCALE_PATHS)]
    folders += [Path(app.path) / "locale" for app in apps.get_app_configs()]
    for folder in folders:
        path = folder / "zh_Hans" / "LC_MESSAGES" / f"{domain}.po"
        if path.exists():
            yield from polib.pofile(str(path))


def test_no_translation_the_admin_uses_puts_ascii_punctuation_into_chinese():
    found = set()
    with translation.override("zh-hans"):
        for entry in catalogues("django"):
            if not entry.msgid or entry.msgid in MEANT_ASCII or entry.obsolete:
                continue
            if entry.msgid_plural:
                text = translation.npgettext(entry.msgctxt, entry.msgid, entry.msgid_plural, 2)
            elif entry.msgctxt:
                text = translation.pgettext(entry.msgctxt, entry.msgid)
            else:
                text = translation.gettext(entry.msgid)
            if ASCII_IN_CHINESE.search(text):
                found.add(f"{entry.msgid!r}: {text}")
    assert not found, "\n".join(sorted(found))


def test_no_translation_of_the_admins_scripts_puts_ascii_punctuation_into_chinese(rf):
    with translation.override("zh-hans"):
        response = JSONCatalog.as_view(packages=["wagtail.admin"])(rf.get("/"))
    texts = json.loads(response.content)["catalog"].values()
    texts = [text for value in texts for text in ([value] if isinstance(value, str) else value)]
    assert [text for text in texts if ASCII_IN_CHINESE.search(text)] == []


def test_a_new_users_confirmation_reads_as_chinese(admin_client):
    response = admin_client.post(
        reverse("wagtailusers_users:add"),
        {
            "username": "editor1",
            "email": "editor1@example.cn",
            "last_name": "张",
            "first_name": "编辑",
            "password1": "a-long-pass-phrase-42",
            "password2": "a-long-pass-phrase-42",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    (message,) = get_messages(response.wsgi_request)
    assert str(message).startswith("用户“editor1”已创建。")


def test_the_reviewers_menu_says_approve_and_publish_in_chinese(
    editor_client, reviewer_client, column
):
    page = submit_article(editor_client, column)
    html = reviewer_client.get(reverse("wagtailadmin_pages:edit", args=(page.pk,))).content
    html = html.decode()
    assert "批准并发布" in html and "附意见批准并发布" in html
    assert "和发布" not in html and "带评论" not in html


def test_the_editors_dashboard_says_where_an_article_was_sent_back(
    editor_client, reviewer_client, column
):
    page = submit_article(editor_client, column)
    reviewer_client.post(
        reverse("wagtailadmin_pages:edit", args=(page.pk,)),
        {**article_form(), "action-workflow-action": "true", "workflow-action-name": "reject"},
    )
    html = editor_client.get(reverse("wagtailadmin_home")).content.decode()
    assert re.search(r"退回修改，环节：\s*审核", html)
    assert "请求的更改" not in html


def test_a_live_article_is_said_to_be_published(reviewer_client, column):
    ArticlePageFactory(parent=column, title="已上线的文章")
    html = reviewer_client.get(reverse("articles:index")).content.decode()
    assert "已发布" in html and "在用" not in html


def test_a_history_counts_its_entries_in_chinese(reviewer_client, column):
    page = ArticlePageFactory(parent=column)
    for number in range(3):
        page.title = f"改过 {number} 次"
        page.save_revision(user=reviewer_client.user, log_action=True)
    html = reviewer_client.get(reverse("wagtailadmin_pages:history", args=(page.pk,)))
    html = html.content.decode()
    assert re.search(r"共 \d+ 条", html)
    assert "日志条目" not in html


def test_a_revert_reads_as_chinese():
    entry = PageLogEntry(
        action="wagtail.revert",
        data={"revision": {"id": 8, "created": "2024-05-01T10:30:00+08:00"}},
    )
    with translation.override("zh-hans"):
        text = registry.get_formatter(entry).format_message(entry)
    assert text.startswith("已恢复为 ") and text.endswith("的版本（版本号 8）"), text


def test_the_login_page_names_the_site_and_labels_the_password_in_chinese(client, site):
    html = client.get(reverse("wagtailadmin_login")).content.decode()
    assert "登录青溪党建网管理后台" in html
    assert "登录Wagtail" not in html
    assert re.search(r'<label[^>]*for="id_password"[^>]*>\s*密码', html), html
    assert "Password" not in html


def test_the_sites_list_heads_its_columns_in_chinese(admin_client, site):
    html = admin_client.get(reverse("wagtailsites:index")).content.decode()
    assert "端口号" in html and "站点名称" in html and "根页面" in html
    for english in ("Port", "Site name", "Root page"):
        assert english not in html


def test_the_users_list_reads_yes_and_no_to_screen_readers(admin_client):
    html = admin_client.get(reverse("wagtailusers_users:index")).content.decode()
    assert re.search(r'<span class="w-sr-only">\s*是\s*</span>', html)
    assert "True" not in html and "False" not in html


def test_a_bad_email_in_the_user_form_is_refused_in_chinese(admin_client):
    response = admin_client.post(
        reverse("wagtailusers_users:add"),
        {"username": "editor2", "email": "不是邮箱", "last_name": "张", "first_name": "三"},
    )
    html = response.content.decode()
    assert "请输入有效的电子邮箱地址。" in html
    assert "Email" not in html


def test_the_revision_comparison_says_when_a_schedule_was_set(reviewer_client, column):
    page = ArticlePageFactory(parent=column)
    before = page.save_revision()
    page.go_live_at = timezone.make_aware(datetime(2030, 5, 1, 9, 30))
    after = page.save_revision()
    url = reverse("wagtailadmin_pages:revisions_compare", args=(page.pk, before.pk, after.pk))
    html = reviewer_client.get(url).content.decode()
    start = html.index('<table class="listing')
    table = html[start : html.index("</table>", start)]
    assert "未设置" in table and "2030-05-01 09:30" in table
    assert "None" not in table


def test_the_status_panel_says_how_long_ago_in_chinese(editor_client, column):
    page = submit_article(editor_client, column)
    html = editor_client.get(reverse("wagtailadmin_pages:edit", args=(page.pk,))).content.decode()
    assert re.search(r"已发送至审核（(\d+\s*秒|刚刚|现在)", html), html[html.find("已发送至") :][
        :80
    ]
    assert " ago" not in html


def test_the_help_menu_and_the_dashboard_lead_to_the_sites_own_guide(editor_client, staff_client):
    for client in (editor_client, staff_client):
        html = client.get(reverse("wagtailadmin_home")).content.decode()
        assert "guide.wagtail.org" not in html
        assert "使用手册" in html and reverse("core_guide") in html
    guide = staff_client.get(reverse("core_guide"))
    assert guide.status_code == 200
    assert "联系信息维护：修改联系方式" in guide.content.decode()


ROOT = Path(settings.BASE_DIR)
COMMENT = re.compile(r"(?s)\{% comment[^%]*%\}.*?\{% endcomment %\}|\{#.*?#\}|^\s*//.*$", re.M)


def test_the_sites_own_admin_screens_and_scripts_write_chinese_punctuation():
    files = [
        *ROOT.glob("templates/news/admin/*.html"),
        *ROOT.glob("templates/core/*.html"),
        *ROOT.glob("templates/wagtail*/**/*.html"),
        *ROOT.glob("static/js/admin/*.js"),
    ]
    assert files
    found = [
        f"{path.relative_to(ROOT)}: {match.group(0)!r}"
        for path in files
        for match in ASCII_IN_CHINESE.finditer(COMMENT.sub("", path.read_text(encoding="utf-8")))
    ]
    assert found == []


def message_strings(path):
    """The string literals of a module that are not its docstrings (those are for maintainers,
    in English) nor raw strings (patterns)."""
    import io
    import tokenize

    previous = None
    for token in tokenize.generate_tokens(io.StringIO(path.read_text(encoding="utf-8")).readline):
        if token.type == tokenize.STRING:
            prefix = token.string[: len(token.string) - len(token.string.lstrip("rRbBuUfF"))]
            docstring = previous is None or previous.type in (tokenize.NEWLINE, tokenize.INDENT)
            if not docstring and "r" not in prefix.lower():
                yield token.start[0], token.string
        if token.type not in (tokenize.COMMENT, tokenize.NL):
            previous = token


def test_no_message_in_the_sites_code_puts_ascii_punctuation_into_chinese():
    """What the project's own code says to staff and readers (form errors, import and backup
    messages, help texts, command output, the toolbar's spoken words) in Chinese punctuation."""
    root = Path(settings.BASE_DIR)
    found = []
    for folder in ["core", "news", "contact", "ops", "sitecms", "stack"]:
        for path in sorted((root / folder).rglob("*.py")):
            if "migrations" in path.parts:
                continue
            for line, text in message_strings(path):
                if ASCII_PUNCTUATION_IN_CHINESE.search(text):
                    found.append(f"{path.relative_to(root)}:{line}: {text}")
    for path in sorted((root / "static" / "js").rglob("*.js")):
        for text in re.findall(r'"(?:[^"\\\n]|\\.)*"', path.read_text(encoding="utf-8")):
            if ASCII_PUNCTUATION_IN_CHINESE.search(text):
                found.append(f"{path.relative_to(root)}: {text}")
    assert found == []
