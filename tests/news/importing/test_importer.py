"""manage.py import_articles: the seed format in, articles and contact details out."""

import pytest
from django.core.management import CommandError, call_command
from django.utils.timezone import localtime
from wagtail.models import Revision

from contact.models import ContactDetails
from news.hits.models import PageHits
from news.importing.punctuation import chinese_punctuation
from news.importing.seedformat import SeedFormatError, parse
from news.models import ArticlePage
from tests.samples import SEED, VALID, needs_seed

# On PostgreSQL too: imported text meets the columns' limits, which PostgreSQL enforces.
pytestmark = pytest.mark.engine_dependent


def write(tmp_path, name, text):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def run_import(*args):
    from io import StringIO

    out, err = StringIO(), StringIO()
    try:
        call_command("import_articles", *map(str, args), stdout=out, stderr=err)
    except CommandError as error:
        return 1, out.getvalue(), err.getvalue() + str(error)
    return 0, out.getvalue(), err.getvalue()


def body_outline(page):
    """(kind, label/heading, title) for every section and sub-section, in order."""
    outline = []
    for block in page.body:
        if block.block_type == "section":
            outline.append(("section", block.value["label"], block.value["title"]))
            outline += [
                ("subsection", child.value["heading"])
                for child in block.value["body"]
                if child.block_type == "subsection"
            ]
    return outline


@needs_seed
def test_seed_import_reproduces_title_source_date_sections_and_subsections(column):
    code, _out, err = run_import(SEED, "--parent", "/news/", "--contact")
    assert code == 0, err
    page = ArticlePage.objects.get()
    assert page.live
    assert page.title == "全市社会组织党建工作现场推进会召开"
    assert page.source == "厦门非公党建"
    assert localtime(page.published_at).isoformat() == "2017-05-24T17:01:55+08:00"
    assert body_outline(page) == [
        ("section", "议程一", "实地观摩"),
        ("subsection", "嘉莲街道友邻中心"),
        ("subsection", "湖里区社会组织党建服务中心"),
        ("section", "议程二", "座谈会"),
    ]
    lead = [block for block in page.body if block.block_type == "paragraph"]
    assert len(lead) == 2
    # The seed's half-width commas are full-width in the article (news/importing/punctuation.py).
    assert "5月19日，我市召开社会组织党建工作现场推进会" in lead[0].value.source
    text = str(page.body.render_as_block())
    assert "来源:厦门非公党建" not in text and "来源：厦门非公党建" not in text
    assert PageHits.objects.count_for(page.pk) == 0  # the seed's 点击数 is empty


@pytest.mark.parametrize(
    ("text", "written"),
    [
        ("来源:青溪党建网 点击数:1286", "来源：青溪党建网 点击数：1286"),
        ("要求:一是,二是;三是!对吗?", "要求：一是，二是；三是！对吗？"),
        ("中心(以下简称中心)隶属", "中心（以下简称中心）隶属"),
        ("“双强六好”目标(党建强;服务强)和", "“双强六好”目标（党建强；服务强）和"),
        ("订阅本栏目(RSS),Wi-Fi全覆盖", "订阅本栏目（RSS），Wi-Fi全覆盖"),
        # Latin text and numbers keep their marks.
        ("下午2:30召开,共1,000人", "下午2:30召开，共1,000人"),
        ("Hello, world: (PDF) ok?", "Hello, world: (PDF) ok?"),
    ],
)
def test_imported_chinese_text_gets_full_width_punctuation(text, written):
    assert chinese_punctuation(text) == written


@needs_seed
def test_seed_import_publishes_the_contact_block(site, column):
    run_import(SEED, "--contact")
    contact = ContactDetails.objects.get(site=site)
    assert contact.live
    assert contact.address == "厦门市孙坂南路1199号"
    assert contact.postcode == "361024"
    assert [phone.number for phone in contact.phones.all()] == ["0592-6276720", "0592-5531111"]
    assert [email.address for email in contact.emails.all()] == [
        "karry2068@163.com",
        "13400604028@126.com",
    ]
    assert Revision.objects.for_instance(contact).count() == 1


def test_contact_import_adds_a_revision_to_the_existing_record(site, column, tmp_path):
    path = write(tmp_path, "a.txt", VALID)
    run_import(path, "--contact")
    changed = write(tmp_path, "b.txt", VALID.replace("0599-7654321", "0599-1111111"))
    run_import(changed, "--contact")
    contact = ContactDetails.objects.get()
    assert [phone.number for phone in contact.phones.all()] == ["0599-1234567", "0599-1111111"]
    assert Revision.objects.for_instance(contact).count() == 2


def test_import_keeps_click_count_as_starting_count(column, tmp_path):
    run_import(write(tmp_path, "a.txt", VALID))
    page = ArticlePage.objects.get()
    assert PageHits.objects.count_for(page.pk) == 42


def test_reimporting_updates_the_same_page(column, tmp_path):
    path = write(tmp_path, "a.txt", VALID)
    run_import(path)
    first = ArticlePage.objects.get()
    path.write_text(VALID.replace("导语段落", "修改后的导语"), encoding="utf-8")
    code, out, _ = run_import(path)
    assert code == 0
    assert "已更新" in out
    page = ArticlePage.objects.get()
    assert page.pk == first.pk
    assert "修改后的导语" in str(page.body.render_as_block())


def test_reimport_never_lowers_a_count_readers_have_raised(column, tmp_path):
    path = write(tmp_path, "a.txt", VALID)
    run_import(path)
    page = ArticlePage.objects.get()
    PageHits.objects.filter(page_id=page.pk).update(hits=100)
    run_import(path)
    assert PageHits.objects.count_for(page.pk) == 100


