"""A title longer than an article's 255 characters is answered with a message, never cut: in the
edit form (where the browser's maxlength cut a pasted title) and in the Word import."""

import re

import docx
import pytest
from django.urls import reverse

from news.importing.wordfiles import WordFormatError, read_docx
from news.models import ArticlePage
from tests.admin_forms import article_form
from tests.news.importing.crafted_word_files import saved

# On PostgreSQL too: PostgreSQL enforces the columns' lengths, SQLite does not.
pytestmark = [pytest.mark.django_db, pytest.mark.engine_dependent]

LONG_TITLE = "全市社会组织党建工作现场推进会" * 20  # 300 characters


def test_a_title_over_the_limit_is_kept_and_answered_in_chinese(editor_client, column):
    url = reverse("wagtailadmin_pages:add", args=("news", "articlepage", column.pk))
    title_input = re.search(
        r'<input[^>]*name="title"[^>]*>', editor_client.get(url).content.decode()
    )
    assert "maxlength" not in title_input.group(0)
    response = editor_client.post(url, article_form(title=LONG_TITLE))
    html = response.content.decode()
    assert response.status_code == 200
    assert "最多 255 个字，现在有 300 个，请删减后再保存。" in html
    assert f'value="{LONG_TITLE}"' in html
    assert not ArticlePage.objects.filter(title__startswith="全市社会组织").exists()


def test_a_word_document_with_a_title_over_the_limit_is_refused_with_its_length():
    # Word keeps 255 characters of 文件 → 属性 → 标题; the first heading has no such limit.
    document = docx.Document()
    document.add_heading(LONG_TITLE, level=1)
    document.add_paragraph("会议传达学习了上级精神。")
    with pytest.raises(
        WordFormatError, match="文档标题过长：最多 255 个字，这份文档的标题有 300 个字。"
    ):
        read_docx(saved(document))
