"""Word import cannot crash or hang: every crafted .docx (tests/news/importing/crafted_word_files.py)
is refused on its own line with a Chinese message, or imported with its damaged picture said; a
batch with bad files imports its good ones; a document over a bound is refused before mammoth reads
it; and conversion takes time in proportion to the document, up to the largest the bounds allow."""

import gc
import logging
import re
import time

import mammoth
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from news.importing import docxpackage
from news.importing.wordfiles import HtmlTree, WordFormatError, body_from, read_docx
from news.models import ArticlePage
from tests.news.importing.crafted_word_files import (
    DOCUMENT,
    crafted,
    crafted_file,
    crafted_names,
    good,
    nested_elements,
    nested_tables,
    paragraph,
    png,
    text_of_megabytes,
    titled,
    with_part,
)

CHINESE = re.compile(r"[\u4e00-\u9fff]")
# Importing stores what a crafted file holds, up to the columns' limits, which PostgreSQL enforces
# and SQLite does not: these run on both. (Reading a file into an article touches no database.)
imports_into_the_database = pytest.mark.engine_dependent


def upload(name, data):
    return SimpleUploadedFile(name, data, content_type="application/octet-stream")


def import_in_admin(client, column, files):
    """The job page's HTML after 导入文章 with these (name, bytes)."""
    response = client.post(
        reverse("news_import_articles"),
        {"column": column.pk, "files": [upload(name, data) for name, data in files]},
        follow=True,
    )
    assert response.status_code == 200
    return response.content.decode()


def result_lines(html):
    """{file name: its line's text} of a job page."""
    lines = re.findall(r'<li class="w-py-2">(.*?)</li>', html, re.S)
    found = {}
    for line in lines:
        name = re.search(r"<strong>(.*?)</strong>", line).group(1)
        found[name] = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", line)).strip()
    return found


@pytest.mark.parametrize("name", crafted_names())
def test_a_crafted_file_is_refused_in_chinese_or_read(name):
    data, expected = crafted_file(name)
    if expected is None:
        article = read_docx(data)
        assert article.title and article.body
    else:
        with pytest.raises(WordFormatError) as refused:
            read_docx(data)
        assert expected in str(refused.value)
        assert CHINESE.search(str(refused.value))


@imports_into_the_database
def test_every_crafted_file_gets_its_own_line_and_the_log_no_traceback(
    editor_client, column, caplog
):
    files = [(name, data) for name, data, _ in crafted()]
    caplog.set_level(logging.WARNING)
    html = import_in_admin(editor_client, column, [*files, ("好的.docx", good("好的报道"))])
    lines = result_lines(html)
    assert len(lines) == len(files) + 1
    for name, _, expected in crafted():
        line = lines[name]
        if expected is None:
            assert "已创建草稿" in line, line
            assert "图片无法识别" in line, line  # the picture left out, and said
        else:
            assert "失败" in line and expected in line, line
    assert "已创建草稿" in lines["好的.docx"]
    assert [record for record in caplog.records if record.exc_info or record.levelno >= 40] == []
    assert "root:" not in html  # a picture pointing at /etc/passwd was never read


@imports_into_the_database
def test_a_bad_file_between_two_good_ones_is_reported_and_both_good_ones_imported(
    editor_client, column
):
    bad, _ = crafted_file("压缩数据损坏.docx")
    html = import_in_admin(
        editor_client,
        column,
        [("一.docx", good("第一篇")), ("坏.docx", bad), ("二.docx", good("第二篇"))],
    )
    lines = result_lines(html)
    assert "已损坏" in lines["坏.docx"]
    for name, title in [("一.docx", "第一篇"), ("二.docx", "第二篇")]:
        page = ArticlePage.objects.get(title=title)
        assert reverse("wagtailadmin_pages:edit", args=(page.pk,)) in html
        assert title in lines[name]
    # Nothing half-made by the bad one: the two drafts and no more.
    assert ArticlePage.objects.count() == 2


def test_a_document_over_a_bound_is_refused_before_mammoth_reads_it(monkeypatch):
    converted = []
    monkeypatch.setattr(mammoth, "convert_to_html", lambda *a, **k: converted.append(a))
    with pytest.raises(WordFormatError, match="文字过多"):
        read_docx(text_of_megabytes(20))
    assert converted == []


def test_the_deepest_document_the_bounds_allow_is_converted():
    # document, body, p, then the smart tags, then r and t: at the limit exactly.
    deepest = with_part(DOCUMENT, nested_elements(docxpackage.MAX_DEPTH - 5))
    assert "嵌套" in str(read_docx(deepest).body)
    tables = with_part(DOCUMENT, nested_tables(docxpackage.MAX_TABLE_DEPTH))
    assert "table" in [block["type"] for block in read_docx(tables).body]
    with pytest.raises(WordFormatError, match="嵌套过深"):
        read_docx(with_part(DOCUMENT, nested_elements(docxpackage.MAX_DEPTH - 4)))


def test_pictures_within_the_budget_are_read():
    article = read_docx(good(pictures=[png(4000, 3000)] * 3))
    assert len(article.pictures) == 3


def best_cpu_seconds(work, times=3):
    """CPU seconds of the fastest of `times` runs of `work` (CPU time, so that other processes on
    the machine weigh little), with the garbage collector paused: its full passes grow with every
    object alive, and would add to the larger run a cost that is not the code's."""
    spent = []
    gc.collect()
    gc.disable()
    try:
        for _ in range(times):
            start = time.process_time()
            work()
            spent.append(time.process_time() - start)
    finally:
        gc.enable()
    return min(spent)


def test_mapping_four_times_the_paragraphs_takes_about_four_times_as_long():
    # Where the time went: each paragraph was added to its 段落 block with `+=`, copying the
    # growing text each time (1 MB of short paragraphs took 9.6 s, 4 MB 258 s). 40,000 paragraphs
    # took 30 times as long as 10,000; now about 4 times. The bound, 8, lies between the linear 4
    # and the quadratic 16, with room for a busy machine's noise.
    def mapping(paragraphs):
        elements = HtmlTree.parse("<h1>标题</h1>" + "<p>党建工作推进会召开。</p>" * paragraphs)
        return best_cpu_seconds(lambda: body_from(elements, "标题", []))

    small, large = mapping(10_000), mapping(40_000)
    assert large < 8 * small, (small, large)


def test_converting_the_largest_document_the_bounds_allow_takes_time_in_proportion():
    def conversion(paragraphs):
        data = with_part(DOCUMENT, titled(paragraph("党建工作推进会召开。") * paragraphs))
        return best_cpu_seconds(lambda: read_docx(data), times=2)

    largest = docxpackage.MAX_PARAGRAPHS - 10
    small, large = conversion(largest // 4), conversion(largest)
    assert large < 8 * small, (small, large)