def test_parent_chooses_the_column(site, other_column, tmp_path):
    run_import(write(tmp_path, "a.txt", VALID), "--parent", "/notices/")
    assert ArticlePage.objects.get().get_parent().pk == other_column.pk


def test_unknown_parent_is_an_error(site, tmp_path):
    code, _, err = run_import(write(tmp_path, "a.txt", VALID), "--parent", "/nope/")
    assert code == 1
    assert "找不到栏目 /nope/" in err


def test_draft_option_creates_unpublished_article(column, tmp_path):
    run_import(write(tmp_path, "a.txt", VALID), "--draft")
    page = ArticlePage.objects.get()
    assert not page.live
    assert page.latest_revision is not None


def test_dry_run_prints_and_writes_nothing(column, tmp_path):
    code, out, _ = run_import(write(tmp_path, "a.txt", VALID), "--dry-run", "--contact")
    assert code == 0
    assert "将创建《测试导入的文章标题》" in out
    assert "2 个议程" in out
    assert not ArticlePage.objects.exists()
    assert not ContactDetails.objects.exists()
    assert not PageHits.objects.exists()


MALFORMED = [
    (
        "no-title.txt",
        VALID.replace("测试导入的文章标题\n", ""),
        13,
        "缺少标题行",
    ),
    (
        "bad-date.txt",
        VALID.replace("2024-03-15 09:42:10", "2024-13-45 99:00"),
        14,
        "日期应为 YYYY-MM-DD HH:MM:SS 格式，实际为“2024-13-45 99:00”",
    ),
    (
        "bad-hits.txt",
        VALID.replace("点击数:42", "点击数:很多"),
        14,
        "点击数应为非负整数或留空，实际为“很多”",
    ),
    (
        "no-meta.txt",
        VALID.replace("来源:青溪党建网 点击数:42 日期:2024-03-15 09:42:10", ""),
        12,
        "找不到信息行",
    ),
]


@pytest.mark.parametrize(("name", "text", "line", "message"), MALFORMED)
def test_malformed_file_reports_file_line_and_expectation_and_writes_nothing(
    column, tmp_path, name, text, line, message
):
    bad = write(tmp_path, name, text)
    good = write(tmp_path, "good.txt", VALID)
    code, _out, err = run_import(bad, good, "--contact")
    assert code == 1
    assert f"{bad}：第 {line} 行：{message}" in err
    assert "1 个文件未能导入" in err
    # The good file was still imported; nothing of the bad one was.
    assert list(ArticlePage.objects.values_list("title", flat=True)) == ["测试导入的文章标题"]
    assert ContactDetails.objects.count() == 1


def test_malformed_file_alone_writes_nothing(column, tmp_path):
    code, _, _ = run_import(
        write(tmp_path, "bad.txt", VALID.replace("点击数:42", "点击数:x")), "--contact"
    )
    assert code == 1
    assert not ArticlePage.objects.exists()
    assert not ContactDetails.objects.exists()


def test_missing_and_unreadable_files_are_reported_and_gbk_is_read(column, tmp_path):
    gbk = tmp_path / "gbk.txt"
    gbk.write_bytes(VALID.encode("gb18030"))
    word = tmp_path / "报告.docx"
    word.write_bytes(b"PK\x03\x04" + b"\x00" * 40)
    code, out, err = run_import(tmp_path / "missing.txt", gbk, word)
    assert code == 1
    assert "missing.txt：无法读取文件" in err
    assert "报告.docx：这个 .docx 文件已损坏" in err
    assert "gbk.txt：已创建《测试导入的文章标题》" in out


def test_text_from_the_file_is_escaped(column, tmp_path):
    run_import(write(tmp_path, "a.txt", VALID.replace("导语段落", "<script>alert(1)</script>导语")))
    source = str(ArticlePage.objects.get().body.render_as_block())
    assert "<script>" not in source
    assert "&lt;script&gt;" in source


def test_parser_accepts_full_width_colons_and_indentation():
    text = VALID.replace(
        "来源:青溪党建网 点击数:42 日期:", "来源\uff1a青溪党建网 点击数\uff1a42 日期\uff1a"
    )
    text = text.replace("议程一:实地观摩", "\u3000\u3000议程一\uff1a实地观摩")
    article = parse(text)
    assert article.source == "青溪党建网"
    assert article.hits == 42
    assert article.sections[0].label == "议程一"
    assert article.sections[0].title == "实地观摩"


def test_parser_rejects_bad_contact_postcode():
    with pytest.raises(SeedFormatError) as error:
        parse(VALID.replace("邮编:350900", "邮编:3509"))
    assert error.value.line == 4


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (("点击数:42", "点击数:99999999999999999999"), "第 14 行：点击数过大"),
        (("日期:2024-03-15 09:42:10", "日期:0001-01-01 00:00:00"), "第 14 行：日期的年份应在"),
        (
            ("议程一:实地观摩", "议程" + "一" * 30 + ":实地观摩"),
            "第 18 行：议程编号过长（最多 20 个字符",
        ),
        (("议程一:实地观摩", "议程一:" + "观" * 121), "第 18 行：议程标题过长（最多 120 个字符"),
        (("测试导入的文章标题", "标" * 256), "第 12 行：标题过长（最多 255 个字符"),
        (("来源:青溪党建网", "来源:" + "源" * 101), "第 14 行：来源过长（最多 100 个字符"),
        (("导语段落,说明会议情况。", "导语\x00段落"), "第 16 行：含有控制字符"),
    ],
)
def test_values_no_field_can_hold_are_line_errors_not_failures(change, message):
    with pytest.raises(SeedFormatError) as error:
        parse(VALID.replace(*change))
    assert str(error.value).startswith(message), str(error.value)
