"""Word import cannot crash or hang: every crafted .docx (tests/news/importing/crafted_word_files.py)
is refused with a Chinese message, or read with its damaged picture left empty; a document over a
bound is refused before mammoth reads it; and conversion takes time in proportion to the document,
up to the largest the bounds allow."""

import re
import time

import mammoth
import pytest

from news.importing import docxpackage
from news.importing.wordfiles import HtmlTree, WordFormatError, body_from, read_docx
from tests.news.importing.crafted_word_files import (
    DOCUMENT,
    crafted,
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


@pytest.mark.parametrize(
    ("name", "data", "expected"), crafted(), ids=[name for name, _, _ in crafted()]
)
def test_a_crafted_file_is_refused_in_chinese_or_read(name, data, expected):
    if expected is None:
        article = read_docx(data)
        assert article.title and article.body
    else:
        with pytest.raises(WordFormatError) as refused:
            read_docx(data)
        assert expected in str(refused.value)
        assert CHINESE.search(str(refused.value))


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


def best_cpu_seconds(work, times=2):
    """CPU seconds of the fastest of `times` runs of `work` (CPU time, so that other processes on
    the machine weigh little)."""
    spent = []
    for _ in range(times):
        start = time.process_time()
        work()
        spent.append(time.process_time() - start)
    return min(spent)


def test_mapping_four_times_the_paragraphs_takes_about_four_times_as_long():
    # Where the time went: each paragraph was added to its 段落 block with `+=`, copying the
    # growing text each time (1 MB of short paragraphs took 9.6 s, 4 MB 258 s). 40,000 paragraphs
    # took 30 times as long as 10,000; now about 4 times.
    def mapping(paragraphs):
        elements = HtmlTree.parse("<h1>标题</h1>" + "<p>党建工作推进会召开。</p>" * paragraphs)
        return best_cpu_seconds(lambda: body_from(elements, "标题"), times=3)

    small, large = mapping(10_000), mapping(40_000)
    assert large < 6 * small, (small, large)


def test_converting_the_largest_document_the_bounds_allow_takes_time_in_proportion():
    def conversion(paragraphs):
        data = with_part(DOCUMENT, titled(paragraph("党建工作推进会召开。") * paragraphs))
        return best_cpu_seconds(lambda: read_docx(data))

    largest = docxpackage.MAX_PARAGRAPHS - 10
    small, large = conversion(largest // 4), conversion(largest)
    assert large < 6 * small, (small, large)
